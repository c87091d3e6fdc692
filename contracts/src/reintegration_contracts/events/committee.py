"""Events published by committee: business plans, sessions and decisions.

No payload carries anyone's words. A plan's activity, what each budget line is to be exactly,
the in-kind contribution in words, the organisations sitting at a session, and the words of a
rejection or a condition stay in committee's database, erasable, and its API shows them; the
events carry catalogue item codes and categories (the v2 of each event; v1 carried the words).
"""

from datetime import date
from enum import StrEnum
from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from reintegration_contracts.classification import classified
from reintegration_contracts.events.procurement import AdjustmentReason, LineReason
from reintegration_contracts.registry import EventPayload, event, upcaster
from reintegration_contracts.topics import Domain
from reintegration_contracts.types import (
    AgeBand,
    Amount,
    ItemCode,
    Locality,
    PartnerId,
    ReturneeId,
    Sex,
    Slug,
    Trade,
    item_code,
)

Condition = Annotated[
    str, Field(min_length=3, max_length=300, examples=["Deliver the kit after site visit"])
]
Reason = Annotated[
    str, Field(min_length=3, max_length=300, examples=["Market already saturated locally"])
]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", examples=["XOF"])]


class PlanKindV2(StrEnum):
    """A plan's kinds up to version 2 of its events."""

    INDIVIDUAL = "individual"
    COLLECTIVE = "collective"


class PlanKind(StrEnum):
    INDIVIDUAL = "individual"
    COLLECTIVE = "collective"
    # A community project, proposed by an implementing partner for returnees and community
    # members together (version 3 of the plan's events on).
    COMMUNITY_PROJECT = "community_project"


class PlanSupport(StrEnum):
    """What an approved plan is implemented with."""

    KIT = "kit"  # equipment bought and delivered by procurement
    GRANT = "grant"  # a cash grant paid in tranches (and, for a minor, school fees)


@classified(free_text="item specification", count="quantity", amount="unit_cost")
class BudgetLineV1(BaseModel):
    model_config = ConfigDict(frozen=True)

    item: str = Field(min_length=1, max_length=120, examples=["sewing machine"])
    quantity: int = Field(ge=1, le=100_000)
    unit_cost: Amount
    specification: str | None = Field(
        default=None, max_length=300, description="What exactly is to be bought"
    )


@classified(free_text="description", amount="value")
class InKindContributionV1(BaseModel):
    model_config = ConfigDict(frozen=True)

    description: str = Field(min_length=1, max_length=200, examples=["workshop space"])
    value: Amount


class MemberRole(StrEnum):
    LOCAL_AUTHORITY = "local_authority"
    CIVIL_SOCIETY = "civil_society"
    TECHNICAL_EXPERT = "technical_expert"


@classified(category="role", free_text="organisation")
class CommitteeMemberV1(BaseModel):
    """A seat at the committee, by role and organisation (never a member's name)."""

    model_config = ConfigDict(frozen=True)

    role: MemberRole
    organisation: str = Field(min_length=1, max_length=120)


@classified(
    identifier="plan_id beneficiary_ids",
    category="kind sector trade kit_requested currency",
    free_text="activity",
    nested="locality budget_lines in_kind_contribution",
    date="submitted_on",
)
@event("PlanSubmitted", 1, Domain.COMMITTEE)
class PlanSubmittedV1(EventPayload):
    """A business plan, individual or collective, goes to procurement review, then committee."""

    plan_id: UUID
    kind: PlanKindV2
    beneficiary_ids: list[ReturneeId] = Field(min_length=1)
    sector: Slug
    trade: Trade
    activity: str = Field(min_length=3, max_length=300, description="The business, in a line")
    locality: Locality
    budget_lines: list[BudgetLineV1] = Field(min_length=1)
    in_kind_contribution: list[InKindContributionV1] = Field(default_factory=list)
    kit_requested: Trade | None = Field(default=None, description="Trade kit requested")
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    submitted_on: date


@classified(
    free_text="item reason",
    count="quantity",
    amount="submitted_unit_cost reviewed_unit_cost",
    category="flags",
)
class ReviewedBudgetLineV1(BaseModel):
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


@classified(
    identifier="plan_id review_id",
    count="revision flagged_lines",
    date="reviewed_on",
    amount="reviewed_total submitted_total",
    nested="lines",
)
@event("PlanBudgetReviewNoted", 1, Domain.COMMITTEE)
class PlanBudgetReviewNotedV1(EventPayload):
    """Procurement's budget review reached the plan: the committee may now decide it."""

    plan_id: UUID
    review_id: UUID
    revision: int = Field(ge=1, description="Later revisions replace earlier ones")
    reviewed_on: date
    reviewed_total: Amount
    flagged_lines: int = Field(ge=0)
    submitted_total: Amount
    lines: list[ReviewedBudgetLineV1] = Field(
        min_length=1, description="The reviewed budget, line by line, beside the submitted one"
    )


@classified(identifier="session_id", nested="locality members", date="held_on")
@event("CommitteeSessionHeld", 1, Domain.COMMITTEE)
class CommitteeSessionHeldV1(EventPayload):
    """A selection committee met in a locality; its decisions name this session."""

    session_id: UUID
    locality: Locality = Field(description="The locality whose plans the session decides")
    held_on: date
    members: list[CommitteeMemberV1] = Field(
        min_length=3, description="At least a local authority and a technical expert"
    )


@classified(
    identifier="plan_id session_id",
    date="amended_on",
    nested="budget_lines",
    free_text="conditions",
)
@event("PlanAmended", 1, Domain.COMMITTEE)
class PlanAmendedV1(EventPayload):
    """The committee changed the budget or set conditions; a PlanApproved(amended) follows."""

    plan_id: UUID
    session_id: UUID
    amended_on: date
    budget_lines: list[BudgetLineV1] = Field(min_length=1, description="The budget as amended")
    conditions: list[Condition] = Field(default_factory=list)


@classified(
    identifier="plan_id session_id beneficiary_ids",
    category="kind trade currency",
    nested="locality approved_budget",
    date="approved_on",
    amount="approved_total",
    flag="amended",
    free_text="conditions",
)
@event("PlanApproved", 1, Domain.COMMITTEE)
class PlanApprovedV1(EventPayload):
    """Only approved plans are implemented: procurement orders kits from this event."""

    plan_id: UUID
    session_id: UUID
    kind: PlanKindV2
    beneficiary_ids: list[ReturneeId] = Field(min_length=1)
    trade: Trade
    locality: Locality
    approved_on: date
    approved_budget: list[BudgetLineV1] = Field(min_length=1)
    approved_total: Amount
    amended: bool = False
    conditions: list[Condition] = Field(default_factory=list)
    currency: str = Field(pattern=r"^[A-Z]{3}$")


@classified(identifier="plan_id session_id", date="rejected_on", free_text="reasons")
@event("PlanRejected", 1, Domain.COMMITTEE)
class PlanRejectedV1(EventPayload):
    """The committee turned the plan down; its beneficiaries may submit a new plan."""

    plan_id: UUID
    session_id: UUID
    rejected_on: date
    reasons: list[Reason] = Field(min_length=1)


@classified(count="threshold", date="set_on")
@event("ConveningThresholdSet", 1, Domain.COMMITTEE)
class ConveningThresholdSet(EventPayload):
    """How many reviewed plans a locality needs waiting before the office convenes a session."""

    threshold: int = Field(ge=1, le=50, description="Programmes convene at four or five plans")
    set_on: date


# Version 2: no one's words on the wire ------------------------------------------------------


@classified(category="item", count="quantity", amount="unit_cost", flag="specified")
class BudgetLine(BaseModel):
    """One line of a budget, by catalogue item code; what exactly is to be bought, in words,
    stays with the plan in committee's database."""

    model_config = ConfigDict(frozen=True)

    item: ItemCode
    quantity: int = Field(ge=1, le=100_000)
    unit_cost: Amount
    specified: bool = Field(
        default=False, description="A specification of what exactly is to be bought is on file"
    )


class InKindKind(StrEnum):
    """What the beneficiaries bring themselves, as a category (their words stay local)."""

    WORKSPACE = "workspace"
    LAND = "land"
    LABOUR = "labour"
    EQUIPMENT = "equipment"
    LIVESTOCK = "livestock"
    MATERIALS = "materials"
    SAVINGS = "savings"
    OTHER = "other"


@classified(category="kind", amount="value")
class InKindContribution(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: InKindKind
    value: Amount


@classified(category="role")
class CommitteeSeat(BaseModel):
    """A seat at the committee, by role; the organisation holding it stays in committee's
    database (never a member's name, nor the words typed for the organisation)."""

    model_config = ConfigDict(frozen=True)

    role: MemberRole


class RejectionReason(StrEnum):
    """Why the committee turned a plan down, as a category (its words stay local)."""

    MARKET_SATURATED = "market_saturated"
    BUDGET_INCONSISTENT = "budget_inconsistent"
    GROUP_NOT_AGREED = "group_not_agreed"
    RESOURCES_MISSING = "resources_missing"
    NOT_VIABLE = "not_viable"
    NOT_LOCALLY_RELEVANT = "not_locally_relevant"
    OTHER = "other"


class ConditionKind(StrEnum):
    """A condition the committee set on an approval, as a category (its words stay local)."""

    SITE_VISIT_BEFORE_KIT = "site_visit_before_kit"
    SAVINGS_ACCOUNT_OPENED = "savings_account_opened"
    FURTHER_TRAINING = "further_training"
    SUPPLIER_QUOTES = "supplier_quotes"
    STAGED_DELIVERY = "staged_delivery"
    OTHER = "other"


@classified(
    identifier="plan_id beneficiary_ids",
    category="kind sector trade kit_requested currency",
    nested="locality budget_lines in_kind_contribution",
    date="submitted_on",
)
@event("PlanSubmitted", 2, Domain.COMMITTEE)
class PlanSubmittedV2(EventPayload):
    """A business plan, individual or collective, goes to procurement review, then committee."""

    plan_id: UUID
    kind: PlanKindV2
    beneficiary_ids: list[ReturneeId] = Field(min_length=1)
    sector: Slug
    trade: Trade
    locality: Locality
    budget_lines: list[BudgetLine] = Field(min_length=1)
    in_kind_contribution: list[InKindContribution] = Field(default_factory=list)
    kit_requested: Trade | None = Field(default=None, description="Trade kit requested")
    currency: Currency
    submitted_on: date


@classified(
    category="item flags reasons officer_reason",
    count="quantity",
    amount="submitted_unit_cost reviewed_unit_cost",
)
class ReviewedBudgetLine(BaseModel):
    """One budget line as procurement reviewed it, beside what the plan asked for."""

    model_config = ConfigDict(frozen=True)

    item: ItemCode
    quantity: int = Field(ge=1, le=100_000)
    submitted_unit_cost: Amount
    reviewed_unit_cost: Amount
    flags: list[Slug] = Field(
        default_factory=list, examples=[["above_catalogue_price"]], description="Review flags"
    )
    reasons: list[LineReason] = Field(
        default_factory=list, description="Why procurement flagged or adjusted the line"
    )
    officer_reason: AdjustmentReason | None = Field(
        default=None, description="Why an officer overrode the line, if one did"
    )


@classified(
    identifier="plan_id review_id",
    count="revision flagged_lines",
    date="reviewed_on",
    amount="reviewed_total submitted_total",
    nested="lines",
)
@event("PlanBudgetReviewNoted", 2, Domain.COMMITTEE)
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


@classified(identifier="session_id", nested="locality members", date="held_on")
@event("CommitteeSessionHeld", 2, Domain.COMMITTEE)
class CommitteeSessionHeld(EventPayload):
    """A selection committee met in a locality; its decisions name this session."""

    session_id: UUID
    locality: Locality = Field(description="The locality whose plans the session decides")
    held_on: date
    members: list[CommitteeSeat] = Field(
        min_length=3, description="At least a local authority and a technical expert"
    )


@classified(
    identifier="plan_id session_id",
    date="amended_on",
    nested="budget_lines",
    category="conditions",
)
@event("PlanAmended", 2, Domain.COMMITTEE)
class PlanAmended(EventPayload):
    """The committee changed the budget or set conditions; a PlanApproved(amended) follows."""

    plan_id: UUID
    session_id: UUID
    amended_on: date
    budget_lines: list[BudgetLine] = Field(min_length=1, description="The budget as amended")
    conditions: list[ConditionKind] = Field(default_factory=list)


@classified(
    identifier="plan_id session_id beneficiary_ids",
    category="kind trade currency conditions",
    nested="locality approved_budget",
    date="approved_on",
    amount="approved_total",
    flag="amended",
)
@event("PlanApproved", 2, Domain.COMMITTEE)
class PlanApprovedV2(EventPayload):
    """Only approved plans are implemented: procurement orders kits from this event."""

    plan_id: UUID
    session_id: UUID
    kind: PlanKindV2
    beneficiary_ids: list[ReturneeId] = Field(min_length=1)
    trade: Trade
    locality: Locality
    approved_on: date
    approved_budget: list[BudgetLine] = Field(min_length=1)
    approved_total: Amount
    amended: bool = False
    conditions: list[ConditionKind] = Field(default_factory=list)
    currency: Currency


@classified(identifier="plan_id session_id", date="rejected_on", category="reasons")
@event("PlanRejected", 2, Domain.COMMITTEE)
class PlanRejected(EventPayload):
    """The committee turned the plan down; its beneficiaries may submit a new plan."""

    plan_id: UUID
    session_id: UUID
    rejected_on: date
    reasons: list[RejectionReason] = Field(min_length=1)


# Version 3: community projects and cash grants ----------------------------------------------


@classified(category="sex age_band", count="count")
class CommunityMembersCounted(BaseModel):
    """Community members taking part, counted by sex and age band (not registered)."""

    model_config = ConfigDict(frozen=True)

    sex: Sex
    age_band: AgeBand
    count: int = Field(ge=1, le=10_000)


@classified(
    identifier="plan_id beneficiary_ids community_member_ids implementing_partner call_id",
    category="kind support sector trade kit_requested currency",
    nested="locality budget_lines in_kind_contribution community_members",
    date="submitted_on",
)
@event("PlanSubmitted", 3, Domain.COMMITTEE)
class PlanSubmitted(EventPayload):
    """A business plan, individual or collective, or a community project proposed by an
    implementing partner, goes to procurement review, then committee."""

    plan_id: UUID
    kind: PlanKind
    support: PlanSupport = Field(
        default=PlanSupport.KIT, description="A kit, or a cash grant in tranches"
    )
    beneficiary_ids: list[ReturneeId] = Field(
        min_length=1, description="Returnees; a community project names at least one"
    )
    community_member_ids: list[ReturneeId] = Field(
        default_factory=list, description="Registered community members (community projects)"
    )
    community_members: list[CommunityMembersCounted] = Field(
        default_factory=list, description="Community members counted, not registered"
    )
    implementing_partner: PartnerId | None = Field(
        default=None, description="The partner running a community project (partner registry)"
    )
    call_id: UUID | None = Field(default=None, description="The call for proposals answered")
    sector: Slug
    trade: Trade
    locality: Locality
    budget_lines: list[BudgetLine] = Field(min_length=1)
    in_kind_contribution: list[InKindContribution] = Field(default_factory=list)
    kit_requested: Trade | None = Field(default=None, description="Trade kit requested")
    currency: Currency
    submitted_on: date


@classified(
    identifier="plan_id session_id beneficiary_ids community_member_ids implementing_partner",
    category="kind support trade currency conditions",
    nested="locality approved_budget community_members",
    date="approved_on",
    amount="approved_total",
    flag="amended",
)
@event("PlanApproved", 3, Domain.COMMITTEE)
class PlanApproved(EventPayload):
    """Only approved plans are implemented: procurement orders a kit or awards a grant."""

    plan_id: UUID
    session_id: UUID
    kind: PlanKind
    support: PlanSupport = PlanSupport.KIT
    beneficiary_ids: list[ReturneeId] = Field(min_length=1)
    community_member_ids: list[ReturneeId] = Field(default_factory=list)
    community_members: list[CommunityMembersCounted] = Field(default_factory=list)
    implementing_partner: PartnerId | None = None
    trade: Trade
    locality: Locality
    approved_on: date
    approved_budget: list[BudgetLine] = Field(min_length=1)
    approved_total: Amount
    amended: bool = False
    conditions: list[ConditionKind] = Field(default_factory=list)
    currency: Currency


@classified(
    identifier="call_id",
    date="opened_on closes_on",
    nested="localities",
    count="target_beneficiaries",
    amount="budget",
    category="currency",
)
@event("CallForProposalsOpened", 1, Domain.COMMITTEE)
class CallForProposalsOpened(EventPayload):
    """An office invites implementing partners to propose community projects."""

    call_id: UUID
    opened_on: date
    closes_on: date
    localities: list[Locality] = Field(min_length=1)
    target_beneficiaries: int = Field(ge=1, le=100_000, examples=[300])
    budget: Amount
    currency: Currency


class ConsultedGroup(StrEnum):
    RETURNEES = "returnees"
    COMMUNITY_MEMBERS = "community_members"
    LOCAL_AUTHORITIES = "local_authorities"
    CUSTOMARY_LEADERS = "customary_leaders"
    WOMEN_GROUPS = "women_groups"
    YOUTH_GROUPS = "youth_groups"
    CIVIL_SOCIETY = "civil_society"


@classified(category="group", count="count")
class ConsultationAttendance(BaseModel):
    model_config = ConfigDict(frozen=True)

    group: ConsultedGroup
    count: int = Field(ge=1, le=10_000)


@classified(
    identifier="consultation_id plan_id implementing_partner",
    date="held_on",
    nested="locality attendance",
)
@event("CommunityConsulted", 1, Domain.COMMITTEE)
class CommunityConsulted(EventPayload):
    """A meeting with the community about a proposed project: who took part, by group and
    count (what was said stays in committee's database)."""

    consultation_id: UUID
    plan_id: UUID
    implementing_partner: PartnerId | None = None
    held_on: date
    locality: Locality
    attendance: list[ConsultationAttendance] = Field(min_length=1)


# Upcasters: the words are dropped (only that there were some is still known) -----------------


def _budget_line_v1_to_v2(line: dict[str, Any]) -> dict[str, Any]:
    return {
        "item": item_code(str(line["item"])),
        "quantity": line["quantity"],
        "unit_cost": line["unit_cost"],
        "specified": bool((line.get("specification") or "").strip()),
    }


def _others(words: list[Any] | None) -> list[str]:
    return ["other"] if words else []


@upcaster("PlanSubmitted", from_version=1)
def _plan_submitted_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    data.pop("activity", None)
    data["budget_lines"] = [_budget_line_v1_to_v2(line) for line in data["budget_lines"]]
    data["in_kind_contribution"] = [
        {"kind": InKindKind.OTHER.value, "value": part["value"]}
        for part in data.get("in_kind_contribution", [])
    ]
    return data


@upcaster("PlanBudgetReviewNoted", from_version=1)
def _review_noted_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    # v1 wrote procurement's categories out in words ("not in catalogue; other"): read back.
    known = {reason.value for reason in LineReason}
    lines = []
    for line in data["lines"]:
        line = dict(line)
        said = [
            part.strip().replace(" ", "_") for part in (line.pop("reason", None) or "").split(";")
        ]
        reasons = [part for part in said if part in known]
        line["item"] = item_code(str(line["item"]))
        line["reasons"] = reasons or (["other"] if any(said) else [])
        line["officer_reason"] = None
        lines.append(line)
    data["lines"] = lines
    return data


@upcaster("CommitteeSessionHeld", from_version=1)
def _session_held_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    data["members"] = [{"role": member["role"]} for member in data["members"]]
    return data


@upcaster("PlanAmended", from_version=1)
def _plan_amended_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    data["budget_lines"] = [_budget_line_v1_to_v2(line) for line in data["budget_lines"]]
    data["conditions"] = _others(data.get("conditions"))
    return data


@upcaster("PlanApproved", from_version=1)
def _plan_approved_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    data["approved_budget"] = [_budget_line_v1_to_v2(line) for line in data["approved_budget"]]
    data["conditions"] = _others(data.get("conditions"))
    return data


@upcaster("PlanRejected", from_version=1)
def _plan_rejected_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    data["reasons"] = ["other"]
    return data


@upcaster("PlanSubmitted", from_version=2)
def _plan_submitted_v2_to_v3(data: dict[str, Any]) -> dict[str, Any]:
    data["support"] = PlanSupport.KIT.value
    return data


@upcaster("PlanApproved", from_version=2)
def _plan_approved_v2_to_v3(data: dict[str, Any]) -> dict[str, Any]:
    data["support"] = PlanSupport.KIT.value
    return data
