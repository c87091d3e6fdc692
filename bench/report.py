"""Tables on stdout, the targets met or not, and the JSON record under bench/results/."""

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.measure import Result
from bench.sections import Section

TITLES = {
    "append-1": "Append, one event per command (one transaction each)",
    "append-100": "Append, batched (100 events per append / save / transaction)",
    "relay": "Relay: event store -> Kafka",
    "inbox": "Inbox: Kafka -> consume and apply (one-row handler: batch form, per-event form)",
}

METHOD = {
    "append": "writers concurrent connections, each on its own stream; the SDK appends inside "
    "connection.transaction() as a command handler does; raw asyncpg inserts pre-built rows "
    "into an equivalent table; eventsourcing saves an aggregate per writer thread (psycopg 3); "
    "systems take turns over rounds in a rotated order",
    "relay": "N events appended first (not timed); publish_pending looped until all are "
    "acknowledged; the raw producer sends the same pre-built key/value/headers with the same "
    "settings and waits for all acks at the end; rounds alternate the order",
    "inbox": "N events published first (not timed); clocks run from the first batch handed over "
    "to the last record done (group join excluded); the SDK applies a one-row INSERT per event "
    "(as a batch handler: one statement per batch; as a per-event handler: one per event) and "
    "records the events in the inbox in the batch's transaction; the raw consumer does nothing",
    "tracing": "an SDK tracer provider is installed as a service does (spans recorded, nothing "
    "exported); one span per relay batch and per inbox batch, linked to each event's trace",
}


@dataclass(frozen=True)
class Target:
    name: str
    goal: str
    reached: float | None
    threshold: float
    unit: str

    @property
    def met(self) -> bool | None:
        return None if self.reached is None else self.reached >= self.threshold

    def verdict(self) -> str:
        return {True: "met", False: "NOT MET", None: "not measured"}[self.met]

    def shown(self) -> str:
        if self.reached is None:
            return "-"
        if self.unit == "%":
            return f"{self.reached:.0%}"
        if self.unit == "x":
            return f"{self.reached:.2f}x"
        if self.unit == "-us":  # a cost: stored negated so that "met" stays reached >= threshold
            return f"{-self.reached:.1f} us"
        return f"{self.reached:,.0f} {self.unit}"


def _find(results: Sequence[Result], phase: str, role: str) -> Result | None:
    return next((r for r in results if r.phase == phase and r.role == role), None)


def _ratio(a: Result | None, b: Result | None) -> float | None:
    return a.rate / b.rate if a and b and b.rate else None


def _case(results: Sequence[Result], phase: str, case: str) -> Result | None:
    return next((r for r in results if r.phase == phase and r.case == case), None)


def _rate(result: Result | None) -> str:
    return f"{result.rate:,.0f}/s" if result else "-"


def targets(results: Sequence[Result], spans_us: float | None = None) -> list[Target]:
    """The SDK rows of issue 18's table, each against the raw baseline of the same run."""
    append_1 = _find(results, "append-1", "sdk")
    in_transaction = _case(results, "append-1", "raw asyncpg INSERT in BEGIN/COMMIT")
    append_100 = _find(results, "append-100", "sdk")
    executemany = _find(results, "append-100", "baseline")
    relay, raw_relay = _find(results, "relay", "sdk"), _find(results, "relay", "baseline")
    inbox, raw_inbox = _find(results, "inbox", "sdk"), _find(results, "inbox", "baseline")
    return [
        Target(
            "append, one event per command",
            f"append-1 {_rate(append_1)} >= 80% of raw INSERT in BEGIN/COMMIT "
            f"{_rate(in_transaction)}",
            _ratio(append_1, in_transaction),
            0.80,
            "%",
        ),
        Target(
            "append, 100 events per append",
            f"append-100 {_rate(append_100)} >= 85% of raw executemany {_rate(executemany)}",
            _ratio(append_100, executemany),
            0.85,
            "%",
        ),
        Target(
            "relay store -> Kafka",
            f"relay {_rate(relay)} >= 80% of the raw aiokafka producer {_rate(raw_relay)}",
            _ratio(relay, raw_relay),
            0.80,
            "%",
        ),
        Target(
            "inbox consume + apply",
            f"inbox (batch handler) >= 30,000/s; raw getmany {_rate(raw_inbox)}",
            inbox.rate if inbox else None,
            30_000,
            "events/s",
        ),
        Target(
            "spans",
            "publish + consume spans <= 3 us per event (batches of 500)",
            None if spans_us is None else -spans_us,
            -3.0,
            "-us",
        ),
    ]


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:.0%}"


def render(
    results: Sequence[Result],
    goals: Sequence[Target],
    sections: Sequence[Section],
    header: str,
) -> str:
    lines = [header, ""]
    for phase, title in TITLES.items():
        rows = [r for r in results if r.phase == phase]
        if not rows:
            continue
        baseline, peer = _find(results, phase, "baseline"), _find(results, phase, "peer")
        lines.append(title)
        head = f"  {'case':<44}{'events':>8}{'seconds':>9}{'events/s':>11}{'vs raw':>8}"
        lines.append(head + (f"{'vs peer':>9}" if peer else ""))
        for row in rows:
            line = (
                f"  {row.case:<44}{row.events:>8,}{row.seconds:>9.2f}{row.rate:>11,.0f}"
                f"{_percent(_ratio(row, baseline)):>8}"
            )
            if peer:
                vs_peer = _ratio(row, peer)
                line += f"{'' if vs_peer is None else f'{vs_peer:.2f}x':>9}"
            lines.append(line)
            if row.details:
                parts = ", ".join(f"{k} {v:g}" for k, v in row.details.items())
                lines.append(f"    {parts}")
        lines.append("")
    if sections:
        lines.append("Where the time goes: CPU per event of SDK pieces, in isolation (us)")
        for section in sections:
            lines.append(f"  {section.path:<8}{section.piece:<56}{section.microseconds:>8.1f}")
        lines.append("")
    lines.append("Targets (issue 18; ratios against the raw baselines of this run)")
    for goal in goals:
        lines.append(f"  {goal.goal:<86}{goal.shown():>16}   {goal.verdict()}")
    return "\n".join(lines)


def write(
    folder: Path,
    results: Sequence[Result],
    goals: Sequence[Target],
    sections: Sequence[Section],
    run: dict[str, Any],
) -> Path:
    """bench/results/sdk-<timestamp>.json and latest-sdk.json; returns the first."""
    stamp = stamp_now()
    document = {
        **run,
        "timestamp": stamp,
        "method": METHOD,
        "results": [r.as_json() for r in results],
        "cpu_per_event_microseconds": [asdict(s) for s in sections],
        "targets": [
            {
                **asdict(g),
                "reached": None if g.reached is None else round(g.reached, 4),
                "met": g.met,
            }
            for g in goals
        ],
    }
    return write_document(folder, "sdk", stamp, document)


def stamp_now() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def write_document(folder: Path, case: str, stamp: str, document: dict[str, Any]) -> Path:
    """<folder>/<case>-<stamp>.json and <folder>/latest-<case>.json; returns the first."""
    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps(document, indent=2) + "\n"
    path = folder / f"{case}-{stamp}.json"
    path.write_text(text)
    (folder / f"latest-{case}.json").write_text(text)
    return path
