"""A table from payload type to handler, shared by projections, reactions and policies.

reactions = EventHandlers("training", tables=["counselled_returnees"])

@reactions.on(CounsellingAttended)
async def on_counselling_attended(db, event: CounsellingAttended, meta: EventMeta) -> None:
    ...
"""

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

import asyncpg

from reintegration_contracts import EventPayload
from reintegration_sdk.events import EventMeta

E = TypeVar("E", bound=EventPayload)
Handler = Callable[[asyncpg.Connection, Any, EventMeta], Awaitable[None]]


class EventHandlers:
    """Named handlers keyed by event name; one event may have several handlers."""

    def __init__(self, name: str, tables: Sequence[str] = ()) -> None:
        self.name = name
        self.tables = tuple(tables)
        self._handlers: dict[str, list[Handler]] = {}

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
            self._handlers.setdefault(payload_type.event_name, []).append(handler)
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
        for handler in self._handlers.get(payload.event_name, ()):
            await handler(connection, payload, meta)

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
