"""Business plans from training to decision, over HTTP and the real broker."""

import asyncio
from uuid import uuid4

import pytest

from reintegration_contracts.events.training import CourseKind
from reintegration_sdk.testing.service import upstream_event

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
        "item": "sewing_machine",
        "item_name": "sewing machine",
        "specification": None,
        "quantity": 2,
        "submitted_unit_cost": 90_000,
        "reviewed_unit_cost": 80_000,
        "flags": ["above_catalogue_price"],
        "review_reason": "above catalogue price",
        "review_reasons": ["above_catalogue_price"],
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
            "conditions": ["staged_delivery"],
            "note": "Start with one machine",
        },
    )
    rejected = await committee.post(
        f"/plans/{rejected_plan}/rejection",
        {
            "session_id": session,
            "reasons": ["market_saturated"],
            "note": "Too many tailors in the commune",
        },
    )

    assert amended.json()["events"] == ["PlanAmended", "PlanApproved"]
    assert rejected.json()["status"] == "rejected"
    [*_, approval] = await committee.published(f"plan-{amended_plan}", 4)
    assert approval.data["amended"] is True
    assert approval.data["approved_total"] == 80_000
    assert approval.data["conditions"] == ["staged_delivery"]
    # The words stay in committee's database and its API shows them; no event carries them.
    published = await committee.published(f"plan-{rejected_plan}", 3)
    assert [e.data["reasons"] for e in published if e.type.endswith("PlanRejected")] == [
        ["market_saturated"]
    ]
    assert "tailors" not in str([e.data for e in published]) + str(approval.data)
    amended_detail = (await committee.get(f"/plans/{amended_plan}")).json()
    assert amended_detail["decision"]["conditions"] == ["staged_delivery"]
    assert amended_detail["decision"]["note"] == "Start with one machine"
    rejected_detail = (await committee.get(f"/plans/{rejected_plan}")).json()
    assert rejected_detail["decision"]["reasons"] == ["market_saturated"]
    assert rejected_detail["decision"]["note"] == "Too many tailors in the commune"
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


async def test_two_plans_racing_for_one_returnee_never_both_hold_her(
    committee: CommitteeUnderTest,
) -> None:
    awa = uuid4()
    others = [uuid4() for _ in range(5)]
    await committee.trained(awa, *others)

    # Five caseworkers submit at once, each a plan with Awa and someone else.
    answers = await asyncio.gather(
        *(
            committee.post("/plans", a_plan_body([awa, other], a_locality()), "caseworker")
            for other in others
        )
    )

    assert sorted(a.status_code for a in answers) == [201, 409, 409, 409, 409]
    refused = [a.json() for a in answers if a.status_code == 409]
    assert {r["rule"] for r in refused} == {"beneficiary_in_another_plan"}
    assert all(r["context"]["returnee_ids"] == [str(awa)] for r in refused)
    plans_of_awa = await committee.database.fetchval(
        "SELECT count(*) FROM plan_beneficiaries WHERE returnee_id = $1", awa
    )
    assert plans_of_awa == 1


async def test_a_returnee_whose_plan_was_rejected_may_be_in_a_new_one_but_not_while_approved(
    committee: CommitteeUnderTest,
) -> None:
    awa, bila = uuid4(), uuid4()
    locality = a_locality()
    await committee.trained(awa, bila)
    rejected = await committee.submitted_plan([awa], locality=locality)
    approved = await committee.submitted_plan([bila], locality=locality)
    for plan_id in (rejected, approved):
        await committee.reviewed(plan_id)
    session = str(await committee.session_held(locality))
    no_market = {"session_id": session, "reasons": ["market_saturated"]}
    assert (await committee.post(f"/plans/{rejected}/rejection", no_market)).status_code == 201
    approval = await committee.post(f"/plans/{approved}/approval", {"session_id": session})
    assert approval.status_code == 201

    again = await committee.post("/plans", a_plan_body([awa, bila], a_locality()), "caseworker")

    assert (again.status_code, again.json()["rule"]) == (409, "beneficiary_in_another_plan")
    assert again.json()["context"]["returnee_ids"] == [str(bila)]
    assert await committee.submitted_plan([awa])


async def test_a_retried_submission_with_its_key_is_kept_once_and_answered_alike(
    committee: CommitteeUnderTest,
) -> None:
    awa = uuid4()
    await committee.trained(awa)
    body = a_plan_body([awa], a_locality())
    key = {"Idempotency-Key": str(uuid4())}

    # The caseworker's answer was lost on the way: the form sends the same request again.
    first = await committee.post("/plans", body, "caseworker", headers=key)
    again = await committee.post("/plans", body, "caseworker", headers=key)
    other_body = await committee.post(
        "/plans", body | {"sector": "food"}, "caseworker", headers=key
    )

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    submitted = await committee.database.fetch(
        """SELECT stream_id FROM events
           WHERE event_name = 'PlanSubmitted' AND data->'beneficiary_ids' ? $1""",
        str(awa),
    )
    assert [row["stream_id"] for row in submitted] == [f"plan-{first.json()['plan_id']}"]
    assert other_body.status_code == 422
    assert [f["field"] for f in other_body.json()["fields"]] == ["header.Idempotency-Key"]


async def test_a_retried_decision_with_its_key_is_recorded_once(
    committee: CommitteeUnderTest,
) -> None:
    awa = uuid4()
    locality = a_locality()
    await committee.trained(awa)
    plan_id = await committee.submitted_plan([awa], locality=locality)
    await committee.reviewed(plan_id)
    decision = {"session_id": str(await committee.session_held(locality))}
    key = {"Idempotency-Key": f"approval-{plan_id}"}

    first = await committee.post(f"/plans/{plan_id}/approval", decision, headers=key)
    again = await committee.post(f"/plans/{plan_id}/approval", decision, headers=key)
    unkeyed = await committee.post(f"/plans/{plan_id}/approval", decision)

    assert (first.status_code, again.status_code) == (201, 201)
    assert (
        again.json()
        == first.json()
        == {
            "plan_id": str(plan_id),
            "status": "approved",
            "events": ["PlanApproved"],
        }
    )
    # Without its key the same request is a second decision, which the rule refuses.
    assert (unkeyed.status_code, unkeyed.json()["rule"]) == (409, "plan_already_decided")
    history = (await committee.get(f"/plans/{plan_id}")).json()["history"]
    assert [h["event"] for h in history] == [
        "PlanSubmitted",
        "PlanBudgetReviewNoted",
        "PlanApproved",
    ]
