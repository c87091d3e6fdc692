"""Bad input, conflicts and country scoping: each answers with JSON naming what is wrong."""

import json
from uuid import UUID, uuid4

import httpx
import pytest

from reintegration_sdk.testing.service import auth_headers

from .builders import HELD_ON, QUORATE, CommitteeUnderTest, a_locality, a_plan_body

pytestmark = pytest.mark.integration


async def test_a_malformed_plan_is_refused_field_by_field(committee: CommitteeUnderTest) -> None:
    body = a_plan_body([uuid4()], a_locality(), currency="francs", trade="Tailoring!")
    body["budget_lines"][0]["quantity"] = 0
    del body["activity"]

    response = await committee.post("/plans", body, "caseworker")

    assert response.status_code == 422
    fields = {item["field"]: item["reason"] for item in response.json()["fields"]}
    assert set(fields) == {
        "body.currency",
        "body.trade",
        "body.budget_lines.0.quantity",
        "body.activity",
    }
    assert "greater than or equal to 1" in fields["body.budget_lines.0.quantity"]


async def test_a_plan_that_contradicts_its_kind_names_the_field(
    committee: CommitteeUnderTest,
) -> None:
    awa, bila = uuid4(), uuid4()
    await committee.trained(awa, bila)

    response = await committee.post(
        "/plans", a_plan_body([awa, bila], a_locality(), kind="individual"), "caseworker"
    )

    assert response.status_code == 422
    assert response.json()["fields"] == [
        {
            "field": "body.beneficiary_ids",
            "reason": "an individual plan has exactly one beneficiary",
        }
    ]


async def test_an_office_sees_only_its_own_plans_and_sessions(
    committee: CommitteeUnderTest,
) -> None:
    awa = uuid4()
    locality = a_locality()
    await committee.trained(awa)
    plan_id = await committee.submitted_plan([awa], locality=locality)
    session_id = await committee.session_held(locality)
    both = auth_headers(["committee_secretary"], [committee.office, committee.other_office])
    elsewhere = committee.url("", office=committee.other_office)
    never = uuid4()

    other_staff = await committee.client.get(
        committee.url(f"/plans/{plan_id}"),
        headers=committee.headers(office=committee.other_office),
    )

    async def through_the_other_office(plan: UUID, session: UUID) -> list[httpx.Response]:
        return [
            await committee.client.get(f"{elsewhere}/plans/{plan}", headers=both),
            await committee.client.post(
                f"{elsewhere}/plans/{plan}/approval",
                json={"session_id": str(session_id)},
                headers=both,
            ),
            await committee.client.get(f"{elsewhere}/sessions/{session}", headers=both),
        ]

    # Another office's plan and session answer exactly as ids no one ever used: whether they
    # exist elsewhere is not the other office's to learn.
    seen_elsewhere = await through_the_other_office(plan_id, session_id)
    never_used = await through_the_other_office(never, never)

    assert other_staff.status_code == 403
    assert [a.status_code for a in seen_elsewhere] == [404, 404, 404]
    for answer, unknown, real in zip(
        seen_elsewhere, never_used, [plan_id, plan_id, session_id], strict=True
    ):
        assert answer.json() == json.loads(unknown.text.replace(str(never), str(real)))
        assert answer.json()["error"] == "not_found"
    assert (await committee.get(f"/plans/{plan_id}")).json()["status"] == "submitted"


async def test_a_session_of_another_office_is_a_session_never_held(
    committee: CommitteeUnderTest,
) -> None:
    awa = uuid4()
    locality = a_locality()
    await committee.trained(awa)
    plan_id = await committee.submitted_plan([awa], locality=locality)
    await committee.reviewed(plan_id)
    body = {"locality": locality, "held_on": HELD_ON.isoformat(), "members": QUORATE}
    held_elsewhere = await committee.client.post(
        committee.url("/sessions", office=committee.other_office),
        json=body,
        headers=committee.headers(office=committee.other_office),
    )
    assert held_elsewhere.status_code == 201, held_elsewhere.text

    foreign = await committee.post(
        f"/plans/{plan_id}/approval", {"session_id": held_elsewhere.json()["session_id"]}
    )
    unknown = await committee.post(f"/plans/{plan_id}/approval", {"session_id": str(uuid4())})

    assert (foreign.status_code, foreign.json()) == (unknown.status_code, unknown.json())
    assert (foreign.status_code, foreign.json()["rule"]) == (409, "session_not_held")


async def test_the_office_in_the_path_is_a_lower_case_iso_code(
    committee: CommitteeUnderTest,
) -> None:
    upper = committee.office.upper()
    headers = auth_headers(["committee_secretary"], [committee.office, upper])

    listed = await committee.client.get(f"/offices/{upper}/plans", headers=headers)
    funnel = await committee.client.get(f"/offices/{upper}/funnel", headers=headers)
    decided = await committee.client.post(
        f"/offices/{upper}/plans/{uuid4()}/approval",
        json={"session_id": str(uuid4())},
        headers=headers,
    )

    for answer in (listed, funnel, decided):
        assert answer.status_code == 422
        assert [f["field"] for f in answer.json()["fields"]] == ["path.country_office"]


async def test_roles_and_tokens(committee: CommitteeUnderTest) -> None:
    awa = uuid4()
    await committee.trained(awa)
    plan_id = await committee.submitted_plan([awa])

    anonymous = await committee.client.get(committee.url("/plans"))
    caseworker_decides = await committee.post(
        f"/plans/{plan_id}/rejection",
        {"session_id": str(uuid4()), "reasons": ["other"]},
        "caseworker",
    )
    secretary_sets_threshold = await committee.client.put(
        committee.url("/convening-threshold"),
        json={"threshold": 5},
        headers=committee.headers("committee_secretary"),
    )

    assert anonymous.status_code == 401
    assert caseworker_decides.status_code == 403
    assert secretary_sets_threshold.status_code == 403


async def test_unknown_plans_and_sessions_are_not_found(committee: CommitteeUnderTest) -> None:
    plan = await committee.get(f"/plans/{uuid4()}")
    session = await committee.get(f"/sessions/{uuid4()}")
    decision = await committee.post(f"/plans/{uuid4()}/approval", {"session_id": str(uuid4())})

    assert [plan.status_code, session.status_code, decision.status_code] == [404, 404, 404]
