"""The middle test tier: a service's command path and its reactions, without PostgreSQL or Kafka.

    store = InMemoryEventStore()
    work = in_memory_work(store, "bf")
    await handlers.hold_session(work, command)
    assert store.payloads(session_stream(command.session_id)) == [a_session()]

`InMemoryEventStore` keeps the real store's contract that `UnitOfWork` relies on (versions per
stream, ConcurrencyError for a stale expected version, one domain per append, payloads stored
as the JSON they would be in PostgreSQL and read back through the registry); it runs no
projections, since those are SQL. A handler that reads the database gets `NO_DATABASE`, which
refuses every use loudly: such a handler belongs to the integration tier.

`reaction_broker` puts an `EventHandlers` (reactions, policies) behind a FastStream subscriber;
inside `faststream.kafka.TestKafkaBroker` an envelope published with `deliver` reaches the
handler in memory, decoded exactly as the inbox decodes a Kafka record.
"""

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, cast
from uuid import uuid4

import asyncpg
from aiokafka import ConsumerRecord
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage

from reintegration_contracts import EventEnvelope, EventPayload, read_event
from reintegration_contracts.envelope import to_kafka_headers, to_kafka_value
from reintegration_contracts.topics import domain_name
from reintegration_sdk.commands import UnitOfWork
from reintegration_sdk.dispatch import EventHandlers
from reintegration_sdk.errors import ConcurrencyError
from reintegration_sdk.events import EventMeta, StoredEvent
from reintegration_sdk.eventstore import EventContext


class NoDatabase:
    """Stands where a connection would be; any use means the code under test needs SQL."""

    def __getattr__(self, name: str) -> Any:
        raise RuntimeError(
            f"connection.{name} used in an in-memory test: this code reads or writes "
            "PostgreSQL, so test it in the integration tier"
        )


NO_DATABASE = cast(asyncpg.Connection, NoDatabase())


class InMemoryEventStore:
    """An event store in a list, for `UnitOfWork` in tests of the middle tier."""

    def __init__(self) -> None:
        self._events: list[StoredEvent] = []

    async def load(self, connection: asyncpg.Connection, stream_id: str) -> list[StoredEvent]:
        return [event for event in self._events if event.stream_id == stream_id]

    async def append(
        self,
        connection: asyncpg.Connection,
        stream_id: str,
        expected_version: int,
        events: Sequence[EventPayload],
        context: EventContext,
    ) -> list[StoredEvent]:
        if not events:
            return []
        domains = {event.event_domain for event in events}
        if len(domains) != 1:
            raise ValueError("a stream's events belong to one domain")
        current = self.version(stream_id)
        if current != expected_version:
            raise ConcurrencyError(stream_id, expected_version, current)
        domain = domain_name(domains.pop())
        now = datetime.now(UTC)
        stored = [
            StoredEvent(
                position=len(self._events) + ordinal,
                stream_id=stream_id,
                version=expected_version + ordinal,
                event_id=uuid4(),
                event_name=event.event_name,
                data_version=event.event_version,
                domain=domain,
                country_office=context.country_office,
                # Through JSON, as PostgreSQL's jsonb column gives it back: a payload that does
                # not survive its wire form fails here as it would in production.
                data=json.loads(event.model_dump_json()),
                actor=context.actor,
                correlation_id=context.correlation_id,
                causation_id=context.causation_id,
                traceparent=context.traceparent,
                recorded_at=now,
            )
            for ordinal, event in enumerate(events, start=1)
        ]
        self._events.extend(stored)
        return stored

    def version(self, stream_id: str) -> int:
        return sum(1 for event in self._events if event.stream_id == stream_id)

    def events(self, stream_id: str | None = None) -> list[StoredEvent]:
        """Stored events of one stream, or of all, in the order they were appended."""
        return [e for e in self._events if stream_id is None or e.stream_id == stream_id]

    def payloads(self, stream_id: str | None = None) -> list[EventPayload]:
        """The payloads as a later load reads them (what domain tables compare)."""
        return [event.payload() for event in self.events(stream_id)]

    async def given(
        self,
        stream_id: str,
        events: Iterable[EventPayload],
        country_office: str,
        actor: str = "given",
    ) -> None:
        """History a test starts from, appended after what the stream already holds."""
        await self.append(
            NO_DATABASE,
            stream_id,
            self.version(stream_id),
            list(events),
            EventContext.new(country_office, actor),
        )


def in_memory_work(
    store: InMemoryEventStore, country_office: str, actor: str = "test-officer"
) -> UnitOfWork:
    """A command's unit of work on `store`, acting in `country_office`."""
    return UnitOfWork(NO_DATABASE, store, EventContext.new(country_office, actor))


def reaction_broker(
    handlers: EventHandlers,
    topics: Sequence[str],
    db: asyncpg.Connection = NO_DATABASE,
    broker: KafkaBroker | None = None,
) -> KafkaBroker:
    """A broker whose subscriber applies `handlers` to each event on `topics`, as the inbox
    would (decoded by `read_event`, meta from the envelope). Run it in TestKafkaBroker."""
    broker = broker or KafkaBroker()

    @broker.subscriber(*topics, group_id=f"{handlers.name}-in-memory")
    async def apply(message: KafkaMessage) -> None:
        record = message.raw_message
        if not isinstance(record, ConsumerRecord):
            raise TypeError("one record per message: this subscriber is not a batch one")
        envelope, payload = read_event(record.headers, record.value)
        await handlers.apply(db, payload, EventMeta.of_envelope(envelope))

    return broker


async def deliver(broker: KafkaBroker, envelope: EventEnvelope) -> None:
    """Publish `envelope` to its topic with the headers and value a relay would send."""
    headers = {name: value.decode() for name, value in to_kafka_headers(envelope)}
    await broker.publish(
        to_kafka_value(envelope), envelope.topic, key=envelope.subject.encode(), headers=headers
    )
