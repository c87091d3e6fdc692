"""What a fault cost: the evidence gathered after a scenario, and the verdict on it (pure).

The evidence is read from the outside: every service's event store table and inbox, every
record of the offices' topics and dead-letter topics as an independent Kafka client found
them, monitoring's funnel. The verdict counts what was lost (stored but never published,
published but never applied by a consumer that handles it, good records dead-lettered, fewer
events or funnel counts than a run without fault) and what was applied twice (a record
published twice, a reaction appended twice for one cause, two kit orders for one plan, two
follow-up schedules for one delivery, more events or funnel counts than a run without fault),
and whether every poison record reached its dead-letter topic with a reason.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from chaos.kafka_reader import KafkaRecord
from chaos.malformed import Poison
from reintegration_contracts.topics import TOPIC_ROOT
from reintegration_scenarios.script import FunnelRow

EXAMPLES = 3  # examples quoted per kind of problem


@dataclass(frozen=True)
class StoredEvent:
    """One row of a service's event store table."""

    service: str
    event_id: str
    stream_id: str
    version: int
    event_name: str
    domain: str
    office: str
    causation_id: str | None
    data: dict[str, Any]


@dataclass(frozen=True)
class Consumer:
    """A service's inbox: the domains it reads and the event types it handles."""

    name: str
    domains: frozenset[str]
    handles: frozenset[str]

    def reads(self, topic: str) -> bool:
        parts = topic.split(".")
        return len(parts) == 3 and parts[0] == TOPIC_ROOT and parts[2] in self.domains

    def must_dead_letter(self, poison: Poison) -> bool:
        """A consumer skips types it does not handle; a record without a type it cannot skip."""
        return self.reads(poison.topic) and (
            poison.event_name is None or poison.event_name in self.handles
        )


@dataclass(frozen=True)
class Injected:
    """A poison record and where it landed."""

    poison: Poison
    partition: int
    offset: int

    @property
    def coordinates(self) -> tuple[str, int, int]:
        return (self.poison.topic, self.partition, self.offset)


@dataclass(frozen=True)
class Evidence:
    office: str  # the scenario's office; the others (decoys) are audited for publication only
    offices: tuple[str, ...]
    stored: Sequence[StoredEvent]
    published: Sequence[KafkaRecord]  # every record of the offices' event topics
    dead_letters: Sequence[KafkaRecord]
    inboxes: dict[str, set[str]]  # consumer -> event ids applied
    consumers: Sequence[Consumer]
    injected: Sequence[Injected] = ()
    expected_funnel: Sequence[FunnelRow] | None = None
    observed_funnel: Sequence[FunnelRow] | None = None
    baseline: dict[str, int] | None = None  # "service/EventName" -> events of a clean run
    scenario_completed: bool = True


@dataclass
class Findings:
    lost: Counter[str] = field(default_factory=Counter)
    duplicated: Counter[str] = field(default_factory=Counter)
    dead_lettered: int = 0
    to_dead_letter: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def total_lost(self) -> int:
        return sum(self.lost.values())

    @property
    def total_duplicated(self) -> int:
        return sum(self.duplicated.values())

    def problem(self, kind: str, examples: Iterable[object], count: int) -> None:
        shown = ", ".join(str(e) for e in list(examples)[:EXAMPLES])
        self.problems.append(f"{kind}: {count} (e.g. {shown})")


def event_counts(stored: Iterable[StoredEvent], office: str) -> dict[str, int]:
    """ "service/EventName" -> how many events of that type the office's stores hold."""
    return dict(Counter(f"{e.service}/{e.event_name}" for e in stored if e.office == office))


def judge(evidence: Evidence) -> Findings:
    findings = Findings()
    injected = {i.coordinates: i for i in evidence.injected}
    published = [r for r in evidence.published if r.coordinates not in injected]
    by_id = {e.event_id: e for e in evidence.stored}
    _publication(evidence, published, by_id, findings)
    _consumption(evidence, published, by_id, findings)
    _effects(evidence, findings)
    _dead_letters(evidence, injected, findings)
    _poison_effects(evidence, findings)
    if evidence.scenario_completed:
        _against_clean_run(evidence, findings)
    return findings


def _publication(
    evidence: Evidence,
    published: Sequence[KafkaRecord],
    by_id: dict[str, StoredEvent],
    findings: Findings,
) -> None:
    """Every stored event on its topic exactly once, each stream in version order."""
    seen = Counter(r.event_id for r in published)
    unpublished = [e.event_id for e in evidence.stored if seen[e.event_id] == 0]
    if unpublished:
        findings.lost["stored but never published"] += len(unpublished)
        findings.problem("stored but never published", unpublished, len(unpublished))
    twice = {i: n for i, n in seen.items() if n > 1 and i in by_id}
    if twice:
        findings.duplicated["published more than once"] += sum(n - 1 for n in twice.values())
        findings.problem("published more than once", twice, len(twice))
    foreign = [r.coordinates for r in published if r.event_id not in by_id]
    if foreign:
        findings.problem("records no store holds", foreign, len(foreign))
    streams: dict[str, list[KafkaRecord]] = defaultdict(list)
    for record in published:
        if record.event_id in by_id:
            streams[by_id[record.event_id].stream_id].append(record)
    misplaced, disordered = [], []
    for stream, records in streams.items():
        event = by_id[records[0].event_id or ""]
        topic = f"{TOPIC_ROOT}.{event.office}.{event.domain}"
        if {(r.topic, r.partition) for r in records} != {(topic, records[0].partition)}:
            misplaced.append(stream)
            continue
        first: dict[str, int] = {}
        for record in sorted(records, key=lambda r: r.offset):
            first.setdefault(record.event_id or "", by_id[record.event_id or ""].version)
        versions = list(first.values())
        if versions != sorted(versions):
            disordered.append(f"{stream} {versions}")
    if misplaced:
        findings.problem(
            "a stream on another topic or on several partitions", misplaced, len(misplaced)
        )
    if disordered:
        findings.problem("a stream published out of version order", disordered, len(disordered))


def _consumption(
    evidence: Evidence,
    published: Sequence[KafkaRecord],
    by_id: dict[str, StoredEvent],
    findings: Findings,
) -> None:
    """Every published event applied by every consumer that handles its type."""
    for consumer in evidence.consumers:
        applied = evidence.inboxes.get(consumer.name, set())
        missing = sorted(
            {
                f"{by_id[r.event_id].event_name} {r.event_id}"
                for r in published
                if r.event_id in by_id
                and consumer.reads(r.topic)
                and by_id[r.event_id].event_name in consumer.handles
                and r.event_id not in applied
            }
        )
        if missing:
            findings.lost[f"published but not applied by {consumer.name}"] += len(missing)
            findings.problem(f"published but not applied by {consumer.name}", missing, len(missing))


def _effects(evidence: Evidence, findings: Findings) -> None:
    """One effect per cause: a reaction's events, a plan's kit order, a delivery's schedule."""
    reactions = Counter(
        (e.service, e.causation_id, e.event_name, e.stream_id)
        for e in evidence.stored
        if e.causation_id is not None
    )
    again = {k: n for k, n in reactions.items() if n > 1}
    if again:
        findings.duplicated["a reaction appended twice for one cause"] += sum(
            n - 1 for n in again.values()
        )
        findings.problem(
            "a reaction appended twice for one cause",
            [f"{s} {name} for {cause}" for s, cause, name, _ in again],
            len(again),
        )
    rules = {
        "kit orders for one approved plan": ("KitOrdered", ("plan_id",)),
        "follow-up schedules for one delivery": ("FollowUpsScheduled", ("returnee_id", "order_id")),
    }
    for label, (name, keys) in rules.items():
        counts = Counter(
            tuple(e.data.get(k) for k in keys)
            for e in evidence.stored
            if e.event_name == name and all(e.data.get(k) for k in keys)
        )
        extra = {k: n for k, n in counts.items() if n > 1}
        if extra:
            findings.duplicated[label] += sum(n - 1 for n in extra.values())
            findings.problem(f"several {label}", extra, len(extra))


def _dead_letters(
    evidence: Evidence,
    injected: dict[tuple[str, int, int], Injected],
    findings: Findings,
) -> None:
    """Each poison in `<topic>.dlq` from every consumer that reads its type, with a reason."""
    copies: dict[tuple[str, int, int], dict[str, str]] = defaultdict(dict)
    strays = []
    for record in evidence.dead_letters:
        origin = _origin(record)
        if origin is None:
            strays.append(record.coordinates)
            continue
        copies[origin][record.text("dlq_consumer") or "?"] = record.text("dlq_reason") or ""
        if origin not in injected:
            strays.append(f"{origin} ({record.text('dlq_reason')})")
    if strays:
        findings.lost["good records dead-lettered"] += len(strays)
        findings.problem("good records dead-lettered", strays, len(strays))
    missing, unwanted = [], []
    for coordinates, item in injected.items():
        expected = {c.name for c in evidence.consumers if c.must_dead_letter(item.poison)}
        reasons = copies.get(coordinates, {})
        if not item.poison.dead_letter:
            if reasons:
                unwanted.append(f"{item.poison.kind} by {sorted(reasons)}")
            continue
        findings.to_dead_letter += 1
        absent = sorted(c for c in expected if not reasons.get(c, "").strip())
        if absent:
            missing.append(f"{item.poison.kind} (not by {', '.join(absent)})")
        else:
            findings.dead_lettered += 1
    if missing:
        findings.problem("poison records not dead-lettered with a reason", missing, len(missing))
    if unwanted:
        findings.problem("a plain redelivery was dead-lettered", unwanted, len(unwanted))


def _poison_effects(evidence: Evidence, findings: Findings) -> None:
    applied = sorted(
        f"{i.poison.kind} by {consumer}"
        for i in evidence.injected
        if i.poison.fresh_id and i.poison.event_id is not None
        for consumer, ids in evidence.inboxes.items()
        if i.poison.event_id in ids
    )
    if applied:
        findings.problem("poison records applied", applied, len(applied))


def _against_clean_run(evidence: Evidence, findings: Findings) -> None:
    if evidence.baseline is not None:
        counts = event_counts(evidence.stored, evidence.office)
        for key in sorted(set(counts) | set(evidence.baseline)):
            difference = counts.get(key, 0) - evidence.baseline.get(key, 0)
            if difference > 0:
                findings.duplicated["more events than the run without fault"] += difference
                findings.problems.append(f"{key}: {difference} more than without fault")
            elif difference < 0:
                findings.lost["fewer events than the run without fault"] -= difference
                findings.problems.append(f"{key}: {-difference} fewer than without fault")
    if evidence.expected_funnel is not None and evidence.observed_funnel is not None:
        for want, got in zip(evidence.expected_funnel, evidence.observed_funnel, strict=False):
            for what in ("returnees", "plans"):
                difference = (getattr(got, what) or 0) - (getattr(want, what) or 0)
                if difference > 0:
                    findings.duplicated["funnel counts above the scenario's"] += difference
                elif difference < 0:
                    findings.lost["funnel counts below the scenario's"] -= difference
        if list(evidence.expected_funnel) != list(evidence.observed_funnel):
            findings.problem(
                "monitoring's funnel differs from the scenario's", _funnel_differences(evidence), 1
            )


def _funnel_differences(evidence: Evidence) -> list[str]:
    assert evidence.expected_funnel is not None and evidence.observed_funnel is not None
    return [
        f"{want.stage} {got.returnees}/{got.plans} for {want.returnees}/{want.plans}"
        for want, got in zip(evidence.expected_funnel, evidence.observed_funnel, strict=False)
        if want != got
    ] or ["rows differ"]


def _origin(record: KafkaRecord) -> tuple[str, int, int] | None:
    topic = record.text("dlq_original_topic")
    partition = record.text("dlq_original_partition")
    offset = record.text("dlq_original_offset")
    if topic is None or partition is None or offset is None:
        return None
    try:
        return (topic, int(partition), int(offset))
    except ValueError:
        return None
