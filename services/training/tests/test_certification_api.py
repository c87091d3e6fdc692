"""Certification: assessed claims and passed exams publish SkillCertified on Kafka (procurement
delivers kits on it); finished entrepreneurship training publishes TrainingCompleted (the
committee relies on it)."""

import csv
import io
from datetime import timedelta
from uuid import UUID, uuid4

import pytest
from training_builders import LAST_MONTH, TODAY, TrainingUnderTest, about, of

pytestmark = pytest.mark.integration


def assessment(returnee: UUID, centre: UUID, certified: bool, **extra: object) -> dict[str, object]:
    return {
        "returnee_id": str(returnee),
        "trade": "welding",
        "centre_id": str(centre),
        "assessed_on": str(TODAY),
        "certified": certified,
        **extra,
    }


async def test_an_assessed_but_failed_returnee_is_not_certified_and_may_train(
    training: TrainingUnderTest,
) -> None:
    centre = await training.contracted_centre()
    returnee = uuid4()
    await training.registered(returnee)

    outcome = await training.post("/assessments", assessment(returnee, centre, certified=False))

    assert outcome.json() == {"passed": False, "certified": False}
    record = (await training.get(f"/returnees/{returnee}")).json()
    assert record["certifications"] == []
    assert record["assessments"][0]["training_recommended"] is True
    envelopes = await training.published(about(returnee, "SkillAssessed"))
    assert not any(of(e, returnee, "SkillCertified") for e in envelopes)

    # Training is offered where the skill fell short: the trade's course takes the returnee.
    cohort = await training.vocational_cohort(centre)
    await training.counselled(returnee)
    assert (await training.enrol(cohort, returnee)).status_code == 201


async def test_skills_that_hold_are_certified_once(training: TrainingUnderTest) -> None:
    centre = await training.contracted_centre()
    returnee = uuid4()
    await training.registered(returnee)
    body = assessment(returnee, centre, certified=True, level="advanced")

    assert (await training.post("/assessments", body)).json()["certified"] is True
    again = await training.post("/assessments", body)
    assert (again.status_code, again.json()["rule"]) == (409, "already_certified")

    envelopes = await training.published(about(returnee, "SkillCertified"))
    certified = next(e for e in envelopes if of(e, returnee, "SkillCertified"))
    assert certified.data["level"] == "advanced"
    assert certified.data["route"] == "assessment"
    assert certified.countryoffice == training.office


async def test_a_claim_is_assessed_only_where_the_trade_is_taught(
    training: TrainingUnderTest,
) -> None:
    centre = await training.contracted_centre(trades=("tailoring",))
    returnee = uuid4()
    await training.registered(returnee)
    body = assessment(returnee, centre, certified=True, level="basic")
    refused = await training.post("/assessments", body)
    assert (refused.status_code, refused.json()["rule"]) == (409, "centre_does_not_offer_trade")
    missing_level = await training.post(
        "/assessments", {**body, "trade": "tailoring", "level": None}
    )
    assert missing_level.status_code == 422
    assert missing_level.json()["fields"] == [
        {"field": "body.level", "reason": "a certified skill has a level"}
    ]


async def test_the_post_training_exam_decides_the_certificate(
    training: TrainingUnderTest,
) -> None:
    centre = await training.contracted_centre()
    cohort = await training.vocational_cohort(centre, days=5)
    passes, fails = uuid4(), uuid4()
    await training.counselled(passes, fails)
    for returnee in (passes, fails):
        await training.enrol(cohort, returnee)
    for day in range(5):
        sheet = {str(passes): True, str(fails): True}
        assert (await training.attend(cohort, LAST_MONTH + timedelta(days=day), **sheet)).is_success
    finished = str(LAST_MONTH + timedelta(days=4))

    early = {"returnee_id": str(passes), "completed_on": str(LAST_MONTH), "exam_score": 80}
    refused = await training.post(f"/cohorts/{cohort}/completions", early)
    assert (refused.status_code, refused.json()["rule"]) == (409, "course_not_finished")
    good = {**early, "completed_on": finished, "level": "intermediate"}
    bad = {"returnee_id": str(fails), "completed_on": finished, "exam_score": 31}
    assert (await training.post(f"/cohorts/{cohort}/completions", good)).json()["certified"]
    assert not (await training.post(f"/cohorts/{cohort}/completions", bad)).json()["certified"]

    envelopes = await training.published(
        lambda es: about(passes, "SkillCertified")(es) and about(fails, "TrainingCompleted")(es)
    )
    certified = next(e for e in envelopes if of(e, passes, "SkillCertified"))
    assert certified.data["route"] == "training"
    assert certified.data["cohort_id"] == str(cohort)
    assert not any(of(e, fails, "SkillCertified") for e in envelopes)

    by_trade = await training.get("/certifications/by-trade-and-centre", format="csv")
    rows = list(csv.DictReader(io.StringIO(by_trade.text)))
    mine = next(r for r in rows if r["centre_id"] == str(centre))
    assert (mine["trade"], mine["by_training"], mine["total"]) == ("welding", "1", "1")
    listed = (await training.get("/certifications", centre_id=str(centre))).json()
    assert [c["returnee_id"] for c in listed] == [str(passes)]


async def test_finished_entrepreneurship_training_is_published_for_the_committee(
    training: TrainingUnderTest,
) -> None:
    cohort = await training.entrepreneurship_cohort()
    returnee = uuid4()
    await training.counselled(returnee)
    await training.enrol(cohort, returnee)
    for day in range(4):
        await training.attend(cohort, LAST_MONTH + timedelta(days=day), **{str(returnee): True})

    body = {"returnee_id": str(returnee), "completed_on": str(LAST_MONTH + timedelta(days=4))}
    assert (await training.post(f"/cohorts/{cohort}/completions", body)).json()["passed"]

    envelopes = await training.published(about(returnee, "TrainingCompleted"))
    completed = next(e for e in envelopes if of(e, returnee, "TrainingCompleted"))
    assert completed.data["kind"] == "entrepreneurship"
    assert completed.data["passed"] is True
    assert completed.data["days_attended"] == 4
    summary = next(
        c
        for c in (await training.get("/cohorts", kind="entrepreneurship")).json()
        if c["cohort_id"] == str(cohort)
    )
    assert summary["end_date"] == str(LAST_MONTH + timedelta(days=4))
    assert (summary["completed"], summary["passed"]) == (1, 1)


async def test_centre_utilisation_counts_trainees_of_running_cohorts(
    training: TrainingUnderTest,
) -> None:
    centre = await training.contracted_centre(capacity=4)
    running = await training.vocational_cohort(centre, start=TODAY - timedelta(days=3), capacity=4)
    await training.vocational_cohort(centre, start=TODAY + timedelta(days=30), capacity=4)
    trainees = [uuid4(), uuid4()]
    await training.counselled(*trainees)
    for returnee in trainees:
        assert (await training.enrol(running, returnee)).status_code == 201

    rows = (await training.get("/centres/utilisation")).json()
    mine = next(r for r in rows if r["centre_id"] == str(centre))
    assert (mine["cohorts_running"], mine["seats_offered"], mine["trainees"]) == (1, 4, 2)
    assert mine["utilisation"] == 0.5
