"""Object mothers for the domain tables: commands and the very events they should yield.

The expected events are written out field by field (not produced by `decide`), so a table
compares what a decision writes on the wire, not only the names of the events.
"""

from dataclasses import replace
from datetime import date
from typing import Any
from uuid import UUID

from committee.domain import (
    AmendPlan,
    ApprovePlan,
    HoldSession,
    Plan,
    PlanEvent,
    RejectPlan,
    SubmitPlan,
    plans,
)
from reintegration_contracts.events.committee import (
    BudgetLine,
    CommitteeSeat,
    CommitteeSessionHeld,
    ConditionKind,
    InKindContribution,
    InKindKind,
    MemberRole,
    PlanAmended,
    PlanApproved,
    PlanBudgetReviewNoted,
    PlanKind,
    PlanRejected,
    PlanSubmitted,
    RejectionReason,
    ReviewedBudgetLine,
)
from reintegration_contracts.events.procurement import (
    BudgetReviewed,
    LineReason,
    ReviewedLine,
    ReviewFlag,
)
from reintegration_contracts.types import Locality

TODAY = date(2018, 6, 15)
SUBMITTED_ON = date(2018, 5, 2)
REVIEWED_ON = date(2018, 5, 10)
HELD_ON = date(2018, 6, 1)
PLAN_ID = UUID("00000000-0000-4000-8000-0000000000a1")
SESSION_ID = UUID("00000000-0000-4000-8000-0000000000c1")
AWA, BILA, CHEICK = (UUID(f"00000000-0000-4000-8000-00000000000{n}") for n in (1, 2, 3))
TENKODOGO = Locality(region="Centre-Est", commune="Tenkodogo")
KOUPELA = Locality(region="Centre-Est", commune="Koupela")

SEWING_MACHINE = BudgetLine(item="sewing_machine", quantity=2, unit_cost=90_000, specified=True)
FABRIC = BudgetLine(item="fabric", quantity=10, unit_cost=5_000)
# What procurement reviewed: the machine at the catalogue price, still specified.
REVIEWED_BUDGET = [SEWING_MACHINE.model_copy(update={"unit_cost": 80_000}), FABRIC]
WORKSHOP = InKindContribution(kind=InKindKind.WORKSPACE, value=60_000)
MAYOR = CommitteeSeat(role=MemberRole.LOCAL_AUTHORITY)
NGO = CommitteeSeat(role=MemberRole.CIVIL_SOCIETY)
AGRONOMIST = CommitteeSeat(role=MemberRole.TECHNICAL_EXPERT)
EMPLOYMENT_AGENCY = CommitteeSeat(role=MemberRole.TECHNICAL_EXPERT)
SATURATED = RejectionReason.MARKET_SATURATED
VISIT_FIRST = ConditionKind.SITE_VISIT_BEFORE_KIT
FABRIC_ONLY = ConditionKind.STAGED_DELIVERY


def a_submission(**changes: Any) -> SubmitPlan:
    command = SubmitPlan(
        plan_id=PLAN_ID,
        kind=PlanKind.COLLECTIVE,
        beneficiary_ids=(AWA, BILA),
        sector="crafts",
        trade="tailoring",
        locality=TENKODOGO,
        budget_lines=(SEWING_MACHINE, FABRIC),
        in_kind_contribution=(WORKSHOP,),
        kit_requested="tailoring",
        currency="XOF",
        submitted_on=SUBMITTED_ON,
        today=TODAY,
        trained=frozenset({AWA, BILA, CHEICK}),
    )
    return replace(command, **changes)


def plan_submitted(**changes: Any) -> PlanSubmitted:
    values: dict[str, Any] = {
        "plan_id": PLAN_ID,
        "kind": PlanKind.COLLECTIVE,
        "beneficiary_ids": [AWA, BILA],
        "sector": "crafts",
        "trade": "tailoring",
        "locality": TENKODOGO,
        "budget_lines": [SEWING_MACHINE, FABRIC],
        "in_kind_contribution": [WORKSHOP],
        "kit_requested": "tailoring",
        "currency": "XOF",
        "submitted_on": SUBMITTED_ON,
    }
    return PlanSubmitted(**(values | changes))


def review_id(revision: int) -> UUID:
    return UUID(int=0xB0 + revision)


def a_review(
    revision: int = 1, reviewed_on: date = REVIEWED_ON, awaiting_officer: bool = False
) -> BudgetReviewed:
    lines = [
        ReviewedLine(
            item="sewing_machine",
            quantity=2,
            submitted_unit_cost=90_000,
            reviewed_unit_cost=80_000,
            catalogue_unit_price=80_000,
            flags=[ReviewFlag.ABOVE_CATALOGUE_PRICE],
            reasons=[LineReason.ABOVE_CATALOGUE_PRICE],
        ),
        ReviewedLine(
            item="fabric", quantity=10, submitted_unit_cost=5_000, reviewed_unit_cost=5_000
        ),
    ]
    return BudgetReviewed(
        review_id=review_id(revision),
        plan_id=PLAN_ID,
        revision=revision,
        reviewed_on=reviewed_on,
        reviewer="automatic",
        lines=lines,
        submitted_total=230_000,
        reviewed_total=210_000,
        currency="XOF",
        awaiting_officer=awaiting_officer,
    )


def awaiting(revision: int = 1) -> BudgetReviewed:
    """An automatic review with a line only an officer can settle (not in the catalogue)."""
    review = a_review(revision, awaiting_officer=True)
    fabric = review.lines[1].model_copy(update={"flags": [ReviewFlag.NOT_IN_CATALOGUE]})
    return review.model_copy(update={"lines": [review.lines[0], fabric]})


def review_noted(revision: int = 1, reviewed_on: date = REVIEWED_ON) -> PlanBudgetReviewNoted:
    return PlanBudgetReviewNoted(
        plan_id=PLAN_ID,
        review_id=review_id(revision),
        revision=revision,
        reviewed_on=reviewed_on,
        reviewed_total=210_000,
        flagged_lines=1,
        submitted_total=230_000,
        lines=[
            ReviewedBudgetLine(
                item="sewing_machine",
                quantity=2,
                submitted_unit_cost=90_000,
                reviewed_unit_cost=80_000,
                flags=["above_catalogue_price"],
                reasons=[LineReason.ABOVE_CATALOGUE_PRICE],
            ),
            ReviewedBudgetLine(
                item="fabric", quantity=10, submitted_unit_cost=5_000, reviewed_unit_cost=5_000
            ),
        ],
    )


def a_session(**changes: Any) -> CommitteeSessionHeld:
    values: dict[str, Any] = {
        "session_id": SESSION_ID,
        "locality": TENKODOGO,
        "held_on": HELD_ON,
        "members": [MAYOR, NGO, AGRONOMIST],
    }
    return CommitteeSessionHeld(**(values | changes))


def a_holding(**changes: Any) -> HoldSession:
    command = HoldSession(
        session_id=SESSION_ID,
        locality=TENKODOGO,
        held_on=HELD_ON,
        members=(MAYOR, NGO, AGRONOMIST),
        today=TODAY,
    )
    return replace(command, **changes)


def plan_approved(**changes: Any) -> PlanApproved:
    values: dict[str, Any] = {
        "plan_id": PLAN_ID,
        "session_id": SESSION_ID,
        "kind": PlanKind.COLLECTIVE,
        "beneficiary_ids": [AWA, BILA],
        "trade": "tailoring",
        "locality": TENKODOGO,
        "approved_on": HELD_ON,
        "approved_budget": REVIEWED_BUDGET,
        "approved_total": 210_000,
        "amended": False,
        "conditions": [],
        "currency": "XOF",
    }
    return PlanApproved(**(values | changes))


def plan_amended(**changes: Any) -> PlanAmended:
    values: dict[str, Any] = {
        "plan_id": PLAN_ID,
        "session_id": SESSION_ID,
        "amended_on": HELD_ON,
        "budget_lines": REVIEWED_BUDGET,
        "conditions": [],
    }
    return PlanAmended(**(values | changes))


def plan_rejected(*reasons: RejectionReason) -> PlanRejected:
    return PlanRejected(
        plan_id=PLAN_ID,
        session_id=SESSION_ID,
        rejected_on=HELD_ON,
        reasons=list(reasons or (SATURATED,)),
    )


def approve_in(session: CommitteeSessionHeld | None) -> ApprovePlan:
    return ApprovePlan(plan_id=PLAN_ID, session_id=SESSION_ID, session=session)


def reject_in(session: CommitteeSessionHeld, reasons: tuple[RejectionReason, ...]) -> RejectPlan:
    return RejectPlan(PLAN_ID, SESSION_ID, reasons, session=session)


def amend_in(
    session: CommitteeSessionHeld,
    lines: tuple[BudgetLine, ...] | None,
    conditions: tuple[ConditionKind, ...],
) -> AmendPlan:
    return AmendPlan(PLAN_ID, SESSION_ID, lines, conditions, session=session)


def folded(events: list[PlanEvent]) -> Plan:
    plan = plans.fold(events)
    assert plan is not None
    return plan


REVIEWED = [plan_submitted(), review_noted()]
