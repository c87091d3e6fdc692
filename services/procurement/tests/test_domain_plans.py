"""Where a plan stands, folded from committee's events: given events -> status, decided,
approved. A stream may arrive again from any event on; the fold must not care."""

from datetime import date
from uuid import UUID

import pytest
from procurement_builders import (
    FABRIC,
    SEWING_MACHINE,
    plan_approved,
    plan_rejected,
    plan_submitted,
)

from procurement.domain import (
    PlanEvent,
    PlanFacts,
    PlanStatus,
    evolve_plan,
    is_approved,
    is_decided,
)

pytestmark = pytest.mark.unit

PLAN = UUID("5b2f6c1d-8e0a-4c3b-9d7e-2a1f0e9c8b70")
SUBMITTED = plan_submitted(PLAN, submitted_on=date(2024, 2, 1))
APPROVED = plan_approved(PLAN, SEWING_MACHINE)
REJECTED = plan_rejected(PLAN)


def fold(*events: PlanEvent) -> PlanFacts | None:
    plan: PlanFacts | None = None
    for event in events:
        plan = evolve_plan(plan, event)
    return plan


@pytest.mark.parametrize(
    ("events", "status", "decided", "approved"),
    [
        pytest.param((), None, False, False, id="never heard of"),
        pytest.param((SUBMITTED,), PlanStatus.SUBMITTED, False, False, id="submitted"),
        pytest.param((SUBMITTED, APPROVED), PlanStatus.APPROVED, True, True, id="approved"),
        pytest.param((SUBMITTED, REJECTED), PlanStatus.REJECTED, True, False, id="rejected"),
        pytest.param((APPROVED,), PlanStatus.APPROVED, True, True, id="approval seen alone"),
        pytest.param((REJECTED,), None, False, False, id="rejection of an unseen plan"),
        pytest.param(
            (SUBMITTED, APPROVED, SUBMITTED), PlanStatus.APPROVED, True, True, id="resubmitted"
        ),
        pytest.param(
            (SUBMITTED, APPROVED, REJECTED), PlanStatus.APPROVED, True, True, id="approval stands"
        ),
        pytest.param(
            (SUBMITTED, REJECTED, SUBMITTED, REJECTED),
            PlanStatus.REJECTED,
            True,
            False,
            id="redelivered from the start",
        ),
    ],
)
def test_where_a_plan_stands(
    events: tuple[PlanEvent, ...], status: PlanStatus | None, decided: bool, approved: bool
) -> None:
    plan = fold(*events)
    assert (plan.status if plan else None, is_decided(plan), is_approved(plan)) == (
        status,
        decided,
        approved,
    )


def test_the_approval_says_what_is_bought_and_keeps_the_submission_date() -> None:
    submitted = plan_submitted(PLAN, SEWING_MACHINE, FABRIC, trade="sewing")
    plan = fold(submitted, APPROVED)
    assert plan == PlanFacts(
        plan_id=PLAN,
        kind="individual",
        trade="tailoring",
        beneficiary_ids=tuple(APPROVED.beneficiary_ids),
        currency="XOF",
        status=PlanStatus.APPROVED,
        submitted_on=submitted.submitted_on,
        decided_on=APPROVED.approved_on,
        approved_total=120_000,
    )


def test_a_replayed_approval_changes_nothing() -> None:
    once = fold(SUBMITTED, APPROVED)
    later = plan_approved(PLAN, FABRIC, days_ago=1)
    assert fold(SUBMITTED, APPROVED, later) == once


def test_a_rejection_is_dated_and_keeps_what_was_submitted() -> None:
    plan = fold(SUBMITTED, REJECTED)
    assert plan is not None
    assert (plan.decided_on, plan.trade, plan.approved_total) == (
        REJECTED.rejected_on,
        "tailoring",
        None,
    )
