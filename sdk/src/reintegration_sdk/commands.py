"""One way to run a command: load the stream, fold it, decide, append with its version.

    async def submit_plan(work: UnitOfWork, command: SubmitPlan) -> list[PlanEvent]:
        return await work.execute(plans, plan_stream(command.plan_id), command)

A `UnitOfWork` is one command's transaction: the connection, the service's event store and who
acts in which office. `execute` appends at the version it loaded, so two commands racing on a
stream cannot both win (the loser gets ConcurrencyError, HTTP 409), and the service's own read
models are updated in the same transaction by the store's projections. A stream of another
country office loads as if it did not exist, so the domain refuses it with the very words it
uses for an unknown id: telling "exists elsewhere" from "does not exist" would tell who is
registered in another office.
"""

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

import asyncpg

from reintegration_contracts import EventPayload
from reintegration_sdk.decider import Decider
from reintegration_sdk.errors import ConcurrencyError
from reintegration_sdk.events import EventMeta, StoredEvent
from reintegration_sdk.eventstore import EventContext

S = TypeVar("S")
C = TypeVar("C")
E = TypeVar("E", bound=EventPayload)


class StreamStore(Protocol):
    """What a unit of work needs of an event store: one stream loaded, events appended.

    `EventStore` (PostgreSQL) is the one services run on; the middle test tier runs the same
    command path on `reintegration_sdk.testing.memory.InMemoryEventStore`.
    """

    async def load(self, connection: asyncpg.Connection, stream_id: str) -> list[StoredEvent]: ...

    async def append(
        self,
        connection: asyncpg.Connection,
        stream_id: str,
        expected_version: int,
        events: Sequence[EventPayload],
        context: EventContext,
    ) -> list[StoredEvent]: ...


@dataclass(frozen=True)
class Loaded(Generic[S]):
    """A stream's state as folded, and the version a new event must follow."""

    stream_id: str
    state: S
    version: int
    # True when the stream belongs to another office: it reads as empty, and nothing may be
    # appended to it from here.
    elsewhere: bool = False

    @property
    def exists(self) -> bool:
        return self.version > 0


class UnitOfWork:
    """The transaction one command (or one reaction to an event) runs in."""

    def __init__(self, db: asyncpg.Connection, store: StreamStore, context: EventContext) -> None:
        self.db = db
        self.store = store
        self.context = context

    @classmethod
    def caused_by(
        cls, db: asyncpg.Connection, store: StreamStore, meta: EventMeta, actor: str
    ) -> "UnitOfWork":
        """The unit of work of a policy reacting to another service's event in the inbox."""
        return cls(db, store, EventContext.caused_by(meta, actor))

    @property
    def country_office(self) -> str:
        return self.context.country_office

    async def load(self, decider: Decider[S, Any, Any], stream_id: str) -> Loaded[S]:
        """The stream folded by `decider`; another office's stream reads as empty."""
        history = await self.store.load(self.db, stream_id)
        if history and history[0].country_office != self.country_office:
            return Loaded(stream_id, decider.initial, 0, elsewhere=True)
        state = decider.fold(event.payload() for event in history)
        return Loaded(stream_id, state, history[-1].version if history else 0)

    async def execute(
        self,
        decider: Decider[S, C, E],
        stream_id: str,
        command: C | Callable[[S], Awaitable[C]],
    ) -> list[E]:
        """Decide `command` on the stream and append what it yields; returns those events.

        `command` may be a coroutine function of the loaded state, for commands that need
        facts the state points to (the centre a cohort runs at, say) gathered before deciding.
        """
        loaded = await self.load(decider, stream_id)
        if callable(command):
            command = await command(loaded.state)
        events = list(decider.decide(loaded.state, command))
        if loaded.elsewhere and events:
            # An id another office holds (the domain took it for new): like any taken id.
            raise ConcurrencyError(stream_id, 0, None)
        await self.append(stream_id, loaded.version, events)
        return events

    async def append(
        self, stream_id: str, expected_version: int, events: Sequence[EventPayload]
    ) -> None:
        """Append already decided events (what `execute` does after deciding)."""
        await self.store.append(self.db, stream_id, expected_version, events, self.context)
