"""Response bodies of the committee API. Flat rows export to CSV column for column."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from committee.domain import Plan, PlanStatus, budget_total
from reintegration_contracts.events.committee import (
    CommitteeMember,
    InKindContribution,
    PlanApproved,
    PlanKind,
)
from reintegration_contracts.types import Locality
from reintegration_sdk.events import StoredEvent


class PlanAccepted(BaseModel):
    plan_id: UUID
    status: PlanStatus


class DecisionRecorded(BaseModel):
    plan_id: UUID
    status: PlanStatus
    events: list[str]


class SessionAccepted(BaseModel):
    session_id: UUID


class PlanRow(BaseModel):
    plan_id: UUID
    kind: PlanKind
    status: PlanStatus
    region: str
    commune: str
    sector: str
    trade: str
    activity: str
    beneficiary_count: int
    currency: str
    submitted_on: date
    submitted_total: int
    in_kind_total: int
    reviewed_on: date | None
    reviewed_total: int | None
    flagged_lines: int | None
    session_id: UUID | None
    decided_on: date | None
    approved_total: int | None
    amended: bool


class BudgetComparison(BaseModel):
    """One item as submitted, as procurement reviewed it, and as the committee approved it."""

    item: str
    quantity: int
    submitted_unit_cost: int | None = None
    reviewed_unit_cost: int | None = None
    flags: list[str] = []
    review_reason: str | None = None
    approved_quantity: int | None = None
    approved_unit_cost: int | None = None


class ReviewSummary(BaseModel):
    review_id: UUID
    revision: int
    reviewed_on: date
    submitted_total: int
    reviewed_total: int
    flagged_lines: int


class DecisionSummary(BaseModel):
    outcome: PlanStatus
    session_id: UUID
    decided_on: date
    amended: bool = False
    approved_total: int | None = None
    conditions: list[str] = []
    reasons: list[str] = []


class HistoryEntry(BaseModel):
    version: int
    event: str
    recorded_at: datetime
    actor: str
    data: dict[str, Any]


class PlanDetail(BaseModel):
    plan_id: UUID
    status: PlanStatus
    kind: PlanKind
    beneficiary_ids: list[UUID]
    sector: str
    trade: str
    activity: str
    locality: Locality
    currency: str
    submitted_on: date
    submitted_total: int
    in_kind_contribution: list[InKindContribution]
    kit_requested: str | None
    budget: list[BudgetComparison]
    review: ReviewSummary | None
    decision: DecisionSummary | None
    history: list[HistoryEntry]


class SessionRow(BaseModel):
    session_id: UUID
    region: str
    commune: str
    held_on: date
    member_count: int
    plans_approved: int
    plans_rejected: int


class SessionDetail(BaseModel):
    session_id: UUID
    locality: Locality
    held_on: date
    members: list[CommitteeMember]
    decisions: list[PlanRow]


class ThresholdView(BaseModel):
    threshold: int
    set_on: date | None


class ReadyLocality(BaseModel):
    region: str
    commune: str
    plans_waiting: int
    beneficiaries_waiting: int
    reviewed_since: date


class ConveningReport(BaseModel):
    threshold: int
    localities: list[ReadyLocality]


class FunnelRow(BaseModel):
    """One locality's pipeline (or the office total, with region and commune empty)."""

    region: str
    commune: str
    plans_submitted: int
    beneficiaries_submitted: int
    plans_reviewed: int
    beneficiaries_reviewed: int
    plans_decided: int
    beneficiaries_decided: int
    plans_approved: int
    beneficiaries_approved: int
    plans_amended: int
    plans_rejected: int
    beneficiaries_rejected: int
    plans_awaiting_review: int
    plans_awaiting_decision: int
    approval_rate: float | None
    median_days_to_decision: float | None


class FunnelReport(BaseModel):
    total: FunnelRow
    localities: list[FunnelRow]


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
