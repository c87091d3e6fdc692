"""The inbox: apply other services' events exactly once, dead-letter what cannot be applied.

A batch of Kafka records is applied in one database transaction together with the ids of the
events it applied, then the offsets are committed (after the database commit, never before).
A redelivered event finds its id in the inbox and changes nothing; an event that reuses the
id of an applied one with other content (a producer's bug, or a forged record) is not a
redelivery, and is dead-lettered rather than silently ignored. The inbox keeps a digest of what
each applied event said to tell the two apart.

A poison record must not cost the good ones beside it. Every record is read from its raw
bytes here, one by one: one that cannot be decoded or validated (not JSON, wrong schema,
missing or non-UTF-8 `ce_` headers, an office other than its topic's) goes to `<topic>.dlq`
with the reason and its original coordinates in headers, and the rest of the batch is applied.
A handler that keeps failing is retried with backoff, then dead-lettered. A dead letter that
cannot be sent is retried until it is: the batch, and so the partition, waits there rather
than committing offsets past a record that is neither applied nor parked. Events of types
this consumer does not know are skipped (tolerant reader) and counted per type.
"""

import asyncio
import functools
import hashlib
import json
import logging
import re
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Protocol
from uuid import UUID

import asyncpg
from opentelemetry.trace import SpanKind

from reintegration_contracts import EnvelopeError, EventEnvelope, EventPayload, read_event
from reintegration_contracts.registry import UnknownEventType, event_name_of, latest_version
from reintegration_contracts.topics import TOPIC_ROOT
from reintegration_sdk.backoff import Backoff
from reintegration_sdk.dead_letters import Record, dead_letter_headers
from reintegration_sdk.dispatch import EventHandlers
from reintegration_sdk.events import EventMeta
from reintegration_sdk.health import Health
from reintegration_sdk.outages import describe, is_database_outage
from reintegration_sdk.telemetry import batch_span

log = logging.getLogger(__name__)

__all__ = ["DeadLetterSink", "Inbox", "Record", "RetryPolicy", "dead_letter_headers"]

_TOPIC_OFFICE: Final = re.compile(rf"^{re.escape(TOPIC_ROOT)}\.([a-z]{{2}})\.")


class DeadLetterSink(Protocol):
    async def send(self, record: Record, reason: str, consumer: str) -> None: ...


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 3
    first_delay_seconds: float = 0.2
    factor: float = 4.0

    def delays(self) -> list[float]:
        return [self.first_delay_seconds * self.factor**i for i in range(self.attempts - 1)]


@dataclass(frozen=True)
class _Decoded:
    record: Record
    envelope: EventEnvelope
    payload: EventPayload

    @functools.cached_property
    def digest(self) -> bytes:
        return content_digest(self.envelope)


def content_digest(envelope: EventEnvelope) -> bytes:
    """What an event says, independent of how it was serialised or traced: a redelivery has
    the same digest, another event under the same id does not."""
    said = [envelope.type, envelope.dataversion, envelope.subject, envelope.data]
    canonical = json.dumps(said, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).digest()


@dataclass(frozen=True)
class _Skipped:
    """An event of a type no contract of this consumer's knows: counted, not applied."""

    event_type: str
    event_id: UUID | None


@dataclass
class _Batch:
    decoded: list[_Decoded] = field(default_factory=list)
    skipped: list[_Skipped] = field(default_factory=list)


class Inbox:
    """Applies records to `handlers` for consumer `name` (usually the service's name)."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        name: str,
        handlers: EventHandlers,
        dead_letters: DeadLetterSink,
        retry: RetryPolicy = RetryPolicy(),
        backoff: Callable[[], Backoff] = Backoff,
    ) -> None:
        self._pool = pool
        self.name = name
        self._handlers = handlers
        self._dead_letters = dead_letters
        self._retry = retry
        self._backoff = backoff
        self.health = Health(f"{name}-inbox", stall_seconds=float("inf"))
        self.health.set("running")
        self.applied = 0
        self.dead_lettered = 0
        self.skipped: Counter[str] = Counter()

    async def process(self, records: Sequence[Record]) -> None:
        """Apply a batch; returns once every record is applied, skipped or dead-lettered."""
        batch = _Batch()
        for record in records:
            await self._sort(record, batch)
        if not batch.decoded and not batch.skipped:
            return
        try:
            await self._until_database_answers(lambda: self._apply(batch.decoded, batch.skipped))
        except Exception as error:
            log.warning(
                "batch failed (%s); applying its %d events one by one",
                describe(error),
                len(batch.decoded),
            )
            await self._until_database_answers(lambda: self._apply([], batch.skipped))
            for item in batch.decoded:
                await self._apply_alone(item)

    async def _sort(self, record: Record, batch: _Batch) -> None:
        name = _header(record, "ce_type")
        if name is not None and not self._handlers.handles(event_name_of(name)):
            # Tolerant reader: events this consumer does not handle are skipped; those of
            # types no contract knows (a newer producer's) are counted, so they are seen.
            if not _known_type(event_name_of(name)):
                batch.skipped.append(_Skipped(name, _event_id(record)))
            return
        try:
            envelope, payload = read_event(record.headers, record.value)
        except EnvelopeError as error:
            await self._dead_letter(record, error.reason)
            return
        office = _office_of_topic(record.topic)
        if office is not None and envelope.countryoffice != office:
            await self._dead_letter(
                record,
                f"ce_countryoffice {envelope.countryoffice!r} disagrees with the office "
                f"{office!r} of topic {record.topic}: the topic prefix is the access boundary",
            )
            return
        batch.decoded.append(_Decoded(record, envelope, payload))

    async def _apply(self, batch: Sequence[_Decoded], skipped: Sequence[_Skipped] = ()) -> None:
        async with self._pool.acquire() as connection, connection.transaction():
            ids = [item.envelope.id for item in batch]
            ids += [item.event_id for item in skipped if item.event_id is not None]
            # Read first and record last: the inbox write must not be the transaction's first
            # write (see the relay's note on transaction ids and stream order).
            said: dict[UUID, bytes | None] = {
                row["event_id"]: row["digest"]
                for row in await connection.fetch(
                    "SELECT event_id, digest FROM inbox WHERE consumer = $1 AND event_id = ANY($2)",
                    self.name,
                    ids,
                )
            }
            fresh: list[_Decoded] = []
            reused: list[_Decoded] = []
            for item in batch:
                if item.envelope.id not in said:
                    said[item.envelope.id] = item.digest
                    fresh.append(item)
                elif said[item.envelope.id] not in (None, item.digest):
                    reused.append(item)
            if fresh:
                # One span for the batch (a child of its first trace, linked to the others):
                # a span per event cost more than applying the event.
                with batch_span(
                    _span_name([item.envelope.event_name for item in fresh]),
                    [item.envelope.traceparent for item in fresh],
                    kind=SpanKind.CONSUMER,
                    attributes=_span_attributes(fresh),
                ):
                    await self._handlers.apply_batch(
                        connection,
                        [(item.payload, EventMeta.of_envelope(item.envelope)) for item in fresh],
                    )
            seen = set(said)
            counts = await self._record_skipped(connection, skipped, seen)
            handled: list[UUID] = [item.envelope.id for item in fresh]
            digests: list[bytes | None] = [item.digest for item in fresh]
            for unknown in skipped:
                if unknown.event_id is not None:
                    handled.append(unknown.event_id)
                    digests.append(None)
            if handled:
                # One statement for the batch (executemany costs a round of the protocol per row).
                await connection.execute(
                    """INSERT INTO inbox (consumer, event_id, digest)
                       SELECT $1, e.event_id, e.digest
                       FROM unnest($2::uuid[], $3::bytea[]) AS e(event_id, digest)
                       ON CONFLICT DO NOTHING""",
                    self.name,
                    handled,
                    digests,
                )
        self.applied += len(fresh)
        self.skipped.update(counts)
        for item in reused:
            await self._dead_letter(
                item.record,
                f"event id {item.envelope.id} was already applied with other content: "
                "an event id names one event, so this is not a redelivery",
            )

    async def _record_skipped(
        self, connection: asyncpg.Connection, skipped: Sequence[_Skipped], seen: set[UUID]
    ) -> Counter[str]:
        counts: Counter[str] = Counter()
        for item in skipped:
            if item.event_id is None or item.event_id not in seen:
                counts[item.event_type] += 1
                if item.event_id is not None:
                    seen.add(item.event_id)
        for event_type, count in counts.items():
            log.info("skipped %d events of unknown type %s", count, event_type)
        if counts:
            await connection.executemany(
                """INSERT INTO skipped_events (consumer, event_type, count) VALUES ($1, $2, $3)
                   ON CONFLICT (consumer, event_type) DO UPDATE
                   SET count = skipped_events.count + $3, last_seen_at = now()""",
                [(self.name, event_type, count) for event_type, count in sorted(counts.items())],
            )
        return counts

    async def _apply_alone(self, item: _Decoded) -> None:
        last_error: Exception | None = None
        for delay in [*self._retry.delays(), None]:
            try:
                await self._until_database_answers(lambda: self._apply([item]))
                return
            except Exception as error:  # a handler's bug or a rule it hit: retry, then park
                last_error = error
                if delay is not None:
                    await asyncio.sleep(delay)
        reason = f"handler failed after {self._retry.attempts} attempts: {last_error!r}"
        await self._dead_letter(item.record, reason)

    async def _until_database_answers(self, attempt: Callable[[], Awaitable[None]]) -> None:
        backoff = self._backoff()
        while True:
            try:
                await attempt()
            except Exception as error:
                if not is_database_outage(error):
                    raise
                delay = backoff.next_delay()
                self.health.set("unavailable", f"database: {describe(error)}")
                log.warning("database unavailable (%s); retrying in %.1fs", error, delay)
                await asyncio.sleep(delay)
            else:
                self.health.set("running")
                return

    async def _dead_letter(self, record: Record, reason: str) -> None:
        log.warning(
            "dead-lettering %s[%d]@%d: %s", record.topic, record.partition, record.offset, reason
        )
        backoff = self._backoff()
        while True:
            try:
                await self._dead_letters.send(record, reason, self.name)
            except Exception as error:
                # Never skip a record that is neither applied nor parked: wait here, and the
                # offsets of this batch stay uncommitted until the copy is sent.
                delay = backoff.next_delay()
                self.health.set("unavailable", f"dead-letter topic: {describe(error)}")
                log.warning(
                    "cannot dead-letter %s[%d]@%d (%s); retrying in %.1fs",
                    record.topic,
                    record.partition,
                    record.offset,
                    describe(error),
                    delay,
                )
                await asyncio.sleep(delay)
            else:
                break
        await self._until_database_answers(lambda: self._record_dead_letter(record, reason))
        self.dead_lettered += 1

    async def _record_dead_letter(self, record: Record, reason: str) -> None:
        async with self._pool.acquire() as connection:
            await connection.execute(
                """INSERT INTO dead_letters (consumer, topic, partition, "offset", reason)
                   VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING""",
                self.name,
                record.topic,
                record.partition,
                record.offset,
                reason,
            )


def _span_name(event_names: Sequence[str]) -> str:
    names = set(event_names)
    return f"consume {names.pop()}" if len(names) == 1 else f"consume {len(event_names)} events"


def _span_attributes(batch: Sequence[_Decoded]) -> dict[str, Any]:
    attributes: dict[str, Any] = {
        "messaging.system": "kafka",
        "messaging.batch.message_count": len(batch),
    }
    if len(batch) == 1:
        attributes["event.id"] = str(batch[0].envelope.id)
    return attributes


def _header(record: Record, name: str) -> str | None:
    for key, value in record.headers or ():
        if key == name:
            try:
                return value.decode()
            except (UnicodeDecodeError, AttributeError):
                return None
    return None


def _event_id(record: Record) -> UUID | None:
    try:
        return UUID(_header(record, "ce_id") or "")
    except ValueError:
        return None


def _office_of_topic(topic: str) -> str | None:
    match = _TOPIC_OFFICE.match(topic)
    return match.group(1) if match else None


def _known_type(name: str) -> bool:
    try:
        latest_version(name)
    except UnknownEventType:
        return False
    return True
