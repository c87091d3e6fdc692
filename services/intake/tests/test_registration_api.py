"""Reception over HTTP: registration, the duplicate check and precise refusals, with the real
broker and database."""

from datetime import date, timedelta
from uuid import UUID

import pytest
from intake_builders import IntakeUnderTest, a_person_body, a_registration_body

pytestmark = pytest.mark.integration


async def test_a_registered_returnee_is_published_with_an_age_band_and_kept_in_the_vault(
    intake: IntakeUnderTest,
) -> None:
    seventeen = date.today() - timedelta(days=17 * 365)  # not yet 17: leap days fall short
    body = a_registration_body(
        person=a_person_body(birth_date=seventeen.isoformat()),
        vulnerabilities=["unaccompanied_minor"],
    )

    registered = await intake.register(body)

    assert (registered["age_band"], registered["is_minor"]) == ("15-17", True)
    [event] = await intake.published(f"returnee-{registered['returnee_id']}", 1)
    assert event.event_name == "ReturneeRegistered"
    assert event.countryoffice == intake.office
    assert (event.data["age_band"], event.data["is_minor"]) == ("15-17", True)
    assert "birth_date" not in event.data and "person" not in event.data
    kept = await intake.db.fetchrow(
        "SELECT family_name, birth_date FROM vault WHERE returnee_id = $1",
        UUID(registered["returnee_id"]),
    )
    assert kept is not None
    assert (kept["family_name"], kept["birth_date"]) == (body["person"]["family_name"], seventeen)


async def test_a_near_identical_name_with_the_same_birth_date_is_a_likely_duplicate(
    intake: IntakeUnderTest,
) -> None:
    first = a_registration_body()
    original = await intake.register(first)
    # The same woman at another desk: one letter doubled, no accent, parts swapped, new phone.
    person = first["person"]
    again = a_registration_body(
        person=a_person_body(
            given_names=person["family_name"].replace("é", "e"),
            family_name=person["given_names"].replace("Aminata", "Aminatta"),
            birth_date=person["birth_date"],
        )
    )
    events_before = await intake.events_stored()

    refused = await intake.http.post(intake.url("/returnees"), json=again, headers=intake.headers())

    assert refused.status_code == 409, refused.text
    answer = refused.json()
    assert answer["rule"] == "likely_duplicate"
    assert answer["context"]["candidate_ids"] == [original["returnee_id"]]
    assert await intake.events_stored() == events_before  # nothing half-written
    in_vault = await intake.db.fetchval(
        "SELECT count(*) FROM vault WHERE phone = $1", again["person"]["phone"]
    )
    assert in_vault == 0


async def test_the_same_phone_written_differently_is_a_likely_duplicate(
    intake: IntakeUnderTest,
) -> None:
    first = a_registration_body()
    original = await intake.register(first)
    international = "00" + first["person"]["phone"].replace("+", "").replace(" ", "")
    again = a_registration_body(person=a_person_body(phone=international))

    refused = await intake.http.post(intake.url("/returnees"), json=again, headers=intake.headers())

    assert refused.status_code == 409, refused.text
    assert refused.json()["context"]["candidate_ids"] == [original["returnee_id"]]


async def test_an_override_with_a_reason_registers_and_is_recorded_in_the_event(
    intake: IntakeUnderTest,
) -> None:
    first = a_registration_body()
    original = await intake.register(first)
    again = a_registration_body(
        person=a_person_body(
            given_names=first["person"]["given_names"],
            family_name=first["person"]["family_name"],
            birth_date=first["person"]["birth_date"],
        ),
        duplicate_override={"reason": "namesake", "note": "Her aunt knows both women"},
    )

    registered = await intake.register(again)

    assert registered["duplicate_override"]["candidate_ids"] == [original["returnee_id"]]
    [event] = await intake.published(f"returnee-{registered['returnee_id']}", 1)
    assert event.data["duplicate_override"] == {
        "reason": "namesake",
        "candidate_ids": [original["returnee_id"]],
    }
    kept = await intake.http.get(
        intake.url(f"/returnees/{registered['returnee_id']}/personal-data"),
        headers=intake.headers("personal_data_viewer"),
    )
    assert kept.json()["duplicate_override_note"] == "Her aunt knows both women"


async def test_an_identical_person_in_another_office_is_not_a_duplicate(
    intake: IntakeUnderTest,
) -> None:
    body = a_registration_body()
    await intake.register(body)

    elsewhere = await intake.http.post(
        intake.url("/returnees", office=intake.other_office),
        json=body,
        headers=intake.headers(office=intake.other_office),
    )

    assert elsewhere.status_code == 201, elsewhere.text


async def test_bad_input_is_refused_naming_each_field_and_nothing_is_written(
    intake: IntakeUnderTest,
) -> None:
    body = a_registration_body(
        sex="unknown",
        household_size=0,
        person=a_person_body(phone="call me", birth_date="1990-02-30"),
        nickname="Mina",
    )
    events_before = await intake.events_stored()

    refused = await intake.http.post(intake.url("/returnees"), json=body, headers=intake.headers())

    assert refused.status_code == 422
    assert refused.json()["error"] == "validation_error"
    fields = {item["field"] for item in refused.json()["fields"]}
    assert fields == {
        "body.sex",
        "body.household_size",
        "body.person.phone",
        "body.person.birth_date",
        "body.nickname",
    }
    assert await intake.events_stored() == events_before


async def test_dates_that_contradict_each_other_are_all_named(intake: IntakeUnderTest) -> None:
    tomorrow = date.today() + timedelta(days=1)
    body = a_registration_body(
        arrival_date=tomorrow.isoformat(),
        person=a_person_body(birth_date=(tomorrow + timedelta(days=1)).isoformat()),
        vulnerabilities=["unaccompanied_minor", "single_parent"],
    )

    refused = await intake.http.post(intake.url("/returnees"), json=body, headers=intake.headers())

    assert refused.status_code == 422, refused.text
    assert [(f["field"], f["reason"]) for f in refused.json()["fields"]] == [
        ("body.arrival_date", "cannot be in the future"),
        ("body.person.birth_date", "must be before the arrival date"),
    ]
