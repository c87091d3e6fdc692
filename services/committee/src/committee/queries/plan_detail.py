"""One plan as its stream tells it: the budget side by side, the decision, the history.

Read from the store and folded by the plans' Decider, the same fold a command runs. A plan of
another office answers exactly as a plan that does not exist: that one exists elsewhere is not
this office's to know.
"""

from typing import Any, cast
from uuid import UUID

import asyncpg

from committee.domain import Plan, PlanEvent, PlanStatus, budget_total, plan_stream, plans
from committee.projections import store
from committee.queries.views import (
    BudgetComparison,
    DecisionSummary,
    HistoryEntry,
    InKindView,
    PlanDetail,
    ReviewSummary,
)
from committee.words import plan_words
from reintegration_contracts.events.committee import PlanApproved, ReviewedBudgetLine
from reintegration_sdk import NotFound, StoredEvent


async def plan(db: asyncpg.Connection, office: str, plan_id: UUID) -> PlanDetail:
    stream = plan_stream(plan_id)
    events = await store.load(db, stream)
    state = plans.fold(cast(PlanEvent, event.payload()) for event in events)
    if state is None or events[0].country_office != office:
        raise NotFound(stream)
    return plan_detail(state, events, await plan_words(db, office, plan_id))


def plan_detail(
    plan: Plan, events: list[StoredEvent], words: dict[str, Any] | None = None
) -> PlanDetail:
    """The plan as its stream tells it, with the words committee keeps beside it (`words`
    from `committee.words.plan_words`: none once a beneficiary was erased)."""
    submitted = plan.submitted
    said = (words or {}).get("submission", {})
    decided = (words or {}).get("decision", {})
    lines_said = {**said.get("lines", {}), **decided.get("lines", {})}
    in_kind_said = said.get("in_kind", [])
    return PlanDetail(
        plan_id=submitted.plan_id,
        status=plan.status,
        kind=submitted.kind,
        beneficiary_ids=submitted.beneficiary_ids,
        sector=submitted.sector,
        trade=submitted.trade,
        activity=said.get("activity"),
        locality=submitted.locality,
        currency=submitted.currency,
        submitted_on=submitted.submitted_on,
        submitted_total=budget_total(submitted.budget_lines),
        in_kind_contribution=[
            InKindView(
                kind=part.kind,
                value=part.value,
                description=in_kind_said[n] if n < len(in_kind_said) else None,
            )
            for n, part in enumerate(submitted.in_kind_contribution)
        ],
        kit_requested=submitted.kit_requested,
        budget=_budget_side_by_side(plan, lines_said),
        review=ReviewSummary.model_validate(plan.review, from_attributes=True)
        if plan.review
        else None,
        decision=_decision(plan, decided.get("note")),
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


def _budget_side_by_side(plan: Plan, said: dict[str, Any]) -> list[BudgetComparison]:
    reviewed = {line.item: line for line in plan.review.lines} if plan.review else {}
    approved = (
        {line.item: line for line in plan.decision.approved_budget}
        if isinstance(plan.decision, PlanApproved)
        else {}
    )
    rows = []
    for line in plan.submitted.budget_lines:
        review = reviewed.get(line.item)
        approval = approved.get(line.item)
        reasons = _reasons(review) if review else []
        rows.append(
            BudgetComparison(
                item=line.item,
                item_name=said.get(line.item, {}).get("item"),
                specification=said.get(line.item, {}).get("specification"),
                quantity=line.quantity,
                submitted_unit_cost=line.unit_cost,
                reviewed_unit_cost=review.reviewed_unit_cost if review else None,
                flags=review.flags if review else [],
                review_reason="; ".join(r.replace("_", " ") for r in reasons) or None,
                review_reasons=reasons,
                approved_quantity=approval.quantity if approval else None,
                approved_unit_cost=approval.unit_cost if approval else None,
            )
        )
    submitted_items = {line.item for line in plan.submitted.budget_lines}
    rows += [
        BudgetComparison(
            item=line.item,
            item_name=said.get(line.item, {}).get("item"),
            specification=said.get(line.item, {}).get("specification"),
            quantity=line.quantity,
            approved_quantity=line.quantity,
            approved_unit_cost=line.unit_cost,
        )
        for key, line in approved.items()
        if key not in submitted_items  # an item the committee added when amending
    ]
    return rows


def _reasons(line: ReviewedBudgetLine) -> list[str]:
    """Procurement's reasons for a line, as categories (its officers' words stay with it)."""
    said = [*line.reasons, *([line.officer_reason] if line.officer_reason else [])]
    return [reason.value for reason in said]


def _decision(plan: Plan, note: str | None) -> DecisionSummary | None:
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
            conditions=[condition.value for condition in decision.conditions],
            note=note,
        )
    return DecisionSummary(
        outcome=PlanStatus.REJECTED,
        session_id=decision.session_id,
        decided_on=decision.rejected_on,
        reasons=[reason.value for reason in decision.reasons],
        note=note,
    )
