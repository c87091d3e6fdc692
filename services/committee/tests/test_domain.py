"""The business plans' rules as tables: given a plan's events, a command -> events or the rule.

Expected events are compared whole (every field of the payload), not by name.
"""

from dataclasses import dataclass
from datetime import date
from uuid import UUID

import pytest

from committee.domain import (
    NoteBudgetReview,
    Plan,
    PlanCommand,
    PlanEvent,
    PlanStatus,
    SubmitPlan,
    completes_entrepreneurship,
    holds_a_place,
    plan_stream,
    plans,
)
from reintegration_contracts.events.committee import (
    PlanAmended,
    PlanApproved,
    PlanBudgetReviewNoted,
    PlanKind,
    PlanSubmitted,
    RejectionReason,
    ReviewedBudgetLine,
)
from reintegration_contracts.events.procurement import BudgetReviewed, LineReason
from reintegration_contracts.events.training import CourseKind, TrainingCompleted
from reintegration_contracts.types import Locality
from reintegration_sdk import InvalidField, InvalidFields, NotFound, RuleViolation

from .domain_builders import (
    AGRONOMIST,
    AWA,
    BILA,
    CHEICK,
    EMPLOYMENT_AGENCY,
    FABRIC,
    FABRIC_ONLY,
    KOUPELA,
    MAYOR,
    NGO,
    PLAN_ID,
    REVIEWED,
    REVIEWED_BUDGET,
    SESSION_ID,
    SEWING_MACHINE,
    TODAY,
    VISIT_FIRST,
    a_review,
    a_session,
    a_submission,
    amend_in,
    approve_in,
    awaiting,
    folded,
    plan_amended,
    plan_approved,
    plan_rejected,
    plan_submitted,
    reject_in,
    review_noted,
)

pytestmark = pytest.mark.unit


@dataclass(frozen=True)
class Refused:
    rule: str
    error: type[Exception] = RuleViolation
    # For InvalidFields: every (field, reason) named, in order.
    problems: tuple[tuple[str, str], ...] = ()


def invalid(*problems: tuple[str, str]) -> Refused:
    return Refused("invalid_field", InvalidFields, problems)


def assert_outcome(
    given: list[PlanEvent], command: PlanCommand, expected: list[PlanEvent] | Refused
) -> None:
    if isinstance(expected, Refused):
        with pytest.raises(expected.error) as refusal:
            plans.given(given, command)
        assert getattr(refusal.value, "rule", "") == expected.rule
        if expected.problems:
            assert isinstance(refusal.value, InvalidFields)
            assert refusal.value.problems == list(expected.problems)
    else:
        assert plans.given(given, command) == expected


# Submitting a plan ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "command", "expected"),
    [
        pytest.param([], a_submission(), [plan_submitted()], id="collective-plan-of-trained"),
        pytest.param(
            [],
            a_submission(kind=PlanKind.INDIVIDUAL, beneficiary_ids=(CHEICK,)),
            [plan_submitted(kind=PlanKind.INDIVIDUAL, beneficiary_ids=[CHEICK])],
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
            a_submission(
                beneficiary_ids=(AWA, BILA, CHEICK),
                trained=frozenset({AWA}),
                entrepreneurship_required=False,
            ),
            [plan_submitted(beneficiary_ids=[AWA, BILA, CHEICK])],
            id="untrained-where-the-programme-asks-no-course-first",
        ),
        pytest.param(
            [],
            a_submission(their_plans=(folded([plan_submitted(plan_id=UUID(int=9))]),)),
            Refused("beneficiary_in_another_plan"),
            id="member-already-in-a-plan",
        ),
        pytest.param(
            [plan_submitted()],
            a_submission(),
            Refused("plan_already_submitted"),
            id="submitted-twice",
        ),
        pytest.param(
            [],
            a_submission(kind=PlanKind.INDIVIDUAL),
            invalid(("beneficiary_ids", "an individual plan has exactly one beneficiary")),
            id="individual-plan-with-two-beneficiaries",
        ),
        pytest.param(
            [],
            a_submission(beneficiary_ids=(AWA,)),
            invalid(("beneficiary_ids", "a collective plan has at least two beneficiaries")),
            id="collective-plan-of-one",
        ),
        pytest.param(
            [],
            a_submission(beneficiary_ids=(AWA, AWA)),
            invalid(("beneficiary_ids", "a returnee is listed more than once")),
            id="beneficiary-listed-twice",
        ),
        pytest.param(
            [],
            a_submission(in_kind_contribution=()),
            invalid(
                ("in_kind_contribution", "a plan includes the beneficiaries' own contribution")
            ),
            id="no-in-kind-contribution",
        ),
        pytest.param(
            [],
            a_submission(budget_lines=(FABRIC, FABRIC.model_copy(update={"quantity": 3}))),
            invalid(("budget_lines", "each item appears on one line only")),
            id="item-on-two-lines",
        ),
        pytest.param(
            [],
            a_submission(submitted_on=date(2018, 7, 1)),
            invalid(("submitted_on", "is in the future")),
            id="submitted-in-the-future",
        ),
    ],
)
def test_submitting_a_plan(
    given: list[PlanEvent], command: SubmitPlan, expected: list[PlanEvent] | Refused
) -> None:
    assert_outcome(given, command, expected)


def test_every_wrong_field_of_a_submission_is_named_at_once() -> None:
    command = a_submission(
        kind=PlanKind.INDIVIDUAL,
        beneficiary_ids=(AWA, AWA),
        budget_lines=(FABRIC, FABRIC),
        in_kind_contribution=(),
        submitted_on=date(2018, 7, 1),
    )
    with pytest.raises(InvalidFields) as refusal:
        plans.given([], command)
    assert [field for field, _ in refusal.value.problems] == [
        "beneficiary_ids",
        "beneficiary_ids",
        "budget_lines",
        "in_kind_contribution",
        "submitted_on",
    ]


def test_a_refused_collective_plan_names_the_untrained_member() -> None:
    command = a_submission(beneficiary_ids=(AWA, BILA, CHEICK), trained=frozenset({AWA, BILA}))
    with pytest.raises(RuleViolation) as refusal:
        plans.given([], command)
    assert refusal.value.context["returnee_ids"] == [CHEICK]
    assert "entrepreneurship training" in refusal.value.detail


def test_an_invalid_field_names_the_field() -> None:
    with pytest.raises(InvalidFields) as refusal:
        plans.given([], a_submission(in_kind_contribution=()))
    assert refusal.value.field == "in_kind_contribution"


# One pending or approved plan at a time -----------------------------------------------------

OTHER_PLAN = UUID(int=9)
OTHER_SUBMITTED = plan_submitted(
    plan_id=OTHER_PLAN, kind=PlanKind.INDIVIDUAL, beneficiary_ids=[BILA]
)
OTHER_NOTED = review_noted().model_copy(update={"plan_id": OTHER_PLAN})


def other_plan(*later: PlanEvent) -> Plan:
    """Bila's own plan, then what became of it."""
    return folded([OTHER_SUBMITTED, *later])


@pytest.mark.parametrize(
    ("their_plans", "committed"),
    [
        pytest.param((), [], id="in-no-plan"),
        pytest.param((other_plan(),), [BILA], id="in-a-plan-waiting-for-review"),
        pytest.param((other_plan(OTHER_NOTED),), [BILA], id="in-a-reviewed-plan"),
        pytest.param(
            (other_plan(OTHER_NOTED, plan_approved(plan_id=OTHER_PLAN)),),
            [BILA],
            id="in-an-approved-plan",
        ),
        pytest.param(
            (other_plan(OTHER_NOTED, plan_rejected().model_copy(update={"plan_id": OTHER_PLAN})),),
            [],
            id="in-a-rejected-plan-only",
        ),
        pytest.param(
            (
                other_plan(OTHER_NOTED, plan_rejected().model_copy(update={"plan_id": OTHER_PLAN})),
                folded([plan_submitted(plan_id=UUID(int=10), beneficiary_ids=[AWA, CHEICK])]),
            ),
            [AWA],
            id="freed-by-a-rejection-but-the-other-in-a-pending-plan",
        ),
        pytest.param(
            (folded([plan_submitted(plan_id=UUID(int=10), beneficiary_ids=[CHEICK, AWA])]),),
            [AWA],
            id="a-plan-naming-one-of-them-among-others",
        ),
    ],
)
def test_a_returnee_takes_part_in_one_pending_or_approved_plan_at_a_time(
    their_plans: tuple[Plan, ...], committed: list[UUID]
) -> None:
    command = a_submission(their_plans=their_plans)
    if not committed:
        assert plans.given([], command) == [plan_submitted()]
        return
    with pytest.raises(RuleViolation) as refusal:
        plans.given([], command)
    assert refusal.value.rule == "beneficiary_in_another_plan"
    assert refusal.value.context["returnee_ids"] == committed


@pytest.mark.parametrize(
    ("later", "returnee", "holds"),
    [
        ([], BILA, True),
        ([OTHER_NOTED], BILA, True),
        ([OTHER_NOTED, plan_approved(plan_id=OTHER_PLAN)], BILA, True),
        ([OTHER_NOTED, plan_rejected().model_copy(update={"plan_id": OTHER_PLAN})], BILA, False),
        ([], AWA, False),
    ],
)
def test_a_plan_holds_a_place_for_its_beneficiaries_until_it_is_rejected(
    later: list[PlanEvent], returnee: UUID, holds: bool
) -> None:
    assert holds_a_place(other_plan(*later), returnee) is holds


# Procurement's review ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "review", "expected"),
    [
        pytest.param([plan_submitted()], a_review(), [review_noted()], id="first-review"),
        pytest.param(
            [plan_submitted(), review_noted(1)],
            a_review(2),
            [review_noted(2)],
            id="newer-revision",
        ),
        pytest.param(
            [plan_submitted(), review_noted(2)], a_review(1), [], id="older-revision-arrives-late"
        ),
        pytest.param(
            [plan_submitted(), review_noted(1)], a_review(1), [], id="same-revision-again"
        ),
        pytest.param([], a_review(), [], id="unknown-plan"),
        pytest.param(
            [plan_submitted(), review_noted(1), plan_approved()],
            a_review(2),
            [],
            id="review-after-decision",
        ),
        pytest.param([plan_submitted()], awaiting(1), [], id="review-awaiting-an-officer"),
        pytest.param(
            [plan_submitted()],
            a_review(2),
            [review_noted(2)],
            id="officer-revision-after-an-awaiting-one",
        ),
    ],
)
def test_noting_a_budget_review(
    given: list[PlanEvent], review: BudgetReviewed, expected: list[PlanEvent]
) -> None:
    assert plans.given(given, NoteBudgetReview(review)) == expected


def test_the_noted_review_puts_the_reviewed_budget_beside_the_submitted_one() -> None:
    [noted] = plans.given([plan_submitted()], NoteBudgetReview(a_review()))
    assert isinstance(noted, PlanBudgetReviewNoted)
    assert noted.lines[0] == ReviewedBudgetLine(
        item="sewing_machine",
        quantity=2,
        submitted_unit_cost=90_000,
        reviewed_unit_cost=80_000,
        flags=["above_catalogue_price"],
        reasons=[LineReason.ABOVE_CATALOGUE_PRICE],
    )
    assert (noted.submitted_total, noted.reviewed_total, noted.flagged_lines) == (
        230_000,
        210_000,
        1,
    )


def test_a_plan_waits_for_the_officer_then_the_committee_may_decide_it() -> None:
    # Procurement's automatic review cannot price the fabric: nothing is noted.
    plan = folded([plan_submitted()])
    assert plans.decide(plan, NoteBudgetReview(awaiting(1))) == []
    assert plan.status is PlanStatus.SUBMITTED
    with pytest.raises(RuleViolation) as refusal:
        plans.decide(plan, approve_in(a_session()))
    assert refusal.value.rule == "budget_not_reviewed"
    # The officer's revision 2 completes the review, though revision 1 was never noted.
    [revision] = plans.decide(plan, NoteBudgetReview(a_review(2)))
    assert revision == review_noted(2)
    assert folded([plan_submitted(), revision]).status is PlanStatus.REVIEWED
    assert plans.given([plan_submitted(), revision], approve_in(a_session())) == [plan_approved()]


# Deciding a plan --------------------------------------------------------------------------

WITHOUT_EXPERT = a_session(members=[MAYOR, NGO, NGO])
WITHOUT_AUTHORITY = a_session(members=[NGO, AGRONOMIST, EMPLOYMENT_AGENCY])


@pytest.mark.parametrize(
    ("given", "command", "expected"),
    [
        pytest.param(REVIEWED, approve_in(a_session()), [plan_approved()], id="approve"),
        pytest.param(
            REVIEWED,
            reject_in(a_session(), (RejectionReason.NOT_VIABLE,)),
            [plan_rejected(RejectionReason.NOT_VIABLE)],
            id="reject",
        ),
        pytest.param(
            REVIEWED,
            amend_in(a_session(), (FABRIC,), (FABRIC_ONLY,)),
            [
                plan_amended(budget_lines=[FABRIC], conditions=[FABRIC_ONLY]),
                plan_approved(
                    approved_budget=[FABRIC],
                    approved_total=50_000,
                    amended=True,
                    conditions=[FABRIC_ONLY],
                ),
            ],
            id="amend-budget-and-conditions",
        ),
        pytest.param(
            REVIEWED,
            amend_in(a_session(), None, (VISIT_FIRST,)),
            [
                plan_amended(conditions=[VISIT_FIRST]),
                plan_approved(amended=True, conditions=[VISIT_FIRST]),
            ],
            id="amend-conditions-only",
        ),
        pytest.param(
            [plan_submitted()],
            approve_in(a_session()),
            Refused("budget_not_reviewed"),
            id="approve-before-budget-review",
        ),
        pytest.param(
            [plan_submitted()],
            reject_in(a_session(), (RejectionReason.OTHER,)),
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
            [plan_approved()],
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
            [*REVIEWED, plan_approved()],
            approve_in(a_session()),
            Refused("plan_already_decided"),
            id="approved-twice",
        ),
        pytest.param(
            [*REVIEWED, plan_rejected()],
            amend_in(a_session(), None, ("z z z",)),
            Refused("plan_already_decided"),
            id="amend-a-rejected-plan",
        ),
        pytest.param(
            REVIEWED,
            amend_in(a_session(), None, ()),
            Refused(
                "invalid_field",
                InvalidField,
                (("budget_lines", "an amendment changes the budget or sets conditions"),),
            ),
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
            Refused(
                "invalid_field",
                InvalidField,
                (("reasons", "a rejection gives at least one reason"),),
            ),
            id="rejection-without-reason",
        ),
        pytest.param([], approve_in(a_session()), Refused("", NotFound), id="unknown-plan"),
    ],
)
def test_deciding_a_plan(
    given: list[PlanEvent], command: PlanCommand, expected: list[PlanEvent] | Refused
) -> None:
    assert_outcome(given, command, expected)


def test_an_unknown_plan_is_worded_as_the_sdk_words_another_offices() -> None:
    # UnitOfWork.load refuses another office's stream with NotFound(stream_id): the same words.
    with pytest.raises(NotFound) as refusal:
        plans.given([], approve_in(a_session()))
    assert str(refusal.value) == plan_stream(PLAN_ID) == f"plan-{PLAN_ID}"


def test_approval_carries_the_reviewed_budget_and_names_the_session() -> None:
    [approval] = plans.given(REVIEWED, approve_in(a_session()))
    assert approval == plan_approved()
    assert approval.session_id == SESSION_ID
    assert approval.approved_on == date(2018, 6, 1)
    assert approval.approved_budget == [
        SEWING_MACHINE.model_copy(update={"unit_cost": 80_000}),
        FABRIC,
    ]
    assert approval.approved_budget == REVIEWED_BUDGET
    assert approval.approved_total == 210_000
    assert approval.beneficiary_ids == [AWA, BILA]
    assert approval.amended is False


def test_an_amendment_is_approved_as_amended() -> None:
    command = amend_in(a_session(), (FABRIC,), (FABRIC_ONLY,))
    amendment, approval = plans.given(REVIEWED, command)
    assert amendment == plan_amended(budget_lines=[FABRIC], conditions=[FABRIC_ONLY])
    assert isinstance(amendment, PlanAmended)
    assert isinstance(approval, PlanApproved)
    assert amendment.budget_lines == approval.approved_budget == [FABRIC]
    assert approval.approved_total == 50_000
    assert approval.amended is True
    assert approval.conditions == [FABRIC_ONLY]


@pytest.mark.parametrize(
    ("given", "status"),
    [
        ([plan_submitted()], PlanStatus.SUBMITTED),
        (REVIEWED, PlanStatus.REVIEWED),
        ([*REVIEWED, plan_approved()], PlanStatus.APPROVED),
        ([*REVIEWED, plan_rejected()], PlanStatus.REJECTED),
    ],
)
def test_a_plan_status_follows_its_stream(given: list[PlanEvent], status: PlanStatus) -> None:
    assert folded(given).status == status


def test_a_submitted_plan_is_the_state_its_first_event_starts() -> None:
    plan = folded([plan_submitted(), review_noted(), plan_rejected(RejectionReason.NOT_VIABLE)])
    assert isinstance(plan.submitted, PlanSubmitted)
    assert plan.submitted == plan_submitted()
    assert plan.review == review_noted()
    assert plan.decision == plan_rejected(RejectionReason.NOT_VIABLE)
    assert plans.fold([]) is None


# Who may sign a plan ----------------------------------------------------------------------


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
        cohort_id=UUID(int=7),
        returnee_id=AWA,
        kind=kind,
        trade=None if kind == CourseKind.ENTREPRENEURSHIP else "welding",
        completed_on=TODAY,
        passed=passed,
        days_attended=5,
    )
    assert completes_entrepreneurship(event) is completes
