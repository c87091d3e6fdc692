"""Business plans from training to decision, over HTTP and the real broker."""

import asyncio
from datetime import date
from uuid import uuid4

import asyncpg
import pytest

from committee import handlers
from committee.domain import SubmitPlan
from committee.requests import PlanSubmission
from reintegration_contracts.events.training import CourseKind
from reintegration_sdk.errors import RuleViolation
from reintegration_sdk.eventstore import EventContext
from reintegration_sdk.testing.service import eventually, upstream_event

from .builders import (
    AGRONOMIST,
    HELD_ON,
    MAYOR,
    WOMEN_ASSOCIATION,
    CommitteeUnderTest,
    a_budget_review,
    a_locality,
    a_plan_body,
    training_completed,
)

pytestmark = pytest.mark.integration


async def test_a_plan_goes_from_submission_through_review_to_approval(
    committee: CommitteeUnderTest,
) -> None:
    awa, bila = uuid4(), uuid4()
    locality = a_locality()
    # Training reports both passed the entrepreneurship course.
    await committee.trained(awa, bila)
    plan_id = await committee.submitted_plan([awa, bila], locality=locality)
    session_id = await committee.session_held(locality)

    # Without procurement's review the committee may not decide.
    early = await committee.post(f"/plans/{plan_id}/approval", {"session_id": str(session_id)})
    assert early.status_code == 409
    assert early.json()["rule"] == "budget_not_reviewed"

    await committee.reviewed(plan_id)
    approval = await committee.post(f"/plans/{plan_id}/approval", {"session_id": str(session_id)})
    assert approval.status_code == 201, approval.text
    assert approval.json() == {
        "plan_id": str(plan_id),
        "status": "approved",
        "events": ["PlanApproved"],
    }

    plan = (await committee.get(f"/plans/{plan_id}")).json()
    assert plan["status"] == "approved"
    assert plan["budget"][0] == {
        "item": "sewing machine",
        "quantity": 2,
        "submitted_unit_cost": 90_000,
        "reviewed_unit_cost": 80_000,
        "flags": ["above_catalogue_price"],
        "review_reason": "above catalogue price",
        "approved_quantity": 2,
        "approved_unit_cost": 80_000,
    }
    assert plan["decision"]["session_id"] == str(session_id)
    assert plan["decision"]["decided_on"] == HELD_ON.isoformat()
    assert plan["decision"]["approved_total"] == 210_000
    assert [h["event"] for h in plan["history"]] == [
        "PlanSubmitted",
        "PlanBudgetReviewNoted",
        "PlanApproved",
    ]

    # The relay publishes the stream, in order, for procurement to order the kit.
    published = await committee.published(f"plan-{plan_id}", 3)
    assert [e.event_name for e in published] == [h["event"] for h in plan["history"]]
    assert published[-1].data["approved_total"] == 210_000

    again = await committee.post(f"/plans/{plan_id}/approval", {"session_id": str(session_id)})
    assert again.status_code == 409
    assert again.json()["rule"] == "plan_already_decided"


async def test_a_collective_plan_whose_member_has_not_finished_training_is_refused(
    committee: CommitteeUnderTest,
) -> None:
    awa, bila, cheick, dramane = uuid4(), uuid4(), uuid4(), uuid4()
    cohort = uuid4()
    await committee.deliver(
        upstream_event(training_completed(bila, cohort, passed=False), committee.office, "c"),
        upstream_event(
            training_completed(cheick, cohort, kind=CourseKind.VOCATIONAL), committee.office, "c"
        ),
        upstream_event(training_completed(awa, cohort), committee.office, "c"),
    )

    for member, why in ((bila, "failed"), (cheick, "vocational"), (dramane, "never trained")):
        response = await committee.post(
            "/plans", a_plan_body([awa, member], a_locality()), "caseworker"
        )
        assert response.status_code == 409, why
        body = response.json()
        assert body["rule"] == "beneficiary_not_trained", why
        assert body["context"]["returnee_ids"] == [str(member)], why
        assert "entrepreneurship training" in body["detail"]

    # Nothing of the refused plans was kept: Awa is still free to submit her own.
    assert await committee.submitted_plan([awa])


async def test_a_returnee_is_in_one_open_plan_at_a_time(committee: CommitteeUnderTest) -> None:
    awa, bila = uuid4(), uuid4()
    await committee.trained(awa, bila)
    await committee.submitted_plan([awa])

    response = await committee.post("/plans", a_plan_body([awa, bila], a_locality()), "caseworker")

    assert response.status_code == 409
    assert response.json()["rule"] == "beneficiary_in_another_plan"


async def test_two_plans_racing_for_one_returnee_cannot_both_be_open(
    committee: CommitteeUnderTest,
) -> None:
    awa = uuid4()
    await committee.trained(awa)
    pool: asyncpg.Pool = committee.client.app.state.runtime.pool  # type: ignore[attr-defined]
    context = EventContext.new(committee.office, "caseworker")
    body = PlanSubmission.model_validate(a_plan_body([awa], a_locality()))
    first, second = await pool.acquire(), await pool.acquire()
    try:
        async with first.transaction():
            await handlers.submit_plan(first, context, body.command(uuid4(), date.today()))
            # The second looks before the first commits: the domain's check lets it through,
            # the constraint holds it at its insert until the first is in.
            racing = asyncio.create_task(
                _submit_in_transaction(second, context, body.command(uuid4(), date.today()))
            )
            await eventually(lambda: _waits_on_a_lock(pool, second.get_server_pid()))
        with pytest.raises(RuleViolation) as refused:
            await racing
    finally:
        await pool.release(first)
        await pool.release(second)

    assert refused.value.rule == "beneficiary_in_another_plan"


async def _submit_in_transaction(
    db: asyncpg.Connection, context: EventContext, command: SubmitPlan
) -> None:
    async with db.transaction():
        await handlers.submit_plan(db, context, command)


async def _waits_on_a_lock(pool: asyncpg.Pool, pid: int) -> None:
    waiting = await pool.fetchval(
        "SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1", pid
    )
    assert waiting == "Lock"


async def test_a_plan_is_decided_only_in_a_valid_session_of_its_locality(
    committee: CommitteeUnderTest,
) -> None:
    awa = uuid4()
    locality = a_locality()
    await committee.trained(awa)
    plan_id = await committee.submitted_plan([awa], locality=locality)
    await committee.reviewed(plan_id)
    elsewhere = await committee.session_held(a_locality())

    no_expert = await committee.post(
        "/sessions",
        {
            "locality": locality,
            "held_on": HELD_ON.isoformat(),
            "members": [MAYOR, MAYOR, WOMEN_ASSOCIATION],
        },
    )
    two_members = await committee.post(
        "/sessions",
        {"locality": locality, "held_on": HELD_ON.isoformat(), "members": [MAYOR, AGRONOMIST]},
    )
    in_another_locality = await committee.post(
        f"/plans/{plan_id}/approval", {"session_id": str(elsewhere)}
    )
    never_held = await committee.post(f"/plans/{plan_id}/approval", {"session_id": str(uuid4())})

    assert (no_expert.status_code, no_expert.json()["rule"]) == (409, "session_not_quorate")
    assert (two_members.status_code, two_members.json()["rule"]) == (409, "session_not_quorate")
    assert in_another_locality.json()["rule"] == "session_in_another_locality"
    assert never_held.json()["rule"] == "session_not_held"
    plan = (await committee.get(f"/plans/{plan_id}")).json()
    assert plan["status"] == "reviewed"
    assert len(plan["history"]) == 2


async def test_amending_approves_as_amended_and_rejecting_gives_reasons(
    committee: CommitteeUnderTest,
) -> None:
    awa, bila = uuid4(), uuid4()
    locality = a_locality()
    await committee.trained(awa, bila)
    amended_plan = await committee.submitted_plan([awa], locality=locality)
    rejected_plan = await committee.submitted_plan([bila], locality=locality)
    await committee.reviewed(amended_plan)
    await committee.reviewed(rejected_plan)
    session = str(await committee.session_held(locality))

    amended = await committee.post(
        f"/plans/{amended_plan}/amendment",
        {
            "session_id": session,
            "budget_lines": [{"item": "sewing machine", "quantity": 1, "unit_cost": 80_000}],
            "conditions": ["Start with one machine"],
        },
    )
    rejected = await committee.post(
        f"/plans/{rejected_plan}/rejection",
        {"session_id": session, "reasons": ["Too many tailors in the commune"]},
    )

    assert amended.json()["events"] == ["PlanAmended", "PlanApproved"]
    assert rejected.json()["status"] == "rejected"
    [*_, approval] = await committee.published(f"plan-{amended_plan}", 4)
    assert approval.data["amended"] is True
    assert approval.data["approved_total"] == 80_000
    assert approval.data["conditions"] == ["Start with one machine"]
    detail = (await committee.get(f"/sessions/{session}")).json()
    assert {d["status"] for d in detail["decisions"]} == {"approved", "rejected"}
    # A rejected plan frees its beneficiary for a new one.
    assert await committee.submitted_plan([bila])


async def test_duplicate_upstream_events_change_nothing(committee: CommitteeUnderTest) -> None:
    awa = uuid4()
    await committee.trained(awa)
    plan_id = await committee.submitted_plan([awa])
    stream = f"review-{plan_id}"
    first = upstream_event(a_budget_review(plan_id, 1), committee.office, stream)
    same_revision_again = upstream_event(a_budget_review(plan_id, 1), committee.office, stream)
    second = upstream_event(a_budget_review(plan_id, 2), committee.office, stream)

    # Kafka redelivers the first review, procurement re-sends revision 1, then revises.
    await committee.deliver(first, first, same_revision_again, first, second)

    plan = (await committee.get(f"/plans/{plan_id}")).json()
    noted = [h for h in plan["history"] if h["event"] == "PlanBudgetReviewNoted"]
    assert [h["data"]["revision"] for h in noted] == [1, 2]
    assert plan["review"]["reviewed_total"] == 208_000


async def test_a_review_from_another_office_does_not_reach_the_plan(
    committee: CommitteeUnderTest,
) -> None:
    awa = uuid4()
    await committee.trained(awa)
    plan_id = await committee.submitted_plan([awa])
    foreign = upstream_event(a_budget_review(plan_id), committee.other_office, f"r-{plan_id}")
    await committee.deliver(foreign)

    plan = (await committee.get(f"/plans/{plan_id}")).json()
    assert plan["status"] == "submitted"
    assert [h["event"] for h in plan["history"]] == ["PlanSubmitted"]


async def test_a_review_waiting_for_an_officer_leaves_the_plan_undecidable(
    committee: CommitteeUnderTest,
) -> None:
    awa = uuid4()
    locality = a_locality()
    await committee.trained(awa)
    plan_id = await committee.submitted_plan([awa], locality=locality)
    session_id = await committee.session_held(locality)
    stream = f"review-{plan_id}"
    automatic = a_budget_review(plan_id, 1, awaiting_officer=True)
    await committee.deliver(upstream_event(automatic, committee.office, stream))

    plan = (await committee.get(f"/plans/{plan_id}")).json()
    assert plan["status"] == "submitted"
    early = await committee.post(f"/plans/{plan_id}/approval", {"session_id": str(session_id)})
    assert (early.status_code, early.json()["rule"]) == (409, "budget_not_reviewed")

    # The officer's revision completes the review.
    await committee.deliver(upstream_event(a_budget_review(plan_id, 2), committee.office, stream))
    plan = (await committee.get(f"/plans/{plan_id}")).json()
    assert (plan["status"], plan["review"]["revision"]) == ("reviewed", 2)
    approval = await committee.post(f"/plans/{plan_id}/approval", {"session_id": str(session_id)})
    assert approval.status_code == 201, approval.text
