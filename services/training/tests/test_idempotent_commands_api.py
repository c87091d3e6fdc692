"""A command retried with the same `Idempotency-Key` (the scenario runner's retries, the field
app syncing after being offline) answers the first answer again and appends nothing."""

from collections.abc import Sequence
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import httpx
import pytest
from training_builders import LAST_MONTH, TrainingUnderTest

pytestmark = pytest.mark.integration


async def events_of(db: asyncpg.Connection, stream: str) -> list[str]:
    rows = await db.fetch(
        "SELECT event_name FROM events WHERE stream_id = $1 ORDER BY version", stream
    )
    return [row["event_name"] for row in rows]


async def twice(
    training: TrainingUnderTest, path: str, body: dict[str, Any]
) -> Sequence[httpx.Response]:
    headers = {**training.officer, "Idempotency-Key": str(uuid4())}
    url = f"/offices/{training.office}{path}"
    return [await training.client.post(url, json=body, headers=headers) for _ in range(2)]


async def test_an_enrolment_sent_twice_with_one_key_enrols_once(
    training: TrainingUnderTest, training_db: asyncpg.Connection
) -> None:
    cohort = await training.vocational_cohort(await training.contracted_centre())
    returnee = uuid4()
    await training.counselled(returnee)
    body = {"returnee_id": str(returnee), "enrolled_on": str(LAST_MONTH)}

    first, again = await twice(training, f"/cohorts/{cohort}/enrolments", body)

    assert (first.status_code, first.json()) == (201, {"events": ["TrainingEnrolled"]})
    assert (again.status_code, again.content) == (201, first.content)
    assert again.headers["idempotent-replayed"] == "true"
    assert await events_of(training_db, f"cohort-{cohort}") == [
        "CohortScheduled",
        "TrainingEnrolled",
    ]
    # Without the key the same enrolment is a new command, and the rule refuses it.
    third = await training.enrol(cohort, returnee)
    assert (third.status_code, third.json()["rule"]) == (409, "already_enrolled")


async def test_a_cohort_scheduled_twice_with_one_key_is_one_cohort_with_one_id(
    training: TrainingUnderTest, training_db: asyncpg.Connection
) -> None:
    body = {
        "kind": "entrepreneurship",
        "locality": {"region": "Centre-Est", "commune": "Tenkodogo"},
        "start_date": str(LAST_MONTH),
        "capacity": 20,
    }
    before = len((await training.get("/cohorts")).json())

    first, again = await twice(training, "/cohorts", body)

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    cohort = UUID(first.json()["id"])
    assert await events_of(training_db, f"cohort-{cohort}") == ["CohortScheduled"]
    assert len((await training.get("/cohorts")).json()) == before + 1


async def test_an_attendance_sheet_sent_twice_with_one_key_accrues_each_day_once(
    training: TrainingUnderTest, training_db: asyncpg.Connection
) -> None:
    cohort = await training.vocational_cohort(await training.contracted_centre())
    trainee = uuid4()
    await training.counselled(trainee)
    assert (await training.enrol(cohort, trainee)).status_code == 201
    sheet = {"day": str(LAST_MONTH), "marks": [{"returnee_id": str(trainee), "present": True}]}

    first, again = await twice(training, f"/cohorts/{cohort}/attendance", sheet)

    assert first.json() == again.json() == {"recorded": 1, "allowances_accrued": 1}
    names = await events_of(training_db, f"cohort-{cohort}")
    assert (names.count("AttendanceRecorded"), names.count("AllowanceAccrued")) == (1, 1)
    owed = (await training.get("/allowances/returnees")).json()
    assert [r["days_attended"] for r in owed if r["returnee_id"] == str(trainee)] == [1]


async def test_the_same_key_for_another_sheet_is_refused_and_records_nothing_more(
    training: TrainingUnderTest, training_db: asyncpg.Connection
) -> None:
    cohort = await training.vocational_cohort(await training.contracted_centre())
    trainee = uuid4()
    await training.counselled(trainee)
    await training.enrol(cohort, trainee)
    headers = {**training.officer, "Idempotency-Key": str(uuid4())}
    url = f"/offices/{training.office}/cohorts/{cohort}/attendance"
    mark = {"returnee_id": str(trainee), "present": True}

    sheet = {"day": str(LAST_MONTH), "marks": [mark]}
    assert (await training.client.post(url, json=sheet, headers=headers)).status_code == 201
    corrected = {**sheet, "marks": [{**mark, "present": False}]}
    reused = await training.client.post(url, json=corrected, headers=headers)

    assert reused.status_code == 422
    assert reused.json()["fields"][0]["field"] == "header.Idempotency-Key"
    names = await events_of(training_db, f"cohort-{cohort}")
    assert names.count("AttendanceRecorded") == 1
