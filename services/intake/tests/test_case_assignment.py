"""Who holds a case: the caseworker who registers it, one who takes an unassigned case, or
whoever an office manager assigns it to. "My cases" is the caseload held by the caller; the
wire names caseworkers by subject id only."""

from typing import Any
from uuid import uuid4

import pytest
from intake_builders import IntakeUnderTest, a_registration_body

from reintegration_sdk.auth import Role
from reintegration_sdk.testing.service import auth_headers

pytestmark = pytest.mark.integration


def as_(intake: IntakeUnderTest, subject: str, *roles: str) -> dict[str, str]:
    return auth_headers(roles or [Role.CASEWORKER], [intake.office], subject=subject)


async def register(intake: IntakeUnderTest, headers: dict[str, str]) -> str:
    answer = await intake.http.post(
        intake.url("/returnees"), json=a_registration_body(), headers=headers
    )
    assert answer.status_code == 201, answer.text
    returnee_id: str = answer.json()["returnee_id"]
    return returnee_id


async def my_cases(intake: IntakeUnderTest, headers: dict[str, str]) -> set[str]:
    answer = await intake.http.get(
        intake.url("/returnees?assigned_to=me&limit=1000"), headers=headers
    )
    assert answer.status_code == 200, answer.text
    return {c["returnee_id"] for c in answer.json()}


async def assign(
    intake: IntakeUnderTest, returnee_id: str, headers: dict[str, str], **body: Any
) -> Any:
    return await intake.http.post(
        intake.url(f"/returnees/{returnee_id}/assignments"),
        json=body,
        headers={**headers, "Idempotency-Key": str(uuid4())},
    )


async def test_a_case_is_registered_taken_and_reassigned(intake: IntakeUnderTest) -> None:
    awa, issa = f"cw-{uuid4().hex[:8]}", f"cw-{uuid4().hex[:8]}"
    manager = as_(intake, f"om-{uuid4().hex[:8]}", Role.OFFICE_MANAGER)
    # Awa registers a case: hers. The office manager's import leaves one to no one.
    hers = await register(intake, as_(intake, awa))
    nobodys = await register(intake, manager)
    assert await my_cases(intake, as_(intake, awa)) == {hers}
    unassigned = await intake.http.get(
        intake.url("/returnees?assigned_to=nobody&limit=1000"), headers=intake.headers()
    )
    assert nobodys in {c["returnee_id"] for c in unassigned.json()}

    # Issa takes the unassigned case, but not Awa's.
    taken = await assign(intake, nobodys, as_(intake, issa))
    refused = await assign(intake, hers, as_(intake, issa))
    assert (taken.status_code, taken.json()["caseworker"]) == (201, issa), taken.text
    assert (refused.status_code, refused.json()["rule"]) == (409, "case_held_by_another")
    # Nor may he give it to someone else: that is the office manager's to do.
    passed_on = await assign(intake, nobodys, as_(intake, issa), caseworker=awa)
    assert (passed_on.status_code, passed_on.json()["rule"]) == (
        409,
        "case_assigned_by_manager_only",
    )

    # The office manager reassigns Awa's case to Issa.
    reassigned = await assign(intake, hers, manager, caseworker=issa)
    assert reassigned.status_code == 201, reassigned.text
    assert await my_cases(intake, as_(intake, awa)) == set()
    assert await my_cases(intake, as_(intake, issa)) == {hers, nobodys}
    case = await intake.http.get(intake.url(f"/returnees/{hers}"), headers=intake.headers())
    assert case.json()["caseworker"] == issa

    # On the wire: subject ids, and the assignments counted so the latest wins in any order.
    [registration, reassignment] = await intake.published(f"returnee-{hers}", 2)
    assert registration.data["caseworker"] == awa
    assert reassignment.type == "org.reintegration.intake.CaseAssigned"
    assert reassignment.data["caseworker"] == issa
    assert reassignment.data["previous_caseworker"] == awa
    assert reassignment.data["assignment"] == 1


async def test_an_assignment_sent_twice_with_one_key_assigns_once(
    intake: IntakeUnderTest,
) -> None:
    manager = as_(intake, f"om-{uuid4().hex[:8]}", Role.OFFICE_MANAGER)
    returnee_id = await register(intake, manager)
    headers = {**manager, "Idempotency-Key": str(uuid4())}
    url = intake.url(f"/returnees/{returnee_id}/assignments")

    first, again = [
        await intake.http.post(url, json={"caseworker": "cw-fatim"}, headers=headers)
        for _ in range(2)
    ]

    assert first.status_code == 201, first.text
    assert (again.status_code, again.content) == (201, first.content)
    assert await intake.events_stored_for(returnee_id) == 2
    # A new command giving the case to its holder again is refused by the rule.
    twice = await assign(intake, returnee_id, manager, caseworker="cw-fatim")
    assert (twice.status_code, twice.json()["rule"]) == (409, "case_already_assigned")


async def test_another_office_cannot_assign_or_see_the_case(intake: IntakeUnderTest) -> None:
    returnee_id = await register(intake, intake.headers())
    elsewhere = auth_headers([Role.OFFICE_MANAGER], [intake.other_office], subject="om-else")

    answer = await intake.http.post(
        intake.url(f"/returnees/{returnee_id}/assignments", office=intake.other_office),
        json={"caseworker": "cw-else"},
        headers=elsewhere,
    )

    assert answer.status_code == 404, answer.text
