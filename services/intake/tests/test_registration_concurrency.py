"""Registrations of one office run side by side, and the duplicate check stays exact: the same
person at two desks at once is registered once, however alike the two records are."""

import asyncio
from typing import Any
from uuid import uuid4

import asyncpg
import httpx
import pytest
from intake_builders import IntakeUnderTest, a_person_body, a_registration_body

from intake import vault
from intake.api.models import PersonIn
from reintegration_sdk.testing.service import eventually

pytestmark = pytest.mark.integration


def the_same_phone(first: dict[str, Any]) -> dict[str, Any]:
    international = "00" + first["person"]["phone"].replace("+", "").replace(" ", "")
    return a_registration_body(person=a_person_body(phone=international))


def the_same_document(first: dict[str, Any]) -> dict[str, Any]:
    number = first["person"]["identity_document"]["number"]
    written_otherwise = f"{number[:3]}-{number[3:].lower()}"
    return a_registration_body(
        person=a_person_body(identity_document={"kind": "passport", "number": written_otherwise})
    )


def a_near_identical_name(first: dict[str, Any]) -> dict[str, Any]:
    person = first["person"]
    return a_registration_body(
        person=a_person_body(
            given_names=person["family_name"].replace("é", "e"),
            family_name=person["given_names"].replace("Aminata", "Aminatta"),
            birth_date=person["birth_date"],
        )
    )


@pytest.mark.parametrize("alike", [the_same_phone, the_same_document, a_near_identical_name])
async def test_one_person_registered_at_two_desks_at_once_is_registered_once(
    intake: IntakeUnderTest, alike: Any
) -> None:
    for _ in range(3):  # several rounds: each a fresh chance for the two to overlap
        first = a_registration_body()
        second = alike(first)

        answers = await asyncio.gather(
            *(
                intake.http.post(intake.url("/returnees"), json=body, headers=intake.headers())
                for body in (first, second)
            )
        )

        assert sorted(a.status_code for a in answers) == [201, 409], [a.text for a in answers]
        [registered] = [a.json() for a in answers if a.status_code == 201]
        [refused] = [a.json() for a in answers if a.status_code == 409]
        assert refused["rule"] == "likely_duplicate"
        assert refused["context"]["candidate_ids"] == [registered["returnee_id"]]


async def test_a_registration_waits_only_for_registrations_of_someone_alike(
    intake: IntakeUnderTest, intake_database: str
) -> None:
    someone = a_registration_body()
    person = PersonIn.model_validate(someone["person"]).personal_data()
    unlike = a_registration_body()
    alike = the_same_phone(someone)
    desk = await asyncpg.connect(intake_database)
    watcher = await asyncpg.connect(intake_database)
    try:
        # Another desk is registering `someone` and has not committed yet.
        registering = desk.transaction()
        await registering.start()
        await vault.hold_registrations_alike(desk, intake.office, person)

        # Someone unlike them is registered meanwhile: no turn to wait for.
        done = await asyncio.wait_for(register(intake, unlike), timeout=60)
        assert done.status_code == 201, done.text

        # Someone alike waits for the other desk (its lock shows in pg_locks), then sees
        # `someone` it kept, and is refused as a likely duplicate.
        waiting = asyncio.create_task(register(intake, alike))

        async def blocked_on_an_advisory_lock() -> None:
            count = await watcher.fetchval(
                """SELECT count(*) FROM pg_locks JOIN pg_database d ON d.oid = pg_locks.database
                   WHERE locktype = 'advisory' AND NOT granted AND d.datname = current_database()"""
            )
            assert count >= 1

        await eventually(blocked_on_an_advisory_lock, timeout=60)
        kept = uuid4()
        await vault.keep(desk, intake.office, kept, person)
        await registering.commit()
        refused = await asyncio.wait_for(waiting, timeout=60)
    finally:
        await desk.close()
        await watcher.close()

    assert refused.status_code == 409, refused.text
    assert refused.json()["context"]["candidate_ids"] == [str(kept)]


async def register(intake: IntakeUnderTest, body: dict[str, Any]) -> httpx.Response:
    return await intake.http.post(intake.url("/returnees"), json=body, headers=intake.headers())
