"""The committee's rules as tables: given a plan's events, a command -> events or the rule."""

from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest

from committee.domain import (
    AmendPlan,
    ApprovePlan,
    HoldSession,
    NoteBudgetReview,
    PlanCommand,
    PlanStatus,
    RejectPlan,
    SetConveningThreshold,
    SubmitPlan,
    completes_entrepreneurship,
    decide,
    fold,
    hold_session,
    ready_to_convene,
    set_convening_threshold,
)
from reintegration_contracts.events.committee import (
    BudgetLine,
    CommitteeMember,
    CommitteeSessionHeld,
    InKindContribution,
    MemberRole,
    PlanAmended,
    PlanApproved,
    PlanBudgetReviewNoted,
    PlanKind,
    PlanRejected,
    PlanSubmitted,
    ReviewedBudgetLine,
)
from reintegration_contracts.events.procurement import BudgetReviewed, ReviewedLine, ReviewFlag
from reintegration_contracts.events.training import CourseKind, TrainingCompleted
from reintegration_contracts.registry import EventPayload
from reintegration_contracts.types import Locality
from reintegration_sdk.errors import InvalidField, NotFound, RuleViolation

pytestmark = pytest.mark.unit

TODAY = date(2018, 6, 15)
PLAN_ID = UUID("00000000-0000-4000-8000-0000000000a1")
SESSION_ID = UUID("00000000-0000-4000-8000-0000000000c1")
AWA, BILA, CHEICK = (UUID(f"00000000-0000-4000-8000-00000000000{n}") for n in (1, 2, 3))
TENKODOGO = Locality(region="Centre-Est", commune="Tenkodogo")
KOUPELA = Locality(region="Centre-Est", commune="Koupela")

SEWING_MACHINE = BudgetLine(
    item="sewing machine", quantity=2, unit_cost=90_000, specification="pedal"
)
FABRIC = BudgetLine(item="fabric", quantity=10, unit_cost=5_000)
MAYOR = CommitteeMember(role=MemberRole.LOCAL_AUTHORITY, organisation="Mairie de Tenkodogo")
NGO = CommitteeMember(role=MemberRole.CIVIL_SOCIETY, organisation="Association des femmes")
AGRONOMIST = CommitteeMember(role=MemberRole.TECHNICAL_EXPERT, organisation="DRA Centre-Est")
EMPLOYMENT_AGENCY = CommitteeMember(role=MemberRole.TECHNICAL_EXPERT, organisation="ANPE")


# Builders: sensible defaults, each test states only what it is about. ---------------------


def a_submission(**changes: Any) -> SubmitPlan:
    command = SubmitPlan(
        plan_id=PLAN_ID,
        kind=PlanKind.COLLECTIVE,
        beneficiary_ids=(AWA, BILA),
        sector="crafts",
        trade="tailoring",
        activity="A tailoring workshop for school uniforms",
        locality=TENKODOGO,
        budget_lines=(SEWING_MACHINE, FABRIC),
        in_kind_contribution=(InKindContribution(description="workshop space", value=60_000),),
        kit_requested="tailoring",
        currency="XOF",
        submitted_on=date(2018, 5, 2),
        today=TODAY,
        trained=frozenset({AWA, BILA, CHEICK}),
    )
    return replace(command, **changes)


def submitted(**changes: Any) -> PlanSubmitted:
    event = decide(None, a_submission(**changes))[0]
    assert isinstance(event, PlanSubmitted)
    return event


def a_review(
    revision: int = 1, reviewed_on: date = date(2018, 5, 10), awaiting_officer: bool = False
) -> BudgetReviewed:
    lines = [
        ReviewedLine(
            item="sewing machine",
            quantity=2,
            submitted_unit_cost=90_000,
            reviewed_unit_cost=80_000,
            catalogue_unit_price=80_000,
            flags=[ReviewFlag.ABOVE_CATALOGUE_PRICE],
            reason="catalogue price",
        ),
        ReviewedLine(
            item="fabric", quantity=10, submitted_unit_cost=5_000, reviewed_unit_cost=5_000
        ),
    ]
    return BudgetReviewed(
        review_id=uuid4(),
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


def noted(revision: int = 1, reviewed_on: date = date(2018, 5, 10)) -> PlanBudgetReviewNoted:
    event = decide(fold([submitted()]), NoteBudgetReview(a_review(revision, reviewed_on)))[0]
    assert isinstance(event, PlanBudgetReviewNoted)
    return event


def a_session(**changes: Any) -> CommitteeSessionHeld:
    values: dict[str, Any] = {
        "session_id": SESSION_ID,
        "locality": TENKODOGO,
        "held_on": date(2018, 6, 1),
        "members": [MAYOR, NGO, AGRONOMIST],
    }
    return CommitteeSessionHeld(**(values | changes))


def approved(**changes: Any) -> PlanApproved:
    event = decide(fold([submitted(), noted()]), approve_in(a_session(**changes)))[0]
    assert isinstance(event, PlanApproved)
    return event


def rejected() -> PlanRejected:
    return PlanRejected(
        plan_id=PLAN_ID, session_id=SESSION_ID, rejected_on=date(2018, 6, 1), reasons=["saturated"]
    )


def approve_in(session: CommitteeSessionHeld | None) -> ApprovePlan:
    return ApprovePlan(session_id=SESSION_ID, session=session)


def reject_in(session: CommitteeSessionHeld, reasons: tuple[str, ...]) -> RejectPlan:
    return RejectPlan(session_id=SESSION_ID, reasons=reasons, session=session)


def amend_in(
    session: CommitteeSessionHeld, lines: tuple[BudgetLine, ...] | None, conditions: tuple[str, ...]
) -> AmendPlan:
    return AmendPlan(SESSION_ID, lines, conditions, session=session)


@dataclass(frozen=True)
class Refused:
    rule: str
    error: type[Exception] = RuleViolation


def then(given: list[EventPayload], command: PlanCommand) -> list[str]:
    return [event.event_name for event in decide(fold(given), command)]


# Submitting a plan ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "command", "expected"),
    [
        pytest.param([], a_submission(), ["PlanSubmitted"], id="collective-plan-of-trained"),
        pytest.param(
            [],
            a_submission(kind=PlanKind.INDIVIDUAL, beneficiary_ids=(CHEICK,)),
            ["PlanSubmitted"],
            id="individual-plan",
        ),
        pytest.param(
            [],
            a_submission(beneficiary_ids=(AWA, BILA, CHEICK), trained=frozenset({AWA, BILA})),
            Refused("beneficiary_not_trained"),
            id="collective-member-not-trained",
        ),
        pytest.param(
            [],
            a_submission(in_other_plans=frozenset({BILA})),
            Refused("beneficiary_in_another_plan"),
            id="member-already-in-a-plan",
        ),
        pytest.param(
            [submitted()],
            a_submission(),
            Refused("plan_already_submitted"),
            id="submitted-twice",
        ),
        pytest.param(
            [],
            a_submission(kind=PlanKind.INDIVIDUAL),
            Refused("invalid_field", InvalidField),
            id="individual-plan-with-two-beneficiaries",
        ),
        pytest.param(
            [],
            a_submission(beneficiary_ids=(AWA,)),
            Refused("invalid_field", InvalidField),
            id="collective-plan-of-one",
        ),
        pytest.param(
            [],
            a_submission(beneficiary_ids=(AWA, AWA)),
            Refused("invalid_field", InvalidField),
            id="beneficiary-listed-twice",
        ),
        pytest.param(
            [],
            a_submission(in_kind_contribution=()),
            Refused("invalid_field", InvalidField),
            id="no-in-kind-contribution",
        ),
        pytest.param(
            [],
            a_submission(budget_lines=(FABRIC, FABRIC.model_copy(update={"quantity": 3}))),
            Refused("invalid_field", InvalidField),
            id="item-on-two-lines",
        ),
        pytest.param(
            [],
            a_submission(submitted_on=date(2018, 7, 1)),
            Refused("invalid_field", InvalidField),
            id="submitted-in-the-future",
        ),
    ],
)
def test_submitting_a_plan(
    given: list[EventPayload], command: SubmitPlan, expected: list[str] | Refused
) -> None:
    assert_outcome(given, command, expected)


def test_a_refused_collective_plan_names_the_untrained_member() -> None:
    command = a_submission(beneficiary_ids=(AWA, BILA, CHEICK), trained=frozenset({AWA, BILA}))
    with pytest.raises(RuleViolation) as refusal:
        decide(None, command)
    assert refusal.value.context["returnee_ids"] == [CHEICK]
    assert "entrepreneurship training" in refusal.value.detail


def test_an_invalid_field_names_the_field() -> None:
    with pytest.raises(InvalidField) as refusal:
        decide(None, a_submission(in_kind_contribution=()))
    assert refusal.value.field == "in_kind_contribution"


# Procurement's review ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "review", "expected"),
    [
        pytest.param([submitted()], a_review(), ["PlanBudgetReviewNoted"], id="first-review"),
        pytest.param(
            [submitted(), noted(1)], a_review(2), ["PlanBudgetReviewNoted"], id="newer-revision"
        ),
        pytest.param([submitted(), noted(2)], a_review(1), [], id="older-revision-arrives-late"),
        pytest.param([submitted(), noted(1)], a_review(1), [], id="same-revision-again"),
        pytest.param([], a_review(), [], id="unknown-plan"),
        pytest.param(
            [submitted(), noted(1), approved()], a_review(2), [], id="review-after-decision"
        ),
        pytest.param([submitted()], awaiting(1), [], id="review-awaiting-an-officer"),
        pytest.param(
            [submitted()],
            a_review(2),
            ["PlanBudgetReviewNoted"],
            id="officer-revision-after-an-awaiting-one",
        ),
    ],
)
def test_noting_a_budget_review(
    given: list[EventPayload], review: BudgetReviewed, expected: list[str]
) -> None:
    assert then(given, NoteBudgetReview(review)) == expected


def test_the_noted_review_puts_the_reviewed_budget_beside_the_submitted_one() -> None:
    assert noted().lines[0] == ReviewedBudgetLine(
        item="sewing machine",
        quantity=2,
        submitted_unit_cost=90_000,
        reviewed_unit_cost=80_000,
        flags=["above_catalogue_price"],
        reason="catalogue price",
    )
    assert (noted().submitted_total, noted().reviewed_total, noted().flagged_lines) == (
        230_000,
        210_000,
        1,
    )


def test_a_plan_waits_for_the_officer_then_the_committee_may_decide_it() -> None:
    # Procurement's automatic review cannot price the fabric: nothing is noted.
    plan = fold([submitted()])
    assert decide(plan, NoteBudgetReview(awaiting(1))) == []
    assert plan is not None and plan.status is PlanStatus.SUBMITTED
    with pytest.raises(RuleViolation) as refusal:
        decide(plan, approve_in(a_session()))
    assert refusal.value.rule == "budget_not_reviewed"
    # The officer's revision 2 completes the review, though revision 1 was never noted.
    [revision] = decide(plan, NoteBudgetReview(a_review(2)))
    assert isinstance(revision, PlanBudgetReviewNoted) and revision.revision == 2
    reviewed = fold([submitted(), revision])
    assert reviewed is not None and reviewed.status is PlanStatus.REVIEWED
    assert then([submitted(), revision], approve_in(a_session())) == ["PlanApproved"]


# Deciding a plan --------------------------------------------------------------------------

REVIEWED = [submitted(), noted()]
WITHOUT_EXPERT = a_session(members=[MAYOR, NGO, NGO])
WITHOUT_AUTHORITY = a_session(members=[NGO, AGRONOMIST, EMPLOYMENT_AGENCY])


@pytest.mark.parametrize(
    ("given", "command", "expected"),
    [
        pytest.param(REVIEWED, approve_in(a_session()), ["PlanApproved"], id="approve"),
        pytest.param(
            REVIEWED, reject_in(a_session(), ("no market",)), ["PlanRejected"], id="reject"
        ),
        pytest.param(
            REVIEWED,
            amend_in(a_session(), (FABRIC,), ("start with fabric only",)),
            ["PlanAmended", "PlanApproved"],
            id="amend-budget-and-conditions",
        ),
        pytest.param(
            REVIEWED,
            amend_in(a_session(), None, ("visit the workshop first",)),
            ["PlanAmended", "PlanApproved"],
            id="amend-conditions-only",
        ),
        pytest.param(
            [submitted()],
            approve_in(a_session()),
            Refused("budget_not_reviewed"),
            id="approve-before-budget-review",
        ),
        pytest.param(
            [submitted()],
            reject_in(a_session(), ("x y z",)),
            Refused("budget_not_reviewed"),
            id="reject-before-budget-review",
        ),
        pytest.param(REVIEWED, approve_in(None), Refused("session_not_held"), id="no-session-held"),
        pytest.param(
            REVIEWED,
            approve_in(WITHOUT_EXPERT),
            Refused("session_not_quorate"),
            id="session-without-technical-expert",
        ),
        pytest.param(
            REVIEWED,
            approve_in(WITHOUT_AUTHORITY),
            Refused("session_not_quorate"),
            id="session-without-local-authority",
        ),
        pytest.param(
            REVIEWED,
            approve_in(a_session(locality=KOUPELA)),
            Refused("session_in_another_locality"),
            id="session-of-another-locality",
        ),
        pytest.param(
            REVIEWED,
            approve_in(a_session(locality=Locality(region="centre-est ", commune="TENKODOGO"))),
            ["PlanApproved"],
            id="locality-spelt-differently",
        ),
        pytest.param(
            REVIEWED,
            approve_in(a_session(held_on=date(2018, 5, 5))),
            Refused("session_before_budget_review"),
            id="session-before-the-review",
        ),
        pytest.param(
            REVIEWED,
            approve_in(a_session(held_on=date(2018, 4, 1))),
            Refused("session_before_submission"),
            id="session-before-submission",
        ),
        pytest.param(
            [*REVIEWED, approved()],
            approve_in(a_session()),
            Refused("plan_already_decided"),
            id="approved-twice",
        ),
        pytest.param(
            [*REVIEWED, rejected()],
            amend_in(a_session(), None, ("z z z",)),
            Refused("plan_already_decided"),
            id="amend-a-rejected-plan",
        ),
        pytest.param(
            REVIEWED,
            amend_in(a_session(), None, ()),
            Refused("invalid_field", InvalidField),
            id="amendment-changing-nothing",
        ),
        pytest.param(
            REVIEWED,
            amend_in(a_session(), (SEWING_MACHINE.model_copy(update={"quantity": 3}),), ()),
            Refused("amendment_above_reviewed_budget"),
            id="amendment-above-reviewed-budget",
        ),
        pytest.param(
            REVIEWED,
            reject_in(a_session(), ()),
            Refused("invalid_field", InvalidField),
            id="rejection-without-reason",
        ),
        pytest.param([], approve_in(a_session()), Refused("", NotFound), id="unknown-plan"),
    ],
)
def test_deciding_a_plan(
    given: list[EventPayload], command: PlanCommand, expected: list[str] | Refused
) -> None:
    assert_outcome(given, command, expected)


def test_approval_carries_the_reviewed_budget_and_names_the_session() -> None:
    approval = approved()
    assert approval.session_id == SESSION_ID
    assert approval.approved_on == date(2018, 6, 1)
    assert approval.approved_budget == [
        SEWING_MACHINE.model_copy(update={"unit_cost": 80_000}),
        FABRIC,
    ]
    assert approval.approved_total == 210_000
    assert approval.beneficiary_ids == [AWA, BILA]
    assert approval.amended is False


def test_an_amendment_is_approved_as_amended() -> None:
    command = amend_in(a_session(), (FABRIC,), ("start with fabric only",))
    amendment, approval = decide(fold(REVIEWED), command)
    assert isinstance(amendment, PlanAmended)
    assert isinstance(approval, PlanApproved)
    assert amendment.budget_lines == approval.approved_budget == [FABRIC]
    assert approval.approved_total == 50_000
    assert approval.amended is True
    assert approval.conditions == ["start with fabric only"]


@pytest.mark.parametrize(
    ("given", "status"),
    [
        ([submitted()], PlanStatus.SUBMITTED),
        (REVIEWED, PlanStatus.REVIEWED),
        ([*REVIEWED, approved()], PlanStatus.APPROVED),
        ([*REVIEWED, rejected()], PlanStatus.REJECTED),
    ],
)
def test_a_plan_status_follows_its_stream(given: list[EventPayload], status: PlanStatus) -> None:
    plan = fold(given)
    assert plan is not None
    assert plan.status == status


# Sessions and convening -------------------------------------------------------------------


def a_holding(**changes: Any) -> HoldSession:
    command = HoldSession(
        session_id=SESSION_ID,
        locality=TENKODOGO,
        held_on=date(2018, 6, 1),
        members=(MAYOR, NGO, AGRONOMIST),
        today=TODAY,
    )
    return replace(command, **changes)


@pytest.mark.parametrize(
    ("held", "command", "expected"),
    [
        pytest.param(None, a_holding(), ["CommitteeSessionHeld"], id="valid-session"),
        pytest.param(
            None,
            a_holding(members=(MAYOR, AGRONOMIST, EMPLOYMENT_AGENCY)),
            ["CommitteeSessionHeld"],
            id="without-civil-society",
        ),
        pytest.param(
            None,
            a_holding(members=(MAYOR, AGRONOMIST)),
            Refused("session_not_quorate"),
            id="two-members",
        ),
        pytest.param(
            None,
            a_holding(members=(MAYOR, NGO, NGO)),
            Refused("session_not_quorate"),
            id="no-technical-expert",
        ),
        pytest.param(
            None,
            a_holding(members=(NGO, AGRONOMIST, EMPLOYMENT_AGENCY)),
            Refused("session_not_quorate"),
            id="no-local-authority",
        ),
        pytest.param(
            None,
            a_holding(held_on=date(2018, 7, 1)),
            Refused("invalid_field", InvalidField),
            id="held-in-the-future",
        ),
        pytest.param(
            a_session(), a_holding(), Refused("session_already_held"), id="recorded-twice"
        ),
    ],
)
def test_holding_a_session(
    held: CommitteeSessionHeld | None, command: HoldSession, expected: list[str] | Refused
) -> None:
    if isinstance(expected, Refused):
        with pytest.raises(expected.error) as refusal:
            hold_session(held, command)
        assert getattr(refusal.value, "rule", "") == expected.rule
    else:
        assert [e.event_name for e in hold_session(held, command)] == expected


@pytest.mark.parametrize(
    ("waiting", "threshold", "ready"), [(3, 4, False), (4, 4, True), (5, 4, True), (2, 2, True)]
)
def test_a_locality_is_ready_to_convene_at_the_threshold(
    waiting: int, threshold: int, ready: bool
) -> None:
    assert ready_to_convene(waiting, threshold) is ready


@pytest.mark.parametrize(
    ("kind", "passed", "completes"),
    [
        (CourseKind.ENTREPRENEURSHIP, True, True),
        (CourseKind.ENTREPRENEURSHIP, False, False),
        (CourseKind.VOCATIONAL, True, False),
    ],
)
def test_only_a_passed_entrepreneurship_course_qualifies(
    kind: CourseKind, passed: bool, completes: bool
) -> None:
    event = TrainingCompleted(
        cohort_id=uuid4(),
        returnee_id=AWA,
        kind=kind,
        trade=None if kind == CourseKind.ENTREPRENEURSHIP else "welding",
        completed_on=TODAY,
        passed=passed,
        days_attended=5,
    )
    assert completes_entrepreneurship(event) is completes


def test_setting_the_convening_threshold() -> None:
    (event,) = set_convening_threshold(SetConveningThreshold(threshold=5, today=TODAY))
    assert (event.threshold, event.set_on) == (5, TODAY)


def assert_outcome(
    given: list[EventPayload], command: PlanCommand, expected: list[str] | Refused
) -> None:
    if isinstance(expected, Refused):
        with pytest.raises(expected.error) as refusal:
            decide(fold(given), command)
        assert getattr(refusal.value, "rule", "") == expected.rule
    else:
        assert then(given, command) == expected
