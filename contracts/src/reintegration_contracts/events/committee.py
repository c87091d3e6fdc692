"""Events published by the committee service: business plans, sessions and decisions."""

from datetime import date
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from reintegration_contracts.registry import EventPayload, event
from reintegration_contracts.topics import Domain
from reintegration_contracts.types import Amount, Locality, ReturneeId, Slug, Trade


class PlanKind(StrEnum):
    INDIVIDUAL = "individual"
    COLLECTIVE = "collective"


class BudgetLine(BaseModel):
    model_config = ConfigDict(frozen=True)

    item: str = Field(min_length=1, max_length=120, examples=["sewing machine"])
    quantity: int = Field(ge=1, le=100_000)
    unit_cost: Amount
    specification: str | None = Field(
        default=None, max_length=300, description="What exactly is to be bought"
    )


class InKindContribution(BaseModel):
    model_config = ConfigDict(frozen=True)

    description: str = Field(min_length=1, max_length=200, examples=["workshop space"])
    value: Amount


class MemberRole(StrEnum):
    LOCAL_AUTHORITY = "local_authority"
    CIVIL_SOCIETY = "civil_society"
    TECHNICAL_EXPERT = "technical_expert"


class CommitteeMember(BaseModel):
    """A seat at the committee, by role and organisation (never a member's name)."""

    model_config = ConfigDict(frozen=True)

    role: MemberRole
    organisation: str = Field(min_length=1, max_length=120)


@event("PlanSubmitted", 1, Domain.COMMITTEE)
class PlanSubmitted(EventPayload):
    plan_id: UUID
    kind: PlanKind
    beneficiary_ids: list[ReturneeId] = Field(min_length=1)
    sector: Slug
    trade: Trade
    activity: str = Field(min_length=3, max_length=300, description="The business, in a line")
    locality: Locality
    budget_lines: list[BudgetLine] = Field(min_length=1)
    in_kind_contribution: list[InKindContribution] = Field(default_factory=list)
    kit_requested: Trade | None = Field(default=None, description="Trade kit requested")
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    submitted_on: date


@event("PlanBudgetReviewNoted", 1, Domain.COMMITTEE)
class PlanBudgetReviewNoted(EventPayload):
    """Procurement's budget review reached the plan: the committee may now decide it."""

    plan_id: UUID
    review_id: UUID
    revision: int = Field(ge=1)
    reviewed_total: Amount
    flagged_lines: int = Field(ge=0)


@event("CommitteeSessionHeld", 1, Domain.COMMITTEE)
class CommitteeSessionHeld(EventPayload):
    session_id: UUID
    locality: Locality
    held_on: date
    members: list[CommitteeMember] = Field(min_length=3)


@event("PlanAmended", 1, Domain.COMMITTEE)
class PlanAmended(EventPayload):
    plan_id: UUID
    session_id: UUID
    amended_on: date
    budget_lines: list[BudgetLine] = Field(min_length=1)
    conditions: list[str] = Field(default_factory=list)


@event("PlanApproved", 1, Domain.COMMITTEE)
class PlanApproved(EventPayload):
    """Only approved plans are implemented: procurement orders kits from this event."""

    plan_id: UUID
    session_id: UUID
    kind: PlanKind
    beneficiary_ids: list[ReturneeId] = Field(min_length=1)
    trade: Trade
    locality: Locality
    approved_on: date
    approved_budget: list[BudgetLine] = Field(min_length=1)
    approved_total: Amount
    amended: bool = False
    conditions: list[str] = Field(default_factory=list)
    currency: str = Field(pattern=r"^[A-Z]{3}$")


@event("PlanRejected", 1, Domain.COMMITTEE)
class PlanRejected(EventPayload):
    plan_id: UUID
    session_id: UUID
    rejected_on: date
    reasons: list[str] = Field(min_length=1)
