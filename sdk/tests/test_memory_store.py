"""The in-memory event store against the real one: the same appends, the same refusals and
the same streams read back, so the middle tier tests what production runs."""

from datetime import date
from uuid import UUID

import asyncpg
import pytest
from visits_desk.contract import HomeVisitRecorded, VisitOutcome, VisitPurpose

from reintegration_sdk import ConcurrencyError, EventStore
from reintegration_sdk.commands import StreamStore
from reintegration_sdk.eventstore import EventContext
from reintegration_sdk.testing.memory import NO_DATABASE, InMemoryEventStore

pytestmark = pytest.mark.integration
STREAM = "home-visits-00000000-0000-0000-0000-0000000000aa"


def visit(number: int) -> HomeVisitRecorded:
    return HomeVisitRecorded(
        visit_id=UUID(int=number),
        returnee_id=UUID("00000000-0000-0000-0000-0000000000aa"),
        visited_on=date(2018, 10, number),
        purpose=VisitPurpose.HOUSING,
        outcome=VisitOutcome.DOING_WELL,
        referral_needed=False,
    )


async def play(store: StreamStore, db: asyncpg.Connection) -> list[object]:
    context = EventContext.new("ml", "caseworker-1")
    outcomes: list[object] = []
    await store.append(db, STREAM, 0, [visit(1), visit(2)], context)
    for expected in (0, 1, 2, 2):
        try:
            await store.append(db, STREAM, expected, [visit(3)], context)
            outcomes.append("appended")
        except ConcurrencyError as error:
            outcomes.append(("refused", error.expected))
    loaded = await store.load(db, STREAM)
    outcomes.append([(e.version, e.country_office, e.actor, e.payload()) for e in loaded])
    outcomes.append(await store.load(db, "no-such-stream"))
    return outcomes


async def test_the_in_memory_store_behaves_as_the_real_one(pool: asyncpg.Pool) -> None:
    async with pool.acquire() as db:
        real = await play(EventStore(notify=False), db)
    in_memory = await play(InMemoryEventStore(), NO_DATABASE)

    assert in_memory == real
    assert real[:4] == [("refused", 0), ("refused", 1), "appended", ("refused", 2)]
    assert [version for version, *_ in real[4]] == [1, 2, 3]  # type: ignore[attr-defined]
    assert real[5] == []
