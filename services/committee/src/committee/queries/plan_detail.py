"""One plan as its stream tells it: the budget side by side, the decision, the history.

Read from the store and folded by the plans' Decider, the same fold a command runs. A plan of
another office answers exactly as a plan that does not exist: that one exists elsewhere is not
this office's to know.
"""

from typing import cast
from uuid import UUID

import asyncpg

from committee.domain import Plan, PlanEvent, PlanStatus, budget_total, plan_stream, plans
from committee.projections import store
from committee.queries.views import (
    BudgetComparison,
    DecisionSummary,
    HistoryEntry,
    PlanDetail,
    ReviewSummary,
)
from reintegration_contracts.events.committee import PlanApproved
from reintegration_sdk import NotFound, StoredEvent


async def plan(db: asyncpg.Connection, office: str, plan_id: UUID) -> PlanDetail:
    stream = plan_stream(plan_id)
    events = await store.load(db, stream)
    state = plans.fold(cast(PlanEvent, event.payload()) for event in events)
    if state is None or events[0].country_office != office:
        raise NotFound(stream)
    return plan_detail(state, events)


def plan_detail(plan: Plan, events: list[StoredEvent]) -> PlanDetail:
    submitted = plan.submitted
    return PlanDetail(
        plan_id=submitted.plan_id,
        status=plan.status,
        kind=submitted.kind,
        beneficiary_ids=submitted.beneficiary_ids,
        sector=submitted.sector,
        trade=submitted.trade,
        activity=submitted.activity,
        locality=submitted.locality,
        currency=submitted.currency,
        submitted_on=submitted.submitted_on,
        submitted_total=budget_total(submitted.budget_lines),
        in_kind_contribution=submitted.in_kind_contribution,
        kit_requested=submitted.kit_requested,
        budget=_budget_side_by_side(plan),
        review=ReviewSummary.model_validate(plan.review, from_attributes=True)
        if plan.review
        else None,
        decision=_decision(plan),
        history=[
            HistoryEntry(
                version=event.version,
                event=event.event_name,
                recorded_at=event.recorded_at,
                actor=event.actor,
                data=event.data,
            )
            for event in events
        ],
    )


def _budget_side_by_side(plan: Plan) -> list[BudgetComparison]:
    reviewed = {line.item.casefold(): line for line in plan.review.lines} if plan.review else {}
    approved = (
        {line.item.casefold(): line for line in plan.decision.approved_budget}
        if isinstance(plan.decision, PlanApproved)
        else {}
    )
    rows = []
    for line in plan.submitted.budget_lines:
        review = reviewed.get(line.item.casefold())
        approval = approved.get(line.item.casefold())
        rows.append(
            BudgetComparison(
                item=line.item,
                quantity=line.quantity,
                submitted_unit_cost=line.unit_cost,
                reviewed_unit_cost=review.reviewed_unit_cost if review else None,
                flags=review.flags if review else [],
                review_reason=review.reason if review else None,
                approved_quantity=approval.quantity if approval else None,
                approved_unit_cost=approval.unit_cost if approval else None,
            )
        )
    submitted_items = {line.item.casefold() for line in plan.submitted.budget_lines}
    rows += [
        BudgetComparison(
            item=line.item,
            quantity=line.quantity,
            approved_quantity=line.quantity,
            approved_unit_cost=line.unit_cost,
        )
        for key, line in approved.items()
        if key not in submitted_items  # an item the committee added when amending
    ]
    return rows


def _decision(plan: Plan) -> DecisionSummary | None:
    decision = plan.decision
    if decision is None:
        return None
    if isinstance(decision, PlanApproved):
        return DecisionSummary(
            outcome=PlanStatus.APPROVED,
            session_id=decision.session_id,
            decided_on=decision.approved_on,
            amended=decision.amended,
            approved_total=decision.approved_total,
            conditions=decision.conditions,
        )
    return DecisionSummary(
        outcome=PlanStatus.REJECTED,
        session_id=decision.session_id,
        decided_on=decision.rejected_on,
        reasons=decision.reasons,
    )
