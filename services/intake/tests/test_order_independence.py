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
from reintegration_contracts.events.intake import CounsellingAttended
from reintegration_contracts.events.monitoring import FollowUpRecorded
from reintegration_contracts.events.training import TrainingEnrolled
from reintegration_contracts.types import Locality
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


async def test_the_recording_fills_every_read_model(harness: ReadModelHarness) -> None:
    rows = await harness.canonical_rows()
    empty = [table for table in READ_MODELS.tables if not rows[table]]
    assert empty == []


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
