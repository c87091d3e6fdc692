"""Read models are rebuildable: truncating them and replaying intake's store gives the same rows,
and a case keeps the stage other services reported."""

from datetime import date
from uuid import UUID, uuid4

import pytest
from intake_builders import IntakeUnderTest

from intake.app import definition
from intake.projections import read_models
from reintegration_contracts.events.training import CourseKind, TrainingEnrolled
from reintegration_sdk.auth import Role
from reintegration_sdk.projections import rebuild_from_store, table_snapshot
from reintegration_sdk.testing.service import eventually, publish, upstream_event

pytestmark = pytest.mark.integration


async def test_a_rebuild_gives_the_same_rows(intake: IntakeUnderTest) -> None:
    trainee, erased = (
        (await intake.register())["returnee_id"],
        (await intake.register())["returnee_id"],
    )
    for returnee_id in (trainee, erased):
        await intake.http.post(
            intake.url(f"/returnees/{returnee_id}/consents"),
            json={"purpose": "monitoring_and_evaluation", "partner_category": "un_agency"},
            headers=intake.headers(),
        )
    await intake.http.post(
        intake.url(f"/returnees/{trainee}/interviews"),
        json={"interviewed_on": date.today().isoformat(), "years_of_experience": 3,
              "intended_track": "vocational_training", "skills": ["welding"]},
        headers=intake.headers(),
    )  # fmt: skip
    # The facts of #20 too: a member, a psychosocial session, the job path.
    member = await intake.register_member()
    today = date.today().isoformat()
    community = {"region": "Centre-Est", "commune": "Tenkodogo"}
    fair = await intake.http.post(
        intake.url("/job-fairs"), headers=intake.headers(),
        json={"held_on": today, "locality": community, "young_people_present": 5,
              "organisations": [{"kind": "bank", "count": 1}], "participant_ids": [trainee]},
    )  # fmt: skip
    referral = await intake.http.post(
        intake.url(f"/returnees/{trainee}/job-referrals"), headers=intake.headers(),
        json={"referred_on": today, "to_kind": "bank", "sector": "retail",
              "fair_id": fair.json()["fair_id"]},
    )  # fmt: skip
    for path, body in [
        ("/psychosocial-sessions", {"kind": "group", "held_on": today, "community": community,
                                    "facilitator": "psychologist",
                                    "participant_ids": [trainee, member]}),
        (f"/returnees/{trainee}/psychosocial-assistance",
         {"provided_on": today, "forms": ["medical_referral"]}),
        (f"/returnees/{trainee}/cv-support", {"supported_on": today}),
        (f"/returnees/{trainee}/job-referrals/{referral.json()['referral_id']}/outcomes",
         {"outcome": "credit_interview", "recorded_on": today}),
    ]:  # fmt: skip
        answer = await intake.http.post(intake.url(path), json=body, headers=intake.headers())
        assert answer.status_code == 201, answer.text
    await intake.http.delete(
        intake.url(f"/returnees/{erased}/personal-data"),
        headers=intake.headers(Role.OFFICE_MANAGER),
    )
    enrolled = TrainingEnrolled(
        cohort_id=uuid4(),
        returnee_id=UUID(trainee),
        kind=CourseKind.VOCATIONAL,
        trade="welding",
        enrolled_on=date.today(),
    )
    await publish(intake.infrastructure, [upstream_event(enrolled, intake.office)])

    async def in_training() -> None:
        answer = await intake.http.get(
            intake.url(f"/returnees/{trainee}"), headers=intake.headers()
        )
        assert answer.json()["stage"] == "in_training"

    await eventually(in_training)
    pool = intake.http.app.state.runtime.pool  # type: ignore[attr-defined]
    before = await table_snapshot(pool, read_models.tables)

    await rebuild_from_store(pool, definition.store, read_models, progress=False)

    after = await table_snapshot(pool, read_models.tables)
    assert after == before
    assert any(trainee in row and "in_training" in row for row in after["caseload"])
    assert any(erased in row for row in after["caseload"])
    assert any("credit_interview" in row for row in after["job_referrals"])
    assert any(member in row for row in after["community_members"])
