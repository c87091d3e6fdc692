"""A minimal service on the SDK's command path, for the SDK's own tests.

One stream per named schedule; a command sets its visit offsets. The projection writes a
read-model row in the command's transaction, so the route's answer is read from it.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from pathlib import Path

import asyncpg
from fastapi import Depends
from pydantic import BaseModel

from reintegration_contracts import Domain
from reintegration_contracts.events.monitoring import FollowUpScheduleConfigured
from reintegration_sdk.auth import Role, office_scoped
from reintegration_sdk.decider import Decider
from reintegration_sdk.dispatch import EventHandlers
from reintegration_sdk.errors import InvalidFields, NotFound, RuleViolation
from reintegration_sdk.events import EventMeta
from reintegration_sdk.eventstore import EventStore
from reintegration_sdk.routing import Db, Work, office_router
from reintegration_sdk.service import ServiceDefinition


@dataclass(frozen=True)
class Configure:
    offsets_days: tuple[int, ...]
    configured_on: date


@dataclass(frozen=True)
class Reset:
    """Back to one visit a year: only for a schedule that exists."""

    configured_on: date


def decide(
    state: tuple[int, ...], command: Configure | Reset
) -> Sequence[FollowUpScheduleConfigured]:
    if isinstance(command, Reset):
        if not state:
            raise NotFound("schedule")
        return [FollowUpScheduleConfigured(offsets_days=[365], configured_on=command.configured_on)]
    problems = [
        (f"offsets_days.{i}", "must be 1 to 730 days")
        for i, day in enumerate(command.offsets_days)
        if not 1 <= day <= 730
    ]
    if problems:
        raise InvalidFields(problems)
    if any(b <= a for a, b in pairwise(command.offsets_days)):
        raise RuleViolation("offsets_not_increasing", "Offsets must be strictly increasing.")
    if command.offsets_days == state:
        raise RuleViolation("unchanged", "The schedule already has these offsets.")
    return [
        FollowUpScheduleConfigured(
            offsets_days=list(command.offsets_days), configured_on=command.configured_on
        )
    ]


def evolve(state: tuple[int, ...], event: FollowUpScheduleConfigured) -> tuple[int, ...]:
    return tuple(event.offsets_days)


schedules = Decider(initial=(), evolve=evolve, decide=decide)
read_model = EventHandlers("schedules", tables=["schedules"])
store = EventStore(projections=[read_model])


@read_model.on(FollowUpScheduleConfigured)
async def on_configured(
    db: asyncpg.Connection, event: FollowUpScheduleConfigured, meta: EventMeta
) -> None:
    await db.execute(
        """INSERT INTO schedules (stream_id, offsets, version) VALUES ($1, $2, $3)
           ON CONFLICT (stream_id) DO UPDATE SET offsets = $2, version = $3""",
        meta.stream_id,
        event.offsets_days,
        meta.version,
    )


class ScheduleBody(BaseModel):
    offsets_days: list[int]
    configured_on: date


router = office_router(tags=["schedules"])
Officer = Depends(office_scoped(Role.MONITORING_OFFICER))


@router.post("/schedules/{name}", status_code=201, dependencies=[Officer])
async def configure(name: str, body: ScheduleBody, work: Work) -> dict[str, object]:
    command = Configure(tuple(body.offsets_days), body.configured_on)
    await work.execute(schedules, f"schedule-{name}", command)
    row = await work.db.fetchrow(
        "SELECT offsets, version FROM schedules WHERE stream_id = $1", f"schedule-{name}"
    )
    return {"offsets_days": list(row["offsets"]), "version": row["version"]}


@router.post("/schedules/{name}/reset", dependencies=[Officer])
async def reset(name: str, work: Work) -> dict[str, object]:
    await work.execute(schedules, f"schedule-{name}", Reset(date(2018, 3, 1)))
    return {"reset": name}


@router.get("/schedules/{name}", dependencies=[Officer])
async def schedule(name: str, db: Db) -> dict[str, object]:
    row = await db.fetchrow(
        "SELECT offsets, version FROM schedules WHERE stream_id = $1", f"schedule-{name}"
    )
    return {"offsets_days": list(row["offsets"]) if row else [], "version": row and row[1]}


definition = ServiceDefinition(
    name="schedule_desk",
    domain=Domain.MONITORING,
    routers=[router],
    store=store,
    migrations=Path(__file__).parent / "schedule_desk_migrations",
    default_port=8198,
)
