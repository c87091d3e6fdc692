"""What the committee's queries answer. Flat rows export to CSV column for column."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from committee.domain import PlanStatus
from reintegration_contracts.events.committee import InKindKind, MemberRole, PlanKind
from reintegration_contracts.types import Locality


class PlanRow(BaseModel):
    plan_id: UUID
    kind: PlanKind
    status: PlanStatus
    region: str
    commune: str
    sector: str
    trade: str
    activity: str | None = None  # in words, kept by committee; none once erased
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

    item: str  # the catalogue item code
    item_name: str | None = None  # the item in words, as the plan named it
    specification: str | None = None
    quantity: int
    submitted_unit_cost: int | None = None
    reviewed_unit_cost: int | None = None
    flags: list[str] = []
    review_reason: str | None = None  # procurement's reasons, as categories in words
    review_reasons: list[str] = []
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
    conditions: list[str] = []  # categories
    reasons: list[str] = []  # categories
    note: str | None = None  # the committee's words, kept by committee


class InKindView(BaseModel):
    kind: InKindKind
    value: int
    description: str | None = None  # in words, kept by committee


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
    activity: str | None
    locality: Locality
    currency: str
    submitted_on: date
    submitted_total: int
    in_kind_contribution: list[InKindView]
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


class MemberView(BaseModel):
    role: MemberRole
    organisation: str | None = None  # kept by committee, never in an event


class SessionDetail(BaseModel):
    session_id: UUID
    locality: Locality
    held_on: date
    members: list[MemberView]
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
