"""The event store on asyncpg: append with an expected version, load a stream, read all.

Every method takes the caller's connection, so a command handler appends events and updates
its service's own read models in one transaction.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

import asyncpg

from reintegration_contracts import EventPayload
from reintegration_contracts.topics import domain_name
from reintegration_sdk.dispatch import EventHandlers
from reintegration_sdk.errors import ConcurrencyError
from reintegration_sdk.events import EventMeta, StoredEvent
from reintegration_sdk.telemetry import current_traceparent

NOTIFY_CHANNEL = "events_appended"

_COLUMNS = """position, stream_id, version, event_id, event_name, data_version, domain,
    country_office, data::text AS data, actor, correlation_id, causation_id, traceparent,
    recorded_at"""

# One statement: the version check, the insert of every event and the wake-up of the relay.
# The unique (stream_id, version) constraint settles the race two writers can still run.
_APPEND = f"""
WITH current AS (
    SELECT coalesce(max(version), 0) AS version FROM events WHERE stream_id = $1
), inserted AS (
    INSERT INTO events (stream_id, version, event_id, event_name, data_version, domain,
                        country_office, data, actor, correlation_id, causation_id, traceparent)
    SELECT $1, $2 + e.ordinal, e.event_id, e.event_name, e.data_version, $7, $8,
           e.data::jsonb, $9, $10, $11, $12
    FROM unnest($3::uuid[], $4::text[], $5::int[], $6::text[])
             WITH ORDINALITY AS e(event_id, event_name, data_version, data, ordinal),
         current
    WHERE current.version = $2
    RETURNING {_COLUMNS}
)
SELECT inserted.*, current.version AS current_version
FROM current LEFT JOIN inserted ON true
"""
_NOTIFY = "SELECT pg_notify($1, '')"


@dataclass(frozen=True)
class EventContext:
    """Who causes the events and in which office; every event's envelope carries it."""

    country_office: str
    actor: str
    correlation_id: str
    causation_id: str | None = None
    traceparent: str | None = None

    @classmethod
    def caused_by(cls, meta: EventMeta, actor: str) -> "EventContext":
        """Context of events a reaction appends in response to another service's event."""
        return cls(
            country_office=meta.country_office,
            actor=actor,
            correlation_id=meta.correlation_id,
            causation_id=str(meta.event_id),
            traceparent=meta.traceparent,
        )

    @classmethod
    def new(
        cls, country_office: str, actor: str, causation_id: str | None = None
    ) -> "EventContext":
        return cls(country_office, actor, correlation_id=str(uuid4()), causation_id=causation_id)


class EventStore:
    """A service's append-only log of events, which is also its outbox."""

    def __init__(self, projections: Sequence[EventHandlers] = (), notify: bool = True) -> None:
        self._projections = tuple(projections)
        self._notify = notify

    async def append(
        self,
        connection: asyncpg.Connection,
        stream_id: str,
        expected_version: int,
        events: Sequence[EventPayload],
        context: EventContext,
    ) -> list[StoredEvent]:
        """Append `events` after `expected_version` (0 for a new stream), or raise
        ConcurrencyError; projections of this store run in the same transaction."""
        if not events:
            return []
        domains = {event.event_domain for event in events}
        if len(domains) != 1:
            raise ValueError("a stream's events belong to one domain")
        try:
            rows = await connection.fetch(
                _APPEND,
                stream_id,
                expected_version,
                [uuid4() for _ in events],
                [event.event_name for event in events],
                [event.event_version for event in events],
                [event.model_dump_json() for event in events],
                domain_name(domains.pop()),
                context.country_office,
                context.actor,
                context.correlation_id,
                context.causation_id,
                context.traceparent or current_traceparent(),
            )
        except asyncpg.UniqueViolationError as error:
            raise ConcurrencyError(stream_id, expected_version, None) from error
        if rows[0]["position"] is None:
            raise ConcurrencyError(stream_id, expected_version, rows[0]["current_version"])
        if self._notify:
            await connection.execute(_NOTIFY, NOTIFY_CHANNEL)
        stored = [_stored(row) for row in rows]
        if not self._projections:
            return stored
        # The payloads in hand are the ones just stored: no need to parse them back.
        applied = [(payload, event.meta) for event, payload in zip(stored, events, strict=True)]
        if len(self._projections) == 1:
            # One projection: its batch handlers take the append's events at once.
            await self._projections[0].apply_batch(connection, applied)
            return stored
        for payload, meta in applied:
            for projection in self._projections:
                await projection.apply(connection, payload, meta)
        return stored

    @property
    def projections(self) -> tuple[EventHandlers, ...]:
        return self._projections

    async def load(self, connection: asyncpg.Connection, stream_id: str) -> list[StoredEvent]:
        """Every event of one stream, oldest first."""
        rows = await connection.fetch(
            f"SELECT {_COLUMNS} FROM events WHERE stream_id = $1 ORDER BY version", stream_id
        )
        return [_stored(row) for row in rows]

    async def read_all(
        self, connection: asyncpg.Connection, after: int = 0, limit: int = 1000
    ) -> list[StoredEvent]:
        """Events in global position order after `after` (committed rows only)."""
        rows = await connection.fetch(
            f"SELECT {_COLUMNS} FROM events WHERE position > $1 ORDER BY position LIMIT $2",
            after,
            limit,
        )
        return [_stored(row) for row in rows]

    async def find_event(
        self, connection: asyncpg.Connection, event_id: UUID
    ) -> StoredEvent | None:
        row = await connection.fetchrow(
            f"SELECT {_COLUMNS} FROM events WHERE event_id = $1", event_id
        )
        return _stored(row) if row else None


def stored_event_from_row(row: asyncpg.Record) -> StoredEvent:
    return _stored(row)


def _stored(row: asyncpg.Record) -> StoredEvent:
    data: Any = row["data"]
    return StoredEvent(
        position=row["position"],
        stream_id=row["stream_id"],
        version=row["version"],
        event_id=row["event_id"],
        event_name=row["event_name"],
        data_version=row["data_version"],
        domain=row["domain"],
        country_office=row["country_office"],
        data=json.loads(data) if isinstance(data, str) else data,
        actor=row["actor"],
        correlation_id=row["correlation_id"],
        causation_id=row["causation_id"],
        traceparent=row["traceparent"],
        recorded_at=row["recorded_at"],
    )


EVENT_COLUMNS = _COLUMNS
