"""Mali's programme played through training's API: the configuration arrives from the
programme topic (no HTTP between services) and training keeps its rules, each refusal a 409
naming the rule."""

import json
from datetime import timedelta
from pathlib import Path
from uuid import UUID, uuid4

import httpx
import pytest
from training_builders import LAST_MONTH, TODAY, TrainingUnderTest, about, of

from reintegration_contracts.events.programme import ProgrammeConfigured
from reintegration_contracts.types import Sex
from reintegration_sdk import Role
from reintegration_sdk.testing.service import auth_headers, eventually

pytestmark = pytest.mark.integration

SHIPPED = Path(__file__).resolve().parents[3] / "scenarios/src/reintegration_scenarios/bundled"


def mali_programme() -> ProgrammeConfigured:
    settings = json.loads((SHIPPED / "programmes/ml.json").read_text())
    return ProgrammeConfigured(version=1, configured_on=LAST_MONTH, **settings)


@pytest.fixture(scope="module")
async def mali(training: TrainingUnderTest) -> TrainingUnderTest:
    office = training.at(training.mali_office)
    await office.configure_programme(mali_programme())
    return office


async def enrolled_when_configured(mali: TrainingUnderTest, cohort: UUID, returnee: UUID) -> None:
    # The configuration travels over Kafka: until it is applied the interview is no counselling.
    async def enrolled() -> None:
        response = await mali.enrol(cohort, returnee)
        assert response.status_code == 201, response.text

    await eventually(enrolled)


async def test_an_interview_counts_and_business_management_passed_leads_to_a_kit(
    mali: TrainingUnderTest,
) -> None:
    centre = await mali.contracted_centre(trades=("business_management",))
    cohort = await mali.vocational_cohort(centre, trade="business_management", days=5)
    awa, absent = uuid4(), uuid4()
    await mali.interviewed(awa, absent)
    await enrolled_when_configured(mali, cohort, awa)
    assert (await mali.enrol(cohort, absent)).status_code == 201
    for day in range(5):
        marks = {str(awa): True, str(absent): day == 0}
        assert (await mali.attend(cohort, LAST_MONTH + timedelta(days=day), **marks)).is_success
    last_day = str(LAST_MONTH + timedelta(days=4))

    passed = await mali.post(
        f"/cohorts/{cohort}/completions",
        {"returnee_id": str(awa), "completed_on": last_day, "exam_score": 70},
    )
    # The exam passed with one day of five attended certifies nothing.
    short = await mali.post(
        f"/cohorts/{cohort}/completions",
        {"returnee_id": str(absent), "completed_on": last_day, "exam_score": 90},
    )

    assert passed.json() == {"passed": True, "certified": True}
    assert short.json() == {"passed": False, "certified": False}
    envelopes = await mali.published(about(awa, "KitEligibilityEstablished"))
    [eligible] = [e for e in envelopes if of(e, awa, "KitEligibilityEstablished")]
    assert (eligible.data["trade"], eligible.data["ground"]) == ("business_management", "course")
    assert not any(of(e, absent, "KitEligibilityEstablished") for e in envelopes)


async def test_a_group_session_is_not_mali_s_counselling(mali: TrainingUnderTest) -> None:
    centre = await mali.contracted_centre(trades=("tailoring",))
    cohort = await mali.vocational_cohort(centre, trade="tailoring")
    interviewed, in_a_group = uuid4(), uuid4()
    await mali.interviewed(interviewed)
    await enrolled_when_configured(mali, cohort, interviewed)
    await mali.counselled(in_a_group)

    refused = await mali.enrol(cohort, in_a_group)

    assert (refused.status_code, refused.json()["rule"]) == (409, "returnee_not_counselled")


async def test_day_care_is_for_mothers_and_the_allowance_above_the_minimum_wage(
    mali: TrainingUnderTest,
) -> None:
    centre = await mali.contracted_centre(trades=("tailoring",))
    cohort = await mali.vocational_cohort(centre, trade="tailoring")
    mother, man = uuid4(), uuid4()
    await mali.interviewed(mother)
    await mali.interviewed(man, sex=Sex.MALE)
    await enrolled_when_configured(mali, cohort, mother)
    assert (await mali.enrol(cohort, man)).status_code == 201

    def daycare(returnee: UUID) -> dict[str, object]:
        return {"returnee_id": str(returnee), "daily_amount": 500, "granted_on": str(LAST_MONTH)}

    granted = await mali.post(f"/cohorts/{cohort}/daycare", daycare(mother))
    refused = await mali.post(f"/cohorts/{cohort}/daycare", daycare(man))
    manager = auth_headers([Role.OFFICE_MANAGER], [mali.office])
    rate = {"daily_amount": 500, "currency": "XOF", "effective_from": str(TODAY)}
    too_low = await mali.client.post(
        f"/offices/{mali.office}/daily-allowance", json=rate, headers=manager
    )

    assert granted.status_code == 201
    assert (refused.status_code, refused.json()["rule"]) == (409, "daycare_not_allowed")
    assert (too_low.status_code, too_low.json()["rule"]) == (
        409,
        "allowance_not_above_minimum_wage",
    )
    # With no rate of its own set, attendance earns the programme's 2,000 XOF a day.
    await mali.attend(cohort, LAST_MONTH, **{str(mother): True})
    owed = await mali.get("/allowances/returnees")
    [row] = [r for r in owed.json() if r["returnee_id"] == str(mother)]
    assert (row["allowance"], row["daycare"]) == (2000, 500)


async def test_assessment_of_a_registered_returnee_leads_to_a_kit_and_no_act_in_the_future(
    mali: TrainingUnderTest,
) -> None:
    centre = await mali.contracted_centre(trades=("tailoring",))
    moussa, stranger = uuid4(), uuid4()
    await mali.interviewed(moussa, sex=Sex.MALE)
    cohort = await mali.vocational_cohort(centre, trade="tailoring")
    await enrolled_when_configured(mali, cohort, moussa)

    def assessment(returnee: UUID, on: object = LAST_MONTH) -> dict[str, object]:
        return {
            "returnee_id": str(returnee),
            "trade": "tailoring",
            "centre_id": str(centre),
            "assessed_on": str(on),
            "certified": True,
            "level": "advanced",
        }

    unknown = await mali.post("/assessments", assessment(stranger))
    tomorrow = await mali.post("/assessments", assessment(moussa, TODAY + timedelta(days=1)))
    assessed = await mali.post("/assessments", assessment(moussa))

    assert (unknown.status_code, unknown.json()["rule"]) == (409, "returnee_not_registered")
    assert (tomorrow.status_code, tomorrow.json()["rule"]) == (409, "dated_in_the_future")
    assert assessed.status_code == 201, assessed.text
    envelopes = await mali.published(about(moussa, "KitEligibilityEstablished"))
    [eligible] = [e for e in envelopes if of(e, moussa, "KitEligibilityEstablished")]
    assert eligible.data["ground"] == "assessment"


async def test_an_exam_with_no_attendance_recorded_certifies_nothing(
    training: TrainingUnderTest,
) -> None:
    centre = await training.contracted_centre()
    cohort = await training.vocational_cohort(centre, days=5)
    returnee = uuid4()
    await training.counselled(returnee)
    assert (await training.enrol(cohort, returnee)).status_code == 201
    body = {
        "returnee_id": str(returnee),
        "completed_on": str(LAST_MONTH + timedelta(days=4)),
        "exam_score": 80,
    }

    refused: httpx.Response = await training.post(f"/cohorts/{cohort}/completions", body)

    assert (refused.status_code, refused.json()["rule"]) == (409, "attendance_not_recorded")
