"""Erasure on request: the vault record goes, every endpoint forgets the person, the case stays
as an anonymous statistic."""

from uuid import UUID

import pytest
from intake_builders import IntakeUnderTest, a_registration_body

from reintegration_sdk.auth import Role

pytestmark = pytest.mark.integration


def traces_of(person: dict[str, object]) -> list[str]:
    document = person["identity_document"]
    assert isinstance(document, dict)
    phone = str(person["phone"])
    return [
        str(person["given_names"]),
        str(person["family_name"]),
        str(person["birth_date"]),
        phone,
        phone.replace(" ", "").replace("+", ""),
        str(person["address"]),
        str(document["number"]),
        str(person["notes"]),
    ]


async def test_after_erasure_no_intake_endpoint_returns_the_persons_data(
    intake: IntakeUnderTest,
) -> None:
    body = a_registration_body(sub_office="koupela")
    returnee_id = (await intake.register(body))["returnee_id"]
    base = f"/returnees/{returnee_id}"
    await intake.http.post(
        intake.url(base + "/consents"),
        json={"purpose": "referral", "partner_category": "ngo"},
        headers=intake.headers(),
    )
    # Whoever may read personal data at all; an admin may not (it administers).
    everyone = intake.headers(Role.PERSONAL_DATA_VIEWER, Role.CASEWORKER)
    before = await intake.http.get(intake.url(base + "/personal-data"), headers=everyone)
    assert before.status_code == 200 and body["person"]["family_name"] in before.text

    erased = await intake.http.delete(
        intake.url(base + "/personal-data"), headers=intake.headers(Role.OFFICE_MANAGER)
    )

    assert erased.status_code == 200, erased.text
    assert erased.json()["consents_withdrawn"] == 1
    for path in [base + "/personal-data"]:
        gone = await intake.http.get(intake.url(path), headers=everyone)
        assert gone.status_code == 410, gone.text
    answers = [
        await intake.http.get(intake.url(path), headers=everyone)
        for path in [
            base,
            base + "/consents",
            "/returnees?sub_office=koupela",
            "/returnees?sub_office=koupela&format=csv",
        ]
    ]
    assert all(a.status_code == 200 for a in answers)
    for answer in answers:
        for trace in traces_of(body["person"]):
            assert trace not in answer.text, (answer.url, trace)
    case = answers[0].json()
    assert case["erased"] is True and case["consents"] == []
    assert case["returnee_id"] in answers[2].text  # still counted, anonymously
    assert (
        await intake.db.fetchval(
            "SELECT count(*) FROM vault WHERE returnee_id = $1", UUID(returnee_id)
        )
        == 0
    )


async def test_erasure_is_published_without_personal_data_and_happens_once(
    intake: IntakeUnderTest,
) -> None:
    returnee_id = (await intake.register())["returnee_id"]
    erase = intake.url(f"/returnees/{returnee_id}/personal-data")
    manager = intake.headers(Role.OFFICE_MANAGER)

    await intake.http.delete(erase, headers=manager)
    again = await intake.http.delete(erase, headers=manager)

    assert again.status_code == 410
    [_, event] = await intake.published(f"returnee-{returnee_id}", 2)
    assert event.event_name == "ReturneeErased"
    assert set(event.data) == {"returnee_id", "erased_on"}


async def test_only_an_office_manager_erases(intake: IntakeUnderTest) -> None:
    returnee_id = (await intake.register())["returnee_id"]

    refused = await intake.http.delete(
        intake.url(f"/returnees/{returnee_id}/personal-data"),
        headers=intake.headers(Role.CASEWORKER, Role.PERSONAL_DATA_VIEWER),
    )

    assert refused.status_code == 403
    assert await intake.events_stored_for(returnee_id) == 1


async def test_an_erased_person_can_register_again_without_being_a_duplicate(
    intake: IntakeUnderTest,
) -> None:
    body = a_registration_body()
    returnee_id = (await intake.register(body))["returnee_id"]
    await intake.http.delete(
        intake.url(f"/returnees/{returnee_id}/personal-data"),
        headers=intake.headers(Role.OFFICE_MANAGER),
    )

    again = await intake.register(body)

    assert again["duplicate_override"] is None
