"""Committee's read models are a function of the set of events: the small scenario's recorded
events, and a returnee's plan rejected then another submitted (which the scenario does not
play), replayed in random interleavings (each stream's order kept) with redeliveries, leave
exactly the rows of the recorded order."""

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from hypothesis import given

from committee.app import definition
from reintegration_contracts import EventEnvelope
from reintegration_contracts.events.committee import PlanRejected, PlanSubmitted
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


def _plan(plan_id: UUID, returnee_id: UUID, on: date) -> EventEnvelope:
    submitted = PlanSubmitted(
        plan_id=plan_id,
        kind="individual",
        beneficiary_ids=[returnee_id],
        sector="crafts",
        trade="tailoring",
        locality=Locality(region="Centre-Est", commune="Tenkodogo"),
        budget_lines=[{"item": "sewing_machine", "quantity": 1, "unit_cost": 90000}],
        in_kind_contribution=[{"kind": "workspace", "value": 60000}],
        currency="XOF",
        submitted_on=on,
    )
    return upstream_event(submitted, "bf", f"plan-{plan_id}")


def resubmission_story() -> list[EventEnvelope]:
    """A returnee's first plan rejected, the second submitted: in the store's order the
    rejection comes first; another order passes through two open plans at once."""
    awa, first, second = uuid4(), uuid4(), uuid4()
    rejected = PlanRejected(
        plan_id=first, session_id=uuid4(), rejected_on=date(2025, 4, 20), reasons=["not_viable"]
    )
    return [
        _plan(first, awa, date(2025, 4, 1)),
        upstream_event(rejected, "bf", f"plan-{first}"),
        _plan(second, awa, date(2025, 5, 2)),
    ]


STORY = resubmission_story()


@pytest.fixture(scope="module")
async def harness(infrastructure: Infrastructure) -> AsyncIterator[ReadModelHarness]:
    async with (
        temporary_database(infrastructure, prefix="order_committee") as url,
        read_model_harness(url, READ_MODELS, EVENTS) as harness,
    ):
        yield harness


@pytest.fixture(scope="module")
async def story(infrastructure: Infrastructure) -> AsyncIterator[ReadModelHarness]:
    async with (
        temporary_database(infrastructure, prefix="order_committee_story") as url,
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


@order_settings(max_examples=30)
@given(order=interleavings(STORY))
async def test_a_plan_submitted_after_a_rejection_in_any_order(
    story: ReadModelHarness, order: Interleaving
) -> None:
    await story.assert_same_rows(order)
