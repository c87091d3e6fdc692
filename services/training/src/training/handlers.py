"""Command handlers: load the stream, gather what the command needs, decide, append.

No rule of the field lives here; each handler runs inside the caller's transaction.
"""

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import reduce
from typing import TypeAlias, TypeVar
from uuid import UUID

import asyncpg

from reintegration_contracts import EventPayload
from reintegration_contracts.events.training import SkillLevel
from reintegration_sdk.auth import AuthorizationError
from reintegration_sdk.eventstore import EventContext, EventStore
from training import lookups
from training.domain import allowances, assessments, centres, cohorts
from training.domain.allowances import SetDailyAllowance
from training.domain.centres import Centre, CentreCommand
from training.domain.cohorts import Cohort, CompleteTraining, Mark, ScheduleCohort

S = TypeVar("S")
Db: TypeAlias = asyncpg.Connection


def centre_stream(centre_id: UUID) -> str:
    return f"training-centre-{centre_id}"


def cohort_stream(cohort_id: UUID) -> str:
    return f"cohort-{cohort_id}"


def skills_stream(returnee_id: UUID) -> str:
    return f"skills-{returnee_id}"


def allowance_stream(office: str) -> str:
    return f"daily-allowance-{office}"


async def _load(
    db: Db,
    store: EventStore,
    stream_id: str,
    office: str,
    initial: S,
    evolve: Callable[[S, EventPayload], S],
) -> tuple[S, int]:
    events = await store.load(db, stream_id)
    if events and events[0].country_office != office:
        raise AuthorizationError("this record belongs to another country office")
    state = reduce(evolve, (event.payload() for event in events), initial)
    return state, events[-1].version if events else 0


async def _centre(db: Db, store: EventStore, office: str, centre_id: UUID) -> tuple[Centre, int]:
    return await _load(db, store, centre_stream(centre_id), office, Centre(), centres.evolve)


async def _cohort(db: Db, store: EventStore, office: str, cohort_id: UUID) -> tuple[Cohort, int]:
    return await _load(db, store, cohort_stream(cohort_id), office, Cohort(), cohorts.evolve)


async def _centre_of(db: Db, store: EventStore, office: str, cohort: Cohort) -> Centre | None:
    if cohort.centre_id is None:
        return None
    centre, _ = await _centre(db, store, office, cohort.centre_id)
    return centre


async def on_centre(
    db: Db, store: EventStore, context: EventContext, centre_id: UUID, command: CentreCommand
) -> list[EventPayload]:
    centre, version = await _centre(db, store, context.country_office, centre_id)
    events = centres.decide(centre, command)
    await store.append(db, centre_stream(centre_id), version, events, context)
    return events


async def schedule_cohort(
    db: Db, store: EventStore, context: EventContext, command: ScheduleCohort
) -> list[EventPayload]:
    if command.centre_id is not None:
        centre, _ = await _centre(db, store, context.country_office, command.centre_id)
        command = replace(command, centre=centre)
    events = cohorts.decide(Cohort(), command)
    await store.append(db, cohort_stream(command.cohort_id), 0, events, context)
    return events


async def enrol(
    db: Db,
    store: EventStore,
    context: EventContext,
    cohort_id: UUID,
    returnee_id: UUID,
    enrolled_on: date,
) -> list[EventPayload]:
    office = context.country_office
    await lookups.hold_returnee(db, returnee_id)
    cohort, version = await _cohort(db, store, office, cohort_id)
    command = cohorts.Enrol(
        returnee_id,
        enrolled_on,
        counselled=await lookups.is_counselled(db, office, returnee_id),
        other_periods=await lookups.enrolled_periods(db, office, returnee_id, cohort_id),
        centre=await _centre_of(db, store, office, cohort),
        certified_trades=await lookups.certified_trades(db, office, returnee_id),
    )
    events = cohorts.decide(cohort, command)
    await store.append(db, cohort_stream(cohort_id), version, events, context)
    return events


async def record_attendance(
    db: Db,
    store: EventStore,
    context: EventContext,
    cohort_id: UUID,
    day: date,
    marks: tuple[Mark, ...],
) -> list[EventPayload]:
    office = context.country_office
    cohort, version = await _cohort(db, store, office, cohort_id)
    rate = allowances.rate_on(office, await lookups.daily_rates(db, office), day)
    events = cohorts.decide(cohort, cohorts.RecordAttendance(day, marks, date.today(), rate))
    await store.append(db, cohort_stream(cohort_id), version, events, context)
    return events


async def grant_daycare(
    db: Db,
    store: EventStore,
    context: EventContext,
    cohort_id: UUID,
    returnee_id: UUID,
    daily_amount: int,
    granted_on: date,
) -> list[EventPayload]:
    office = context.country_office
    cohort, version = await _cohort(db, store, office, cohort_id)
    rate = allowances.rate_on(office, await lookups.daily_rates(db, office), granted_on)
    command = cohorts.GrantDaycare(returnee_id, daily_amount, granted_on, rate)
    events = cohorts.decide(cohort, command)
    await store.append(db, cohort_stream(cohort_id), version, events, context)
    return events


async def complete(
    db: Db, store: EventStore, context: EventContext, cohort_id: UUID, command: CompleteTraining
) -> list[EventPayload]:
    cohort, version = await _cohort(db, store, context.country_office, cohort_id)
    events = cohorts.decide(cohort, command)
    await store.append(db, cohort_stream(cohort_id), version, events, context)
    return events


async def assess_skill(
    db: Db,
    store: EventStore,
    context: EventContext,
    returnee_id: UUID,
    trade: str,
    centre_id: UUID,
    assessed_on: date,
    certified: bool,
    level: SkillLevel | None,
) -> list[EventPayload]:
    office = context.country_office
    stream = skills_stream(returnee_id)
    # The stream's version alone guards two assessments of one returnee racing each other.
    _, version = await _load(db, store, stream, office, None, lambda state, _: state)
    centre, _ = await _centre(db, store, office, centre_id)
    already = await lookups.certified_trades(db, office, returnee_id)
    command = assessments.AssessSkill(
        returnee_id, trade, centre_id, centre, assessed_on, certified, level, already
    )
    events = assessments.decide(command)
    await store.append(db, stream, version, events, context)
    return events


async def set_daily_allowance(
    db: Db, store: EventStore, context: EventContext, command: SetDailyAllowance
) -> list[EventPayload]:
    stream = allowance_stream(context.country_office)
    no_rates: tuple[allowances.DailyRate, ...] = ()
    rates, version = await _load(
        db, store, stream, context.country_office, no_rates, allowances.evolve
    )
    events = allowances.decide(rates, command)
    await store.append(db, stream, version, events, context)
    return events
