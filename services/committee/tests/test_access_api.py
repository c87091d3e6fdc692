"""Bad input, conflicts and country scoping: each answers with JSON naming what is wrong."""

from uuid import uuid4

import pytest

from reintegration_sdk.testing.service import auth_headers

from .builders import CommitteeUnderTest, a_locality, a_plan_body

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
    elsewhere = f"/{committee.other_office}"

    other_staff = await committee.client.get(
        f"/{committee.office}/plans/{plan_id}",
        headers=committee.headers(office=committee.other_office),
    )
    through_other_office = await committee.client.get(f"{elsewhere}/plans/{plan_id}", headers=both)
    decided_elsewhere = await committee.client.post(
        f"{elsewhere}/plans/{plan_id}/approval", json={"session_id": str(session_id)}, headers=both
    )
    session_elsewhere = await committee.client.get(
        f"{elsewhere}/sessions/{session_id}", headers=both
    )

    assert other_staff.status_code == 403
    assert through_other_office.status_code == 403
    assert decided_elsewhere.status_code == 403
    assert session_elsewhere.status_code == 403
    assert (await committee.get(f"/plans/{plan_id}")).json()["status"] == "submitted"


async def test_roles_and_tokens(committee: CommitteeUnderTest) -> None:
    awa = uuid4()
    await committee.trained(awa)
    plan_id = await committee.submitted_plan([awa])

    anonymous = await committee.client.get(f"/{committee.office}/plans")
    caseworker_decides = await committee.post(
        f"/plans/{plan_id}/rejection", {"session_id": str(uuid4()), "reasons": ["no"]}, "caseworker"
    )
    secretary_sets_threshold = await committee.client.put(
        f"/{committee.office}/convening-threshold",
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
