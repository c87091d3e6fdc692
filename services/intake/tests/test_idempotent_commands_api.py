"""Intake's commands go through the SDK's one path: a registration retried with the same
`Idempotency-Key` (the staff app's import run again, a sync after being offline) answers the
first answer and registers no one twice; `Dry-Run: true` runs the rules and keeps nothing."""

from uuid import uuid4

import pytest
from intake_builders import IntakeUnderTest, a_registration_body

pytestmark = pytest.mark.integration


async def test_a_registration_sent_twice_with_one_key_registers_once(
    intake: IntakeUnderTest,
) -> None:
    body = a_registration_body()
    headers = {**intake.headers(), "Idempotency-Key": str(uuid4())}
    events_before = await intake.events_stored()

    first, again = [
        await intake.http.post(intake.url("/returnees"), json=body, headers=headers)
        for _ in range(2)
    ]

    assert first.status_code == 201, first.text
    assert (again.status_code, again.content) == (201, first.content)
    assert again.headers["idempotent-replayed"] == "true"
    assert await intake.events_stored() == events_before + 1
    # Without the key the same person is a new registration, and the duplicate check refuses it.
    third = await intake.http.post(intake.url("/returnees"), json=body, headers=intake.headers())
    assert (third.status_code, third.json()["rule"]) == (409, "likely_duplicate")


async def test_a_dry_run_checks_the_rules_and_keeps_nothing(intake: IntakeUnderTest) -> None:
    body = a_registration_body()
    dry = {**intake.headers(), "Dry-Run": "true"}
    events_before = await intake.events_stored()

    checked = await intake.http.post(intake.url("/returnees"), json=body, headers=dry)
    wrong = await intake.http.post(
        intake.url("/returnees"), json={**body, "household_size": 0}, headers=dry
    )

    assert (checked.status_code, checked.headers["dry-run"]) == (201, "true")
    assert [f["field"] for f in wrong.json()["fields"]] == ["body.household_size"]
    assert await intake.events_stored() == events_before
    in_vault = await intake.db.fetchval(
        "SELECT count(*) FROM vault WHERE phone = $1", body["person"]["phone"]
    )
    assert in_vault == 0
    # Nothing kept: the same person registers for real afterwards, no duplicate in sight.
    registered = await intake.register(body)
    assert registered["duplicate_override"] is None
