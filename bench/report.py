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
    "inbox": "Inbox: Kafka -> consume and apply (one-row handler)",
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
    "to the last record done (group join excluded); the SDK applies each event with a one-row "
    "INSERT and records it in the inbox in the batch's transaction; the raw consumer does nothing",
    "tracing": "an SDK tracer provider is installed as a service does (spans recorded, nothing "
    "exported)",
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
        return f"{self.reached:,.0f} {self.unit}"


def _find(results: Sequence[Result], phase: str, role: str) -> Result | None:
    return next((r for r in results if r.phase == phase and r.role == role), None)


def _ratio(a: Result | None, b: Result | None) -> float | None:
    return a.rate / b.rate if a and b and b.rate else None


def targets(results: Sequence[Result]) -> list[Target]:
    sdk_append = _find(results, "append-1", "sdk")
    inbox = _find(results, "inbox", "sdk")
    return [
        Target(
            "append vs raw",
            "append >= 70% of raw asyncpg at one event per command",
            _ratio(sdk_append, _find(results, "append-1", "baseline")),
            0.70,
            "%",
        ),
        Target(
            "append vs eventsourcing",
            "append >= 3x eventsourcing at one event per command",
            _ratio(sdk_append, _find(results, "append-1", "peer")),
            3.0,
            "x",
        ),
        Target(
            "relay vs raw producer",
            "relay >= 70% of the raw aiokafka producer",
            _ratio(_find(results, "relay", "sdk"), _find(results, "relay", "baseline")),
            0.70,
            "%",
        ),
        Target(
            "consume-and-apply",
            "inbox consume-and-apply >= 10,000 events/s",
            inbox.rate if inbox else None,
            10_000,
            "events/s",
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
    lines.append("Targets (issue 3)")
    for goal in goals:
        lines.append(f"  {goal.goal:<56}{goal.shown():>18}   {goal.verdict()}")
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
