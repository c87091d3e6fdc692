"""A table from payload type to handler, shared by projections, reactions and policies.

reactions = EventHandlers("training", tables=["counselled_returnees"])

@reactions.on(CounsellingAttended)
async def on_counselling_attended(db, event: CounsellingAttended, meta: EventMeta) -> None:
    ...

A handler that can apply many events with one statement declares a batch form instead:

@reactions.on_batch(FollowUpRecorded)
async def on_follow_ups(db, events: Sequence[tuple[FollowUpRecorded, EventMeta]]) -> None:
    await db.execute("INSERT INTO visits SELECT * FROM unnest($1::uuid[], $2::int[])", ...)

`apply_batch` hands a batch handler every event of its type in a run of the batch, in batch
order. Read models are a function of the set of events with each stream's order kept, so runs
are cut where a stream's next event is of another type (that stream's order holds across
handlers) and at every event that has a per-event handler (applied alone, where it stands).
A batch handler also serves single events (`apply`, a store's projections, a rebuild): it is
then called with a batch of one.
"""

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import asyncpg

from reintegration_contracts import EventPayload
from reintegration_sdk.events import EventMeta

E = TypeVar("E", bound=EventPayload)
Handler = Callable[[asyncpg.Connection, Any, EventMeta], Awaitable[None]]
BatchHandler = Callable[[asyncpg.Connection, Sequence[tuple[Any, EventMeta]]], Awaitable[None]]
Applied = tuple[EventPayload, EventMeta]


@dataclass(frozen=True)
class _Entry:
    handler: Handler | None = None
    batch: BatchHandler | None = None

    async def one(self, connection: asyncpg.Connection, payload: Any, meta: EventMeta) -> None:
        if self.handler is not None:
            await self.handler(connection, payload, meta)
        elif self.batch is not None:
            await self.batch(connection, [(payload, meta)])


class EventHandlers:
    """Named handlers keyed by event name; one event may have several handlers."""

    def __init__(self, name: str, tables: Sequence[str] = ()) -> None:
        self.name = name
        self.tables = tuple(tables)
        self._handlers: dict[str, list[_Entry]] = {}

    def on(
        self, payload_type: type[E]
    ) -> Callable[
        [Callable[[asyncpg.Connection, E, EventMeta], Awaitable[None]]],
        Callable[[asyncpg.Connection, E, EventMeta], Awaitable[None]],
    ]:
        """Register the decorated coroutine for events of `payload_type`."""

        def register(
            handler: Callable[[asyncpg.Connection, E, EventMeta], Awaitable[None]],
        ) -> Callable[[asyncpg.Connection, E, EventMeta], Awaitable[None]]:
            self._handlers.setdefault(payload_type.event_name, []).append(_Entry(handler=handler))
            return handler

        return register

    def on_batch(
        self, payload_type: type[E]
    ) -> Callable[
        [Callable[[asyncpg.Connection, Sequence[tuple[E, EventMeta]]], Awaitable[None]]],
        Callable[[asyncpg.Connection, Sequence[tuple[E, EventMeta]]], Awaitable[None]],
    ]:
        """Register the decorated coroutine as the batch form for events of `payload_type`:
        it gets (payload, meta) pairs in batch order and should apply them with one statement
        per table."""

        def register(
            handler: Callable[[asyncpg.Connection, Sequence[tuple[E, EventMeta]]], Awaitable[None]],
        ) -> Callable[[asyncpg.Connection, Sequence[tuple[E, EventMeta]]], Awaitable[None]]:
            self._handlers.setdefault(payload_type.event_name, []).append(_Entry(batch=handler))
            return handler

        return register

    def handles(self, event_name: str) -> bool:
        return event_name in self._handlers

    @property
    def event_names(self) -> frozenset[str]:
        return frozenset(self._handlers)

    async def apply(
        self, connection: asyncpg.Connection, payload: EventPayload, meta: EventMeta
    ) -> None:
        for entry in self._handlers.get(payload.event_name, ()):
            await entry.one(connection, payload, meta)

    async def apply_batch(self, connection: asyncpg.Connection, events: Sequence[Applied]) -> None:
        """Apply `events` in order, batch handlers taking runs of their type at once."""
        run: dict[str, list[Applied]] = {}
        streams: dict[str, str] = {}
        for payload, meta in events:
            name = payload.event_name
            entries = self._handlers.get(name)
            if not entries:
                continue
            if any(entry.batch is None for entry in entries):
                await self._flush(connection, run, streams)
                for entry in entries:
                    await entry.one(connection, payload, meta)
                continue
            if streams.setdefault(meta.stream_id, name) != name:
                await self._flush(connection, run, streams)
                streams[meta.stream_id] = name
            run.setdefault(name, []).append((payload, meta))
        await self._flush(connection, run, streams)

    async def _flush(
        self, connection: asyncpg.Connection, run: dict[str, list[Applied]], streams: dict[str, str]
    ) -> None:
        for name, items in run.items():
            for entry in self._handlers[name]:
                assert entry.batch is not None  # a run holds only events with batch forms
                await entry.batch(connection, items)
        run.clear()
        streams.clear()

    @classmethod
    def chain(cls, name: str, *parts: "EventHandlers | None") -> "EventHandlers":
        """One table that applies, for each event, every part's handlers in the order of
        `parts` (absent parts skipped); its tables are the parts' tables."""
        chained = cls(name, tables=[t for part in parts if part for t in part.tables])
        for part in parts:
            if part is None:
                continue
            for event_name, handlers in part._handlers.items():
                chained._handlers.setdefault(event_name, []).extend(handlers)
        return chained
