"""The office's caseload: filters, CSV, and how far each case has gone according to what the
other services publish (their events put on Kafka here, as their relays would)."""

import csv
import io
from datetime import date
from uuid import UUID, uuid4

import pytest
from intake_builders import IntakeUnderTest, a_person_body, a_registration_body, unique_letters

from reintegration_contracts import EventEnvelope
from reintegration_contracts.events.committee import (
    BudgetLine,
    PlanKind,
    PlanRejected,
    PlanSubmitted,
)
from reintegration_contracts.events.training import CourseKind, TrainingEnrolled
from reintegration_contracts.types import Locality
from reintegration_sdk.testing.service import eventually, publish, upstream_event

pytestmark = pytest.mark.integration

TENKODOGO = Locality(region="Centre-Est", commune="Tenkodogo")


def enrolled(returnee_id: str) -> TrainingEnrolled:
    return TrainingEnrolled(
        cohort_id=uuid4(),
        returnee_id=UUID(returnee_id),
        kind=CourseKind.ENTREPRENEURSHIP,
        enrolled_on=date.today(),
    )


def submitted(plan_id: UUID, returnee_ids: list[str]) -> PlanSubmitted:
    return PlanSubmitted(
        plan_id=plan_id,
        kind=PlanKind.COLLECTIVE,
        beneficiary_ids=[UUID(i) for i in returnee_ids],
        sector="livestock",
        trade="livestock_fattening",
        locality=TENKODOGO,
        budget_lines=[BudgetLine(item="sheep", quantity=10, unit_cost=60_000)],
        currency="XOF",
        submitted_on=date.today(),
    )


async def test_the_caseload_filters_and_exports_without_personal_data(
    intake: IntakeUnderTest,
) -> None:
    sub_office = "desk_" + unique_letters().lower()
    woman = a_registration_body(sub_office=sub_office, sex="female")
    man = a_registration_body(
        sub_office=sub_office,
        sex="male",
        community={"region": "Plateau-Central", "commune": "Ziniaré"},
        vulnerabilities=["disability"],
        person=a_person_body(birth_date="1999-01-01"),
    )
    woman_id = (await intake.register(woman))["returnee_id"]
    man_id = (await intake.register(man))["returnee_id"]

    def listed(query: str) -> set[str]:
        return {c["returnee_id"] for c in answers[query]}

    answers = {}
    for query in ["", "&sex=male", "&vulnerability=single_parent", "&commune=ziniaré",
                  "&stage=registered", "&stage=plan_approved"]:  # fmt: skip
        answer = await intake.http.get(
            intake.url(f"/returnees?sub_office={sub_office}{query}"), headers=intake.headers()
        )
        assert answer.status_code == 200, answer.text
        answers[query] = answer.json()
    assert listed("") == {woman_id, man_id}
    assert listed("&sex=male") == listed("&commune=ziniaré") == {man_id}
    assert listed("&vulnerability=single_parent") == {woman_id}
    assert listed("&stage=registered") == {woman_id, man_id}
    assert listed("&stage=plan_approved") == set()

    exported = await intake.http.get(
        intake.url(f"/returnees?sub_office={sub_office}&format=csv"), headers=intake.headers()
    )
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert {r["returnee_id"]: r["age_band"] for r in rows}[man_id] == answers["&sex=male"][0][
        "age_band"
    ]
    assert man["person"]["family_name"] not in exported.text


async def test_a_bad_filter_is_named(intake: IntakeUnderTest) -> None:
    answer = await intake.http.get(
        intake.url("/returnees?stage=graduated&limit=0"), headers=intake.headers()
    )

    assert answer.status_code == 422
    assert {f["field"] for f in answer.json()["fields"]} == {"query.stage", "query.limit"}


async def test_other_services_events_move_the_case_forward(intake: IntakeUnderTest) -> None:
    returnee_id = (await intake.register())["returnee_id"]
    partner_id = (await intake.register())["returnee_id"]
    plan_id = uuid4()
    case = intake.url(f"/returnees/{returnee_id}")

    await publish(intake.infrastructure, [upstream_event(enrolled(returnee_id), intake.office)])

    async def stage_is(expected: str, url: str = case) -> None:
        answer = await intake.http.get(url, headers=intake.headers())
        assert answer.json()["stage"] == expected

    await eventually(lambda: stage_is("in_training"))
    # A collective plan for both, then rejected: PlanRejected names only the plan.
    await publish(
        intake.infrastructure,
        [
            upstream_event(submitted(plan_id, [returnee_id, partner_id]), intake.office),
            upstream_event(
                PlanRejected(
                    plan_id=plan_id,
                    session_id=uuid4(),
                    rejected_on=date.today(),
                    reasons=["market_saturated"],
                ),
                intake.office,
            ),
        ],
    )
    await eventually(lambda: stage_is("plan_rejected"))
    await eventually(lambda: stage_is("plan_rejected", intake.url(f"/returnees/{partner_id}")))


async def test_an_event_about_an_unknown_or_foreign_returnee_changes_nothing(
    intake: IntakeUnderTest,
) -> None:
    ours = (await intake.register())["returnee_id"]
    stranger = str(uuid4())
    # The other office reports about our returnee (wrong office) and about a stranger; then a
    # genuine event proves the consumer went past both without stopping.
    events: list[EventEnvelope] = [
        upstream_event(enrolled(ours), intake.other_office),
        upstream_event(enrolled(stranger), intake.office),
    ]
    await publish(intake.infrastructure, events)
    marker = (await intake.register())["returnee_id"]
    await publish(intake.infrastructure, [upstream_event(enrolled(marker), intake.office)])

    async def marker_moved() -> None:
        answer = await intake.http.get(intake.url(f"/returnees/{marker}"), headers=intake.headers())
        assert answer.json()["stage"] == "in_training"

    await eventually(marker_moved)
    answer = await intake.http.get(intake.url(f"/returnees/{ours}"), headers=intake.headers())
    assert answer.json()["stage"] == "registered"
    dead = await intake.db.fetchval("SELECT count(*) FROM dead_letters")
    assert dead == 0
