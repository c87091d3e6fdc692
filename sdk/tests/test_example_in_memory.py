"""The desk in the middle tier: its decider on the SDK's command path with the event store in
memory, and its inbox reaction fed by FastStream's TestKafkaBroker instead of a broker."""

from dataclasses import replace
from datetime import date
from pathlib import Path
from uuid import UUID

import asyncpg
import pytest
from faststream.kafka import TestKafkaBroker
from visits_desk.contract import HomeVisitRecorded, VisitOutcome, VisitPurpose
from visits_desk.domain import RecordVisit, home_visits, visits_stream
from visits_desk.handlers import record_visit
from visits_desk.reactions import reactions

from reintegration_contracts.events.intake import ReturneeRegistered
from reintegration_contracts.types import AgeBand, Locality, ReturnType, Sex
from reintegration_sdk import ConcurrencyError, RuleViolation
from reintegration_sdk.testing.memory import (
    InMemoryEventStore,
    deliver,
    in_memory_work,
    reaction_broker,
)
from reintegration_sdk.testing.service import upstream_event

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "visits_desk"
OFFICE, OTHER_OFFICE = "ml", "bf"
RETURNEE = UUID("00000000-0000-0000-0000-0000000000aa")
VISIT = UUID("00000000-0000-0000-0000-000000000001")
ARRIVAL = date(2018, 5, 2)


def a_command(**changes: object) -> RecordVisit:
    command = RecordVisit(
        visit_id=VISIT,
        returnee_id=RETURNEE,
        visited_on=date(2018, 10, 2),
        purpose=VisitPurpose.PSYCHOSOCIAL,
        outcome=VisitOutcome.NEEDS_SUPPORT,
        referral_needed=True,
        today=date(2018, 10, 3),
        arrival_date=ARRIVAL,
    )
    return replace(command, **changes)


def recorded(**changes: object) -> HomeVisitRecorded:
    values: dict[str, object] = {
        "visit_id": VISIT,
        "returnee_id": RETURNEE,
        "visited_on": date(2018, 10, 2),
        "purpose": VisitPurpose.PSYCHOSOCIAL,
        "outcome": VisitOutcome.NEEDS_SUPPORT,
        "referral_needed": True,
    }
    return HomeVisitRecorded.model_validate({**values, **changes})


@pytest.mark.middle
async def test_a_visit_is_appended_and_a_second_record_of_it_refused() -> None:
    store = InMemoryEventStore()
    work = in_memory_work(store, OFFICE, actor="caseworker-1")

    assert await work.execute(home_visits, visits_stream(RETURNEE), a_command()) == [recorded()]
    with pytest.raises(RuleViolation) as refusal:
        await work.execute(home_visits, visits_stream(RETURNEE), a_command())

    assert refusal.value.rule == "visit_already_recorded"
    assert store.payloads(visits_stream(RETURNEE)) == [recorded()]
    [stored] = store.events()
    assert (stored.country_office, stored.actor, stored.version) == (OFFICE, "caseworker-1", 1)


@pytest.mark.middle
async def test_a_returnee_of_another_office_is_a_taken_id() -> None:
    store = InMemoryEventStore()
    await store.given(visits_stream(RETURNEE), [recorded()], OTHER_OFFICE)
    work = in_memory_work(store, OFFICE)

    # The other office's visits read as none, so the domain accepts; the append may not.
    with pytest.raises(ConcurrencyError):
        await work.execute(home_visits, visits_stream(RETURNEE), a_command(visit_id=UUID(int=2)))

    assert store.payloads(visits_stream(RETURNEE)) == [recorded()]


@pytest.mark.middle
async def test_the_handler_that_reads_a_read_model_belongs_to_the_integration_tier() -> None:
    work = in_memory_work(InMemoryEventStore(), OFFICE)

    with pytest.raises(RuntimeError, match="integration tier"):
        await record_visit(work, a_command(arrival_date=None))


@pytest.mark.integration
async def test_registered_returnees_reach_the_read_model_through_test_kafka_broker(
    fresh_database: str,
) -> None:
    # Kafka in memory, the read model in a real database: the reaction is SQL.
    db = await asyncpg.connect(fresh_database)
    try:
        await db.execute((EXAMPLE / "migrations" / "001_read_models.sql").read_text())
        registered = upstream_event(
            ReturneeRegistered(
                returnee_id=RETURNEE,
                arrival_date=ARRIVAL,
                return_type=ReturnType.ASSISTED_VOLUNTARY,
                community=Locality(region="Kayes", commune="Kayes"),
                sex=Sex.FEMALE,
                age_band=AgeBand.AGE_25_34,
                is_minor=False,
                household_size=4,
            ),
            OFFICE,
            f"returnee-{RETURNEE}",
        )
        broker = reaction_broker(reactions, [registered.topic], db=db)

        async with TestKafkaBroker(broker):
            await deliver(broker, registered)
            await deliver(broker, registered)

        rows = await db.fetch("SELECT * FROM registered_returnees")
        assert [dict(row) for row in rows] == [
            {"returnee_id": RETURNEE, "country_office": OFFICE, "arrival_date": ARRIVAL}
        ]
    finally:
        await db.close()
