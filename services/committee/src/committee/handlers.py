"""Command handlers: load the stream, gather what the command needs, decide, append.

Every function runs inside the caller's transaction, so the events and the read models
they update are written together or not at all.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from uuid import UUID

import asyncpg

from committee import domain, lookups
from committee.store import plan_stream, session_stream, store, threshold_stream
from reintegration_contracts.events.procurement import BudgetReviewed
from reintegration_sdk.auth import AuthorizationError
from reintegration_sdk.errors import RuleViolation
from reintegration_sdk.eventstore import EventContext

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _PlanStream:
    plan: domain.Plan | None
    version: int
    country_office: str | None


async def submit_plan(
    db: asyncpg.Connection, context: EventContext, command: domain.SubmitPlan
) -> None:
    office, beneficiaries = context.country_office, command.beneficiary_ids
    command = replace(
        command,
        trained=await lookups.trained_among(db, office, beneficiaries),
        in_other_plans=await lookups.in_open_plans_among(db, office, beneficiaries),
    )
    stream = await _plan_in(db, command.plan_id, office)
    events = domain.decide(stream.plan, command)
    with _one_open_plan_per_returnee():
        # Checked at the insert, not at commit: a submission racing this one meets it here.
        await db.execute("SET CONSTRAINTS one_open_plan_per_returnee IMMEDIATE")
        await store.append(db, plan_stream(command.plan_id), stream.version, events, context)


async def decide_plan(
    db: asyncpg.Connection, context: EventContext, plan_id: UUID, command: domain.Decision
) -> list[domain.PlanEvent]:
    session = await lookups.session_held_in(db, context.country_office, command.session_id)
    stream = await _plan_in(db, plan_id, context.country_office)
    events = domain.decide(stream.plan, replace(command, session=session))
    await store.append(db, plan_stream(plan_id), stream.version, events, context)
    return events


async def note_budget_review(
    db: asyncpg.Connection, context: EventContext, review: BudgetReviewed
) -> None:
    stream = await _plan(db, review.plan_id)
    if stream.country_office not in (None, context.country_office):
        log.warning("budget review %s names another office's plan; ignored", review.review_id)
        return
    events = domain.decide(stream.plan, domain.NoteBudgetReview(review))
    await store.append(db, plan_stream(review.plan_id), stream.version, events, context)


async def hold_session(
    db: asyncpg.Connection, context: EventContext, command: domain.HoldSession
) -> None:
    held = await lookups.session_held_in(db, context.country_office, command.session_id)
    events = domain.hold_session(held, command)
    # A new session's stream is empty; an id taken in another office fails as a conflict.
    await store.append(db, session_stream(command.session_id), 0, events, context)


async def set_convening_threshold(
    db: asyncpg.Connection, context: EventContext, command: domain.SetConveningThreshold
) -> None:
    stream_id = threshold_stream(context.country_office)
    version = len(await store.load(db, stream_id))
    events = domain.set_convening_threshold(command)
    await store.append(db, stream_id, version, events, context)


async def _plan(db: asyncpg.Connection, plan_id: UUID) -> _PlanStream:
    events = await store.load(db, plan_stream(plan_id))
    plan = domain.fold(event.payload() for event in events)
    return _PlanStream(plan, len(events), events[0].country_office if events else None)


async def _plan_in(db: asyncpg.Connection, plan_id: UUID, country_office: str) -> _PlanStream:
    stream = await _plan(db, plan_id)
    if stream.country_office not in (None, country_office):
        raise AuthorizationError("this business plan belongs to another country office")
    return stream


@contextmanager
def _one_open_plan_per_returnee() -> Iterator[None]:
    """A concurrent submission that slipped past the check meets the read model's index."""
    try:
        yield
    except asyncpg.ExclusionViolationError as error:
        if error.constraint_name != "one_open_plan_per_returnee":
            raise
        raise RuleViolation(
            "beneficiary_in_another_plan",
            "A returnee takes part in one pending or approved plan at a time.",
        ) from error
