"""Command handlers: gather the facts a rule needs, then run the command. No rules here.

Each runs in the caller's unit of work (the route's transaction, or the inbox's for a policy),
so the events, the read models they update and the facts read for them are one transaction.
"""

from collections.abc import Sequence
from dataclasses import replace
from uuid import UUID

from committee.domain import (
    Decision,
    HoldSession,
    NoteBudgetReview,
    Plan,
    PlanEvent,
    Session,
    SetConveningThreshold,
    SubmitPlan,
    plan_stream,
    plans,
    session_stream,
    sessions,
    threshold_stream,
    thresholds,
)
from committee.words import (
    DecisionWords,
    PlanWords,
    keep_decision_words,
    keep_plan_words,
    keep_session_words,
)
from reintegration_contracts.events.committee import CommitteeSessionHeld, ConveningThresholdSet
from reintegration_contracts.events.procurement import BudgetReviewed
from reintegration_sdk import NotFound, UnitOfWork


async def submit_plan(
    work: UnitOfWork, command: SubmitPlan, words: PlanWords | None = None
) -> list[PlanEvent]:
    """Submit the plan; its words (`words`) are kept in committee's database in the same
    transaction, never in the event."""
    beneficiaries = command.beneficiary_ids
    await _take_turns_for(work, beneficiaries)
    command = replace(
        command,
        entrepreneurship_required=await _entrepreneurship_required(work),
        trained=await _trained_among(work, beneficiaries),
        their_plans=await _plans_naming(work, beneficiaries),
    )
    events = await work.execute(plans, plan_stream(command.plan_id), command)
    if events and words is not None:
        await keep_plan_words(work.db, work.country_office, command.plan_id, words)
    return events


async def decide_plan(
    work: UnitOfWork, command: Decision, words: DecisionWords | None = None
) -> list[PlanEvent]:
    command = replace(command, session=await _session_held(work, command.session_id))
    events = await work.execute(plans, plan_stream(command.plan_id), command)
    if events and words is not None:
        await keep_decision_words(work.db, work.country_office, command.plan_id, words)
    return events


async def note_budget_review(work: UnitOfWork, review: BudgetReviewed) -> list[PlanEvent]:
    return await work.execute(plans, plan_stream(review.plan_id), NoteBudgetReview(review))


async def hold_session(
    work: UnitOfWork, command: HoldSession, organisations: list[str] | None = None
) -> list[CommitteeSessionHeld]:
    events = await work.execute(sessions, session_stream(command.session_id), command)
    if events and organisations is not None:
        await keep_session_words(work.db, work.country_office, command.session_id, organisations)
    return events


async def set_convening_threshold(
    work: UnitOfWork, command: SetConveningThreshold
) -> list[ConveningThresholdSet]:
    return await work.execute(thresholds, threshold_stream(work.country_office), command)


# Facts from other streams -----------------------------------------------------------------


async def _take_turns_for(work: UnitOfWork, returnee_ids: Sequence[UUID]) -> None:
    """Submissions naming one returnee run one after another, each seeing the plans before it.

    Plans are streams of their own, so the expected version cannot keep two plans racing for
    one returnee apart; a lock per returnee held to the end of the transaction does. Taken in
    one order, so two plans naming the same people cannot wait on each other.
    """
    for returnee_id in sorted(set(returnee_ids)):
        await work.db.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
            f"committee.plan-beneficiary.{work.country_office}.{returnee_id}",
        )


async def _entrepreneurship_required(work: UnitOfWork) -> bool:
    """Whether the office's programme puts the entrepreneurship course before a plan (Burkina
    Faso's and Mali's do; Niger's does not); until it is configured, it does."""
    required = await work.db.fetchval(
        "SELECT entrepreneurship_before_plan FROM plan_rules WHERE country_office = $1",
        work.country_office,
    )
    return True if required is None else bool(required)


async def _trained_among(work: UnitOfWork, returnee_ids: Sequence[UUID]) -> frozenset[UUID]:
    """Those who passed the entrepreneurship training in this office, as training reported."""
    rows = await work.db.fetch(
        """SELECT returnee_id FROM entrepreneurship_graduates
           WHERE country_office = $1 AND returnee_id = ANY($2::uuid[])""",
        work.country_office,
        list(returnee_ids),
    )
    return frozenset(row["returnee_id"] for row in rows)


async def _plans_naming(work: UnitOfWork, returnee_ids: Sequence[UUID]) -> tuple[Plan, ...]:
    """Every plan of this office that names one of them, as its own stream tells it."""
    rows = await work.db.fetch(
        """SELECT DISTINCT plan_id FROM plan_beneficiaries
           WHERE country_office = $1 AND returnee_id = ANY($2::uuid[]) ORDER BY plan_id""",
        work.country_office,
        list(returnee_ids),
    )
    found = [(await work.load(plans, plan_stream(row["plan_id"]))).state for row in rows]
    return tuple(plan for plan in found if plan is not None)


async def _session_held(work: UnitOfWork, session_id: UUID) -> CommitteeSessionHeld | None:
    """The session, if this office held one with this id (another office's is none of its)."""
    try:
        held: Session = (await work.load(sessions, session_stream(session_id))).state
    except NotFound:
        return None
    return held
