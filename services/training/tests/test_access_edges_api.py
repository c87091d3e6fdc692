"""Another office's ids answer exactly as ids that never existed: nothing tells this office
whether a centre, a cohort or a person exists in another one."""

from uuid import uuid4

import pytest
from training_builders import TODAY, TrainingUnderTest

pytestmark = pytest.mark.integration


def elsewhere(training: TrainingUnderTest) -> TrainingUnderTest:
    return TrainingUnderTest(
        training.client, training.other_office, training.office, training.infrastructure
    )


async def test_another_offices_cohort_is_not_found_like_a_random_one(
    training: TrainingUnderTest,
) -> None:
    theirs = await elsewhere(training).entrepreneurship_cohort()
    returnee = uuid4()
    await training.counselled(returnee)

    into_theirs = await training.enrol(theirs, returnee)
    into_none = await training.enrol(uuid4(), returnee)

    assert (into_theirs.status_code, into_theirs.json()["error"]) == (404, "not_found")
    assert (into_none.status_code, into_none.json()["error"]) == (404, "not_found")
    assert training.other_office not in into_theirs.text
    read = await training.get(f"/cohorts/{theirs}")
    assert read.status_code == 404
    assert read.json() == (await training.get(f"/cohorts/{uuid4()}")).json()


async def test_another_offices_centre_in_a_body_is_named_like_a_random_id(
    training: TrainingUnderTest,
) -> None:
    theirs = await elsewhere(training).contracted_centre()

    def assessment(centre: object) -> dict[str, object]:
        return {
            "returnee_id": str(uuid4()),
            "trade": "welding",
            "centre_id": str(centre),
            "assessed_on": str(TODAY),
            "certified": False,
        }

    at_theirs = await training.post("/assessments", assessment(theirs))
    at_none = await training.post("/assessments", assessment(uuid4()))

    assert at_theirs.status_code == 422
    assert at_theirs.json() == at_none.json()
    assert at_theirs.json()["fields"] == [
        {"field": "body.centre_id", "reason": "no training centre of this office has this id"}
    ]


async def test_a_returnee_assessed_in_another_office_is_assessed_here_like_anyone(
    training: TrainingUnderTest,
) -> None:
    there = elsewhere(training)
    returnee = uuid4()
    # Each office registered the returnee on its own.
    await there.registered(returnee)
    await training.registered(returnee)
    body = {
        "returnee_id": str(returnee),
        "trade": "welding",
        "assessed_on": str(TODAY),
        "certified": True,
        "level": "basic",
    }
    assert (
        await there.post(
            "/assessments", {**body, "centre_id": str(await there.contracted_centre())}
        )
    ).status_code == 201

    here = await training.post(
        "/assessments", {**body, "centre_id": str(await training.contracted_centre())}
    )

    assert (here.status_code, here.json()) == (201, {"passed": True, "certified": True})
    record = (await training.get(f"/returnees/{returnee}")).json()
    assert [c["trade"] for c in record["certifications"]] == ["welding"]
