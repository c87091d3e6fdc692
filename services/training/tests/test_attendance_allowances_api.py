"""Attendance earns the office's daily allowance; what is owed exports as CSV."""

import csv
import io
from datetime import timedelta
from uuid import uuid4

import pytest
from training_builders import DAILY_ALLOWANCE, LAST_MONTH, TODAY, TrainingUnderTest

from reintegration_sdk import Role
from reintegration_sdk.testing.service import auth_headers

pytestmark = pytest.mark.integration


async def test_attended_days_and_daycare_are_owed_per_returnee_and_per_cohort(
    training: TrainingUnderTest,
) -> None:
    centre = await training.contracted_centre()
    cohort = await training.vocational_cohort(centre)
    mother, father = uuid4(), uuid4()
    await training.counselled(mother, father)
    for returnee in (mother, father):
        assert (await training.enrol(cohort, returnee)).status_code == 201
    daycare = {"returnee_id": str(mother), "daily_amount": 500, "granted_on": str(LAST_MONTH)}
    assert (await training.post(f"/cohorts/{cohort}/daycare", daycare)).status_code == 201

    day_one = await training.attend(cohort, LAST_MONTH, **{str(mother): True, str(father): True})
    assert day_one.json() == {"recorded": 2, "allowances_accrued": 2}
    day_two = LAST_MONTH + timedelta(days=1)
    await training.attend(cohort, day_two, **{str(mother): True, str(father): False})

    per_returnee = await training.get("/allowances/returnees", format="csv")
    assert per_returnee.headers["content-type"].startswith("text/csv")
    rows = {r["returnee_id"]: r for r in csv.DictReader(io.StringIO(per_returnee.text))}
    assert rows[str(mother)]["days_attended"] == "2"
    assert rows[str(mother)]["total"] == str(2 * (DAILY_ALLOWANCE + 500))
    assert rows[str(father)]["total"] == str(DAILY_ALLOWANCE)
    assert rows[str(father)]["currency"] == "XOF"

    per_cohort = await training.get("/allowances/cohorts", format="csv")
    header, *lines = list(csv.reader(io.StringIO(per_cohort.text)))
    assert header[:2] == ["cohort_id", "kind"]
    line = dict(zip(header, next(row for row in lines if row[0] == str(cohort)), strict=True))
    assert (line["trainees"], line["days_attended"]) == ("2", "3")
    assert line["total"] == str(3 * DAILY_ALLOWANCE + 2 * 500)

    detail = (await training.get(f"/cohorts/{cohort}")).json()
    assert (detail["days_present"], detail["days_absent"]) == (3, 1)


async def test_a_sheet_with_one_bad_line_records_nothing(training: TrainingUnderTest) -> None:
    centre = await training.contracted_centre()
    cohort = await training.vocational_cohort(centre)
    trainee, stranger = uuid4(), uuid4()
    await training.counselled(trainee)
    await training.enrol(cohort, trainee)

    refused = await training.attend(cohort, LAST_MONTH, **{str(trainee): True, str(stranger): True})

    assert (refused.status_code, refused.json()["rule"]) == (409, "not_enrolled")
    detail = (await training.get(f"/cohorts/{cohort}")).json()
    assert detail["attendance"] == []
    owed = (await training.get("/allowances/returnees")).json()
    assert str(trainee) not in {row["returnee_id"] for row in owed}


async def test_a_day_is_recorded_once_and_never_ahead(training: TrainingUnderTest) -> None:
    centre = await training.contracted_centre()
    cohort = await training.vocational_cohort(centre, start=TODAY - timedelta(days=2))
    trainee = uuid4()
    await training.counselled(trainee)
    await training.enrol(cohort, trainee)

    assert (await training.attend(cohort, TODAY, **{str(trainee): True})).status_code == 201
    twice = await training.attend(cohort, TODAY, **{str(trainee): False})
    assert (twice.status_code, twice.json()["rule"]) == (409, "attendance_already_recorded")
    ahead = await training.attend(cohort, TODAY + timedelta(days=1), **{str(trainee): True})
    assert ahead.status_code == 422
    assert ahead.json()["fields"][0]["field"] == "body.day"


async def test_an_office_without_an_allowance_cannot_record_attended_days(
    training: TrainingUnderTest,
) -> None:
    # The other office has no built-in default and no rate of its own yet.
    elsewhere = TrainingUnderTest(
        training.client, training.other_office, training.office, training.infrastructure
    )
    cohort = await elsewhere.vocational_cohort(await elsewhere.contracted_centre())
    trainee = uuid4()
    await elsewhere.counselled(trainee)
    await elsewhere.enrol(cohort, trainee)
    assert (await elsewhere.get("/daily-allowance")).json()["in_force"] is None

    refused = await elsewhere.attend(cohort, LAST_MONTH, **{str(trainee): True})
    assert (refused.status_code, refused.json()["rule"]) == (409, "daily_allowance_not_set")

    manager = auth_headers([Role.OFFICE_MANAGER], [elsewhere.office])
    rate = {"daily_amount": 2000, "currency": "XOF", "effective_from": str(LAST_MONTH)}
    path = f"/offices/{elsewhere.office}/daily-allowance"
    assert (await training.client.post(path, json=rate, headers=manager)).status_code == 201
    earlier = {**rate, "effective_from": str(LAST_MONTH - timedelta(days=5))}
    out_of_order = await training.client.post(path, json=earlier, headers=manager)
    assert (out_of_order.status_code, out_of_order.json()["rule"]) == (
        409,
        "allowance_rate_out_of_order",
    )
    assert (await elsewhere.attend(cohort, LAST_MONTH, **{str(trainee): True})).status_code == 201
    owed = (await elsewhere.get("/allowances/returnees")).json()
    assert [(row["returnee_id"], row["total"]) for row in owed] == [(str(trainee), 2000)]


async def test_only_an_office_manager_sets_the_allowance(training: TrainingUnderTest) -> None:
    body = {"daily_amount": 9999, "currency": "XOF", "effective_from": str(TODAY)}
    refused = await training.post("/daily-allowance", body)
    assert refused.status_code == 403
    in_force = (await training.get("/daily-allowance")).json()["in_force"]
    assert in_force["daily_amount"] == DAILY_ALLOWANCE
