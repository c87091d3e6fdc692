"""Everything is scoped to the caller's country offices and roles."""

import pytest
from intake_builders import IntakeUnderTest, a_registration_body

from reintegration_sdk.auth import Role

pytestmark = pytest.mark.integration

CONSENT = {"purpose": "referral", "partner_category": "ngo"}


async def test_an_office_cannot_read_or_write_another_offices_returnee(
    intake: IntakeUnderTest,
) -> None:
    returnee_id = (await intake.register())["returnee_id"]
    # A caseworker of the other office, addressing the returnee through their own office.
    other = intake.headers(Role.CASEWORKER, Role.PERSONAL_DATA_VIEWER, office=intake.other_office)
    path = f"/returnees/{returnee_id}"

    for method, suffix, body in [
        ("GET", "", None),
        ("GET", "/consents", None),
        ("GET", "/personal-data", None),
        ("POST", "/consents", CONSENT),
        ("POST", "/interviews", {"interviewed_on": "2025-01-01", "years_of_experience": 1,
                                 "intended_track": "employment"}),
    ]:  # fmt: skip
        answer = await intake.http.request(
            method, intake.url(path + suffix, office=intake.other_office), json=body, headers=other
        )
        assert answer.status_code == 403, (method, suffix, answer.text)
    listed = await intake.http.get(
        intake.url("/returnees", office=intake.other_office), headers=other
    )
    assert returnee_id not in {case["returnee_id"] for case in listed.json()}
    assert await intake.events_stored_for(returnee_id) == 1


async def test_a_caller_may_not_address_an_office_it_does_not_act_for(
    intake: IntakeUnderTest,
) -> None:
    elsewhere = intake.headers(Role.CASEWORKER, office=intake.other_office)

    for method, path, body in [
        ("GET", "/returnees", None),
        ("POST", "/returnees", a_registration_body()),
    ]:
        answer = await intake.http.request(method, intake.url(path), json=body, headers=elsewhere)
        assert answer.status_code == 403, answer.text
        assert answer.json()["error"] == "forbidden"


async def test_personal_data_is_only_for_those_granted_it(intake: IntakeUnderTest) -> None:
    returnee_id = (await intake.register())["returnee_id"]
    path = intake.url(f"/returnees/{returnee_id}/personal-data")

    for roles in ([Role.CASEWORKER], [Role.OFFICE_MANAGER], [Role.MONITORING_OFFICER]):
        answer = await intake.http.get(path, headers=intake.headers(*roles))
        assert answer.status_code == 403, roles
    granted = await intake.http.get(path, headers=intake.headers(Role.PERSONAL_DATA_VIEWER))
    assert granted.status_code == 200


async def test_no_token_no_answer(intake: IntakeUnderTest) -> None:
    answer = await intake.http.get(intake.url("/returnees"))

    assert answer.status_code == 401
