"""Everything is scoped to the caller's country offices and roles."""

import json
from uuid import uuid4

import pytest
from intake_builders import IntakeUnderTest, a_registration_body

from reintegration_sdk.auth import Role

pytestmark = pytest.mark.integration

CONSENT = {"purpose": "referral", "partner_category": "ngo"}


async def test_an_office_cannot_read_or_write_another_offices_returnee(
    intake: IntakeUnderTest,
) -> None:
    returnee_id = (await intake.register())["returnee_id"]
    never_registered = str(uuid4())
    # A caseworker of the other office, addressing the returnee through their own office.
    other = intake.headers(Role.CASEWORKER, Role.PERSONAL_DATA_VIEWER, office=intake.other_office)

    for method, suffix, body in [
        ("GET", "", None),
        ("GET", "/consents", None),
        ("GET", "/personal-data", None),
        ("POST", "/consents", CONSENT),
        ("POST", "/interviews", {"interviewed_on": "2025-01-01", "years_of_experience": 1,
                                 "intended_track": "employment"}),
    ]:  # fmt: skip

        async def answer_for(some_id: str, method: str = method, suffix: str = suffix,
                             body: object = body) -> tuple[int, object]:  # fmt: skip
            path = intake.url(f"/returnees/{some_id}{suffix}", office=intake.other_office)
            answer = await intake.http.request(method, path, json=body, headers=other)
            return answer.status_code, answer.json()

        # 404 in the words a random id gets: a 403 would tell that the person is registered
        # in another office.
        registered_elsewhere = await answer_for(returnee_id)
        unknown = await answer_for(never_registered)
        assert registered_elsewhere[0] == 404, (method, suffix, registered_elsewhere)
        assert registered_elsewhere == _with_id(unknown, never_registered, returnee_id)
    listed = await intake.http.get(
        intake.url("/returnees", office=intake.other_office), headers=other
    )
    assert returnee_id not in {case["returnee_id"] for case in listed.json()}
    assert await intake.events_stored_for(returnee_id) == 1


def _with_id(answer: tuple[int, object], old: str, new: str) -> tuple[int, object]:
    """`answer` as it would read had it been about `new` (answers may name the id asked for)."""
    status, body = answer
    return status, json.loads(json.dumps(body).replace(old, new))


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
