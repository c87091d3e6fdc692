"""Intake's read models are a function of the set of events: the small scenario's recorded
events, and a returnee's story the scenario does not tell (a plan rejected, then another
submitted), replayed in random interleavings (each stream's order kept) with redeliveries,
leave exactly the rows of the recorded order."""

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from hypothesis import given
from intake_builders import registered

from intake.app import definition
from reintegration_contracts import EventEnvelope, EventPayload
from reintegration_contracts.events.committee import PlanRejected, PlanSubmitted
from reintegration_contracts.events.intake import (
    CommunityMemberRegistered,
    CounsellingAttended,
    CvSupported,
    EmployerKind,
    Facilitator,
    JobFairHeld,
    JobReferralMade,
    JobReferralOutcomeRecorded,
    OrganisationsPresent,
    PsychosocialAssistance,
    PsychosocialAssistanceProvided,
    PsychosocialSessionHeld,
    PsychosocialSessionKind,
    ReferralOutcome,
)
from reintegration_contracts.events.monitoring import FollowUpRecorded
from reintegration_contracts.events.training import TrainingEnrolled
from reintegration_contracts.types import AgeBand, Locality, Sex
from reintegration_sdk.testing.infrastructure import Infrastructure
from reintegration_sdk.testing.interleavings import (
    Interleaving,
    ReadModelHarness,
    ReadModels,
    interleavings,
    order_settings,
    read_model_harness,
)
from reintegration_sdk.testing.plugin import temporary_database
from reintegration_sdk.testing.recording import read_recording, recorded_envelopes
from reintegration_sdk.testing.service import upstream_event

pytestmark = pytest.mark.integration

RECORDING = Path(__file__).parents[3] / "tests" / "recordings" / "small.jsonl"
EVENTS = recorded_envelopes(read_recording(RECORDING))
READ_MODELS = ReadModels.of(definition)


def _plan(plan_id: UUID, returnee_id: UUID, on: date) -> PlanSubmitted:
    return PlanSubmitted(
        plan_id=plan_id,
        kind="individual",
        beneficiary_ids=[returnee_id],
        sector="crafts",
        trade="tailoring",
        locality=Locality(region="Centre-Est", commune="Tenkodogo"),
        budget_lines=[{"item": "sewing_machine", "quantity": 1, "unit_cost": 90000}],
        currency="XOF",
        submitted_on=on,
    )


def _visit(returnee_id: UUID, on: date) -> FollowUpRecorded:
    return FollowUpRecorded(
        visit_id=uuid4(),
        returnee_id=returnee_id,
        visited_on=on,
        activity_running=True,
        monthly_revenue_band="medium",
        monthly_profit_band="low",
        jobs_created=0,
        support_needed=False,
        satisfaction=4,
        caseworker="caseworker-1",
    )


def resubmission_story(office: str = "bf") -> list[EventEnvelope]:
    """Two trainings, a plan rejected and another submitted; and a neighbour followed up."""
    amina, bila, first, second = uuid4(), uuid4(), uuid4(), uuid4()
    cohorts = uuid4(), uuid4()

    def on(stream: str, payload: EventPayload) -> EventEnvelope:
        return upstream_event(payload, office, stream)

    return [
        on(f"returnee-{amina}", registered(amina)),
        on(f"returnee-{bila}", registered(bila)),
        on(
            f"returnee-{amina}",
            CounsellingAttended(
                returnee_id=amina,
                session_id=uuid4(),
                attended_on=date(2025, 3, 3),
                days_since_arrival=28,
            ),
        ),
        *(
            on(
                f"cohort-{cohort}",
                TrainingEnrolled(
                    cohort_id=cohort, returnee_id=amina, kind=kind, enrolled_on=date(2025, 3, day)
                ),
            )
            for cohort, kind, day in zip(
                cohorts, ["entrepreneurship", "vocational"], [10, 20], strict=True
            )
        ),
        on(f"plan-{first}", _plan(first, amina, date(2025, 4, 1))),
        on(
            f"plan-{first}",
            PlanRejected(
                plan_id=first,
                session_id=uuid4(),
                rejected_on=date(2025, 4, 20),
                reasons=["market_saturated"],
            ),
        ),
        on(f"plan-{second}", _plan(second, amina, date(2025, 5, 2))),
        on(f"follow-ups-{bila}", _visit(bila, date(2025, 6, 1))),
        on(f"follow-ups-{bila}", _visit(bila, date(2025, 7, 1))),
    ]


STORY = resubmission_story()


def job_path_story(office: str = "bf") -> list[EventEnvelope]:
    """#20, which the recording does not tell: a community member and a returnee in a
    psychosocial session, assistance, a job fair, a CV, a referral from the fair and its
    outcomes."""
    amina, member, session, fair, referral = uuid4(), uuid4(), uuid4(), uuid4(), uuid4()
    where = Locality(region="Centre-Est", commune="Tenkodogo")

    def on(stream: str, payload: EventPayload) -> EventEnvelope:
        return upstream_event(payload, office, stream)

    def outcome(kind: ReferralOutcome, day: int) -> EventEnvelope:
        return on(f"returnee-{amina}", JobReferralOutcomeRecorded(
            referral_id=referral, returnee_id=amina, outcome=kind,
            recorded_on=date(2025, 4, day)))  # fmt: skip

    return [
        on(f"returnee-{amina}", registered(amina)),
        on(f"community-member-{member}", CommunityMemberRegistered(
            member_id=member, registered_on=date(2025, 3, 1), community=where, sex=Sex.FEMALE,
            age_band=AgeBand.AGE_18_24, is_minor=False)),
        on(f"psychosocial-session-{session}", PsychosocialSessionHeld(
            session_id=session, kind=PsychosocialSessionKind.GROUP, held_on=date(2025, 3, 4),
            community=where, facilitator=Facilitator.PEER_SUPPORTER,
            participant_ids=[amina, member])),
        on(f"returnee-{amina}", PsychosocialAssistanceProvided(
            returnee_id=amina, provided_on=date(2025, 3, 5),
            forms=[PsychosocialAssistance.FAMILY_MEDIATION])),
        on(f"job-fair-{fair}", JobFairHeld(
            fair_id=fair, held_on=date(2025, 3, 20), locality=where,
            organisations=[OrganisationsPresent(kind=EmployerKind.EMPLOYER, count=4)],
            participant_ids=[amina], young_people_present=25)),
        on(f"returnee-{amina}", CvSupported(returnee_id=amina, supported_on=date(2025, 3, 18))),
        on(f"returnee-{amina}", JobReferralMade(
            referral_id=referral, returnee_id=amina, referred_on=date(2025, 3, 21),
            to_kind=EmployerKind.EMPLOYER, sector="retail", fair_id=fair)),
        outcome(ReferralOutcome.INTERVIEW, 2),
        outcome(ReferralOutcome.OFFER, 9),
        outcome(ReferralOutcome.HIRED, 15),
    ]  # fmt: skip


JOB_PATH = job_path_story()


@pytest.fixture(scope="module")
async def harness(infrastructure: Infrastructure) -> AsyncIterator[ReadModelHarness]:
    async with (
        temporary_database(infrastructure, prefix="order_intake") as url,
        read_model_harness(url, READ_MODELS, EVENTS) as harness,
    ):
        yield harness


@pytest.fixture(scope="module")
async def story(infrastructure: Infrastructure) -> AsyncIterator[ReadModelHarness]:
    async with (
        temporary_database(infrastructure, prefix="order_intake_story") as url,
        read_model_harness(url, READ_MODELS, STORY) as harness,
    ):
        yield harness


@pytest.fixture(scope="module")
async def job_path(infrastructure: Infrastructure) -> AsyncIterator[ReadModelHarness]:
    async with (
        temporary_database(infrastructure, prefix="order_intake_paths") as url,
        read_model_harness(url, READ_MODELS, JOB_PATH) as harness,
    ):
        yield harness


async def test_the_recording_and_the_job_path_fill_every_read_model(
    harness: ReadModelHarness, job_path: ReadModelHarness
) -> None:
    recorded, paths = await harness.canonical_rows(), await job_path.canonical_rows()
    empty = [table for table in READ_MODELS.tables if not recorded[table] and not paths[table]]
    assert empty == []


@order_settings(max_examples=25)
@given(order=interleavings(JOB_PATH))
async def test_the_job_path_does_not_depend_on_arrival_order(
    job_path: ReadModelHarness, order: Interleaving
) -> None:
    await job_path.assert_same_rows(order)


@order_settings(max_examples=25)
@given(order=interleavings(EVENTS))
async def test_read_models_do_not_depend_on_arrival_order(
    harness: ReadModelHarness, order: Interleaving
) -> None:
    await harness.assert_same_rows(order)


async def test_a_plan_submitted_again_puts_the_case_back_before_the_committee(
    story: ReadModelHarness,
) -> None:
    caseload = (await story.canonical_rows())["caseload"]
    assert len(caseload) == 2
    assert sum(",plan_submitted," in row for row in caseload) == 1
    assert sum(",followed_up," in row for row in caseload) == 1


@order_settings(max_examples=40)
@given(order=interleavings(STORY))
async def test_a_resubmission_gives_one_stage_in_any_order(
    story: ReadModelHarness, order: Interleaving
) -> None:
    await story.assert_same_rows(order)
