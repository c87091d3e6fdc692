"""Enrolment starts from intake's CounsellingAttended events on Kafka, never from intake."""

import asyncio
from uuid import uuid4

import asyncpg
import pytest
from training_builders import TrainingUnderTest, about, counselling_attended, of

from reintegration_sdk.testing.service import publish, upstream_event

pytestmark = pytest.mark.integration


async def test_a_returnee_not_counselled_cannot_enrol_until_intake_says_so(
    training: TrainingUnderTest,
) -> None:
    centre = await training.contracted_centre()
    cohort = await training.vocational_cohort(centre)
    returnee = uuid4()
    await training.registered(returnee)

    refused = await training.enrol(cohort, returnee)
    assert refused.status_code == 409
    assert refused.json()["rule"] == "returnee_not_counselled"

    # Intake reports the counselling session; from then on the returnee may enrol.
    await training.counselled(returnee)
    assert (await training.enrol(cohort, returnee)).status_code == 201

    detail = (await training.get(f"/cohorts/{cohort}")).json()
    assert [t["returnee_id"] for t in detail["trainees"]] == [str(returnee)]
    await training.published(about(returnee, "TrainingEnrolled"))


async def test_the_same_intake_event_delivered_twice_enrols_no_one_twice(
    training: TrainingUnderTest, training_db: asyncpg.Connection
) -> None:
    centre = await training.contracted_centre()
    cohort = await training.vocational_cohort(centre)
    returnee, marker = uuid4(), uuid4()
    await training.registered(returnee)
    stream = f"returnee-{returnee}"
    attended = upstream_event(counselling_attended(returnee), training.office, stream)
    # The duplicate and a later marker share the key, so the marker arrives after both.
    later = upstream_event(counselling_attended(marker), training.office, stream)
    await publish(training.infrastructure, [attended, attended, later])
    await training.until_counselled(marker)

    assert (await training.enrol(cohort, returnee)).status_code == 201
    again = await training.enrol(cohort, returnee)
    assert again.status_code == 409
    assert again.json()["rule"] == "already_enrolled"

    applied = await training_db.fetchval(
        "SELECT count(*) FROM inbox WHERE event_id = $1", attended.id
    )
    assert applied == 1
    envelopes = await training.published(about(returnee, "TrainingEnrolled"))
    assert sum(of(e, returnee, "TrainingEnrolled") for e in envelopes) == 1


async def test_a_full_cohort_and_overlapping_cohorts_refuse_enrolment(
    training: TrainingUnderTest,
) -> None:
    centre = await training.contracted_centre()
    small = await training.vocational_cohort(centre, capacity=1)
    overlapping = await training.vocational_cohort(centre)
    first, second = uuid4(), uuid4()
    await training.counselled(first, second)

    assert (await training.enrol(small, first)).status_code == 201
    full = await training.enrol(small, second)
    assert (full.status_code, full.json()["rule"]) == (409, "cohort_full")
    overlap = await training.enrol(overlapping, first)
    assert (overlap.status_code, overlap.json()["rule"]) == (409, "overlapping_enrolment")


async def test_two_enrolments_racing_into_overlapping_cohorts_let_one_through(
    training: TrainingUnderTest,
) -> None:
    centre = await training.contracted_centre()
    cohorts = [await training.vocational_cohort(centre) for _ in range(2)]
    returnee = uuid4()
    await training.counselled(returnee)

    answers = await asyncio.gather(*(training.enrol(c, returnee) for c in cohorts))

    assert sorted(a.status_code for a in answers) == [201, 409]
    record = (await training.get(f"/returnees/{returnee}")).json()
    assert len(record["enrolments"]) == 1


async def test_a_returnee_counselled_in_another_office_is_not_counselled_here(
    training: TrainingUnderTest,
) -> None:
    centre = await training.contracted_centre()
    cohort = await training.vocational_cohort(centre)
    returnee = uuid4()
    elsewhere = TrainingUnderTest(
        training.client, training.other_office, training.office, training.infrastructure
    )
    await elsewhere.counselled(returnee)
    # Registered here too: only the counselling happened elsewhere.
    await training.registered(returnee)

    refused = await training.enrol(cohort, returnee)

    assert (refused.status_code, refused.json()["rule"]) == (409, "returnee_not_counselled")
    assert (await training.get(f"/returnees/{returnee}")).json()["counselled_on"] is None
