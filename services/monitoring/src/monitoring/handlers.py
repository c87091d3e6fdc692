"""Command handlers: load the stream, fold it, decide, append. No rule of the field here."""

from collections.abc import Callable
from functools import reduce
from typing import TypeVar

import asyncpg

from monitoring import domain
from monitoring.projections import projections
from reintegration_contracts.registry import EventPayload
from reintegration_sdk.events import StoredEvent
from reintegration_sdk.eventstore import EventContext, EventStore

store = EventStore(projections=[projections])

S = TypeVar("S")
C = TypeVar("C")


async def _run(
    db: asyncpg.Connection,
    stream_id: str,
    initial: S,
    evolve: Callable[[S, EventPayload], S],
    decide: Callable[[S, C], list[EventPayload]],
    command: C,
    context: EventContext,
) -> list[StoredEvent]:
    history = await store.load(db, stream_id)
    state = reduce(evolve, (e.payload() for e in history), initial)
    return await store.append(db, stream_id, len(history), decide(state, command), context)


async def office_schedule(db: asyncpg.Connection, country_office: str) -> domain.Schedule:
    history = await store.load(db, domain.schedule_stream(country_office))
    return reduce(domain.evolve_schedule, (e.payload() for e in history), domain.Schedule())


async def configure_schedule(
    db: asyncpg.Connection, command: domain.ConfigureSchedule, context: EventContext
) -> list[StoredEvent]:
    stream = domain.schedule_stream(context.country_office)
    return await _run(
        db,
        stream,
        domain.Schedule(),
        domain.evolve_schedule,
        domain.decide_schedule,
        command,
        context,
    )


async def follow_up(
    db: asyncpg.Connection, command: domain.Command, context: EventContext
) -> list[StoredEvent]:
    """Schedule visits, record a visit or score a survey on the returnee's follow-up stream."""
    stream = domain.follow_up_stream(command.returnee_id)
    return await _run(
        db, stream, domain.FollowUps(), domain.evolve, domain.decide, command, context
    )
