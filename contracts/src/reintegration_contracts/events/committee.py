"""Events published by the committee service: business plans, sessions and decisions."""

from datetime import date
from enum import StrEnum
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from reintegration_contracts.registry import EventPayload, event
from reintegration_contracts.topics import Domain
from reintegration_contracts.types import Amount, Locality, ReturneeId, Slug, Trade

Condition = Annotated[
    str, Field(min_length=3, max_length=300, examples=["Deliver the kit after site visit"])
]
Reason = Annotated[
    str, Field(min_length=3, max_length=300, examples=["Market already saturated locally"])
]


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
    """A business plan, individual or collective, goes to procurement review, then committee."""

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


class ReviewedBudgetLine(BaseModel):
    """One budget line as procurement reviewed it, beside what the plan asked for."""

    model_config = ConfigDict(frozen=True)

    item: str = Field(min_length=1, max_length=120)
    quantity: int = Field(ge=1, le=100_000)
    submitted_unit_cost: Amount
    reviewed_unit_cost: Amount
    flags: list[Slug] = Field(
        default_factory=list, examples=[["above_catalogue_price"]], description="Review flags"
    )
    reason: str | None = Field(default=None, description="Why procurement flagged the line")


@event("PlanBudgetReviewNoted", 1, Domain.COMMITTEE)
class PlanBudgetReviewNoted(EventPayload):
    """Procurement's budget review reached the plan: the committee may now decide it."""

    plan_id: UUID
    review_id: UUID
    revision: int = Field(ge=1, description="Later revisions replace earlier ones")
    reviewed_on: date
    reviewed_total: Amount
    flagged_lines: int = Field(ge=0)
    submitted_total: Amount
    lines: list[ReviewedBudgetLine] = Field(
        min_length=1, description="The reviewed budget, line by line, beside the submitted one"
    )


@event("CommitteeSessionHeld", 1, Domain.COMMITTEE)
class CommitteeSessionHeld(EventPayload):
    """A selection committee met in a locality; its decisions name this session."""

    session_id: UUID
    locality: Locality = Field(description="The locality whose plans the session decides")
    held_on: date
    members: list[CommitteeMember] = Field(
        min_length=3, description="At least a local authority and a technical expert"
    )


@event("PlanAmended", 1, Domain.COMMITTEE)
class PlanAmended(EventPayload):
    """The committee changed the budget or set conditions; a PlanApproved(amended) follows."""

    plan_id: UUID
    session_id: UUID
    amended_on: date
    budget_lines: list[BudgetLine] = Field(min_length=1, description="The budget as amended")
    conditions: list[Condition] = Field(default_factory=list)


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
    conditions: list[Condition] = Field(default_factory=list)
    currency: str = Field(pattern=r"^[A-Z]{3}$")


@event("PlanRejected", 1, Domain.COMMITTEE)
class PlanRejected(EventPayload):
    """The committee turned the plan down; its beneficiaries may submit a new plan."""

    plan_id: UUID
    session_id: UUID
    rejected_on: date
    reasons: list[Reason] = Field(min_length=1)


@event("ConveningThresholdSet", 1, Domain.COMMITTEE)
class ConveningThresholdSet(EventPayload):
    """How many reviewed plans a locality needs waiting before the office convenes a session."""

    threshold: int = Field(ge=1, le=50, description="Programmes convene at four or five plans")
    set_on: date
