"""The read-model property test itself: its orders keep every stream's order, its redeliveries
come after their originals, and it catches a read model that depends on order or counts a
redelivered event twice."""

import contextlib
import random
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date, timedelta
from pathlib import Path
from uuid import UUID, uuid4

import asyncpg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sdk_builders import follow_up

from reintegration_contracts import Domain, EventEnvelope
from reintegration_contracts.events.monitoring import FollowUpRecorded
from reintegration_sdk.database import SDK_MIGRATIONS
from reintegration_sdk.dispatch import EventHandlers
from reintegration_sdk.events import EventMeta
from reintegration_sdk.testing.interleavings import (
    MODES,
    Interleaving,
    OrderDependence,
    ReadModelHarness,
    ReadModels,
    interleave,
    read_model_harness,
    streams_of,
    with_redeliveries,
)
from reintegration_sdk.testing.service import upstream_event

# Streams of (stream, index) pairs: an event knows its stream and its place in it.
streams_strategy = st.lists(st.integers(min_value=1, max_value=6), min_size=1, max_size=8).map(
    lambda lengths: [[(s, i) for i in range(n)] for s, n in enumerate(lengths)]
)


def _in_stream_order(order: list[tuple[int, int]]) -> bool:
    last: dict[int, int] = {}
    for stream, index in order:
        if index != last.get(stream, -1) + 1:
            return False
        last[stream] = index
    return True


@pytest.mark.unit
@settings(max_examples=100)
@given(streams=streams_strategy, mode=st.sampled_from(MODES), seed=st.integers(0, 2**16))
def test_every_mode_is_a_merge_that_keeps_each_stream_in_order(
    streams: list[list[tuple[int, int]]], mode: str, seed: int
) -> None:
    order = interleave(
        streams, random.Random(seed), mode, group=lambda e: str(e[0] % 2), rank=lambda e: e[1]
    )
    assert sorted(order) == sorted(e for s in streams for e in s)
    assert _in_stream_order(order)


@pytest.mark.unit
@settings(max_examples=100)
@given(
    streams=streams_strategy,
    seed=st.integers(0, 2**16),
    share=st.sampled_from([0.0, 0.3, 1.0]),
)
def test_a_redelivery_replays_a_stream_from_some_event_on_after_the_originals(
    streams: list[list[tuple[int, int]]], seed: int, share: float
) -> None:
    rng = random.Random(seed)
    merged = interleave(streams, rng)
    delivered = with_redeliveries(merged, rng, share, stream=lambda e: str(e[0]))
    seen: set[tuple[int, int]] = set()
    firsts: list[tuple[int, int]] = []
    copies: list[tuple[int, int]] = []
    for event in delivered:
        (copies if event in seen else firsts).append(event)
        seen.add(event)
    assert firsts == merged  # the first deliveries are the merge itself
    for copied in streams_of(copies, lambda e: str(e[0])):
        stream, start = copied[0]
        assert copied == streams[stream][start:]  # in order, from some event to the last
    if share == 1.0:
        assert {c[0] for c in copies} == {s[0][0] for s in streams}


@pytest.mark.unit
def test_the_modes_give_different_orders() -> None:
    streams = [[(s, i) for i in range(5)] for s in range(6)]
    orders = {tuple(interleave(streams, random.Random(seed), "shuffled")) for seed in range(20)}
    assert len(orders) > 15
    latest = interleave(streams, random.Random(0), "latest_first", rank=lambda e: e[0] * 5 + e[1])
    assert latest[:5] == streams[-1]  # the stream that came last goes first


# --- The harness against the real database ---------------------------------------------------

VISITS = "CREATE TABLE last_visits (returnee_id uuid PRIMARY KEY, visited_on date NOT NULL);\n"
COUNTS = "CREATE TABLE visit_counts (returnee_id uuid PRIMARY KEY, visits int NOT NULL);\n"


def _read_models(tmp: Path, name: str, handlers: EventHandlers) -> ReadModels:
    folder = tmp / name
    folder.mkdir()
    (folder / "001_toy.sql").write_text(VISITS + COUNTS)
    return ReadModels(
        name=name,
        domain=Domain.MONITORING.value,
        projections=(handlers,),
        reactions=None,
        consumes=frozenset(),
        migrations=(("sdk", SDK_MIGRATIONS), (name, folder)),
    )


def _order_dependent() -> EventHandlers:
    """The last visit to arrive wins: wrong once visits of two streams cross."""
    handlers = EventHandlers("last-arrival", tables=["last_visits"])

    @handlers.on(FollowUpRecorded)
    async def on_visit(db: asyncpg.Connection, event: FollowUpRecorded, meta: EventMeta) -> None:
        await db.execute(
            """INSERT INTO last_visits VALUES ($1, $2)
               ON CONFLICT (returnee_id) DO UPDATE SET visited_on = excluded.visited_on""",
            event.returnee_id,
            event.visited_on,
        )

    return handlers


def _counting() -> EventHandlers:
    """Counts deliveries, not visits: wrong once a visit arrives twice."""
    handlers = EventHandlers("counting", tables=["visit_counts"])

    @handlers.on(FollowUpRecorded)
    async def on_visit(db: asyncpg.Connection, event: FollowUpRecorded, meta: EventMeta) -> None:
        await db.execute(
            """INSERT INTO visit_counts VALUES ($1, 1)
               ON CONFLICT (returnee_id) DO UPDATE SET visits = visit_counts.visits + 1""",
            event.returnee_id,
        )

    return handlers


def _latest_visit() -> EventHandlers:
    """The latest visit by its date wins: a function of the set of visits."""
    handlers = EventHandlers("latest-date", tables=["last_visits"])

    @handlers.on(FollowUpRecorded)
    async def on_visit(db: asyncpg.Connection, event: FollowUpRecorded, meta: EventMeta) -> None:
        await db.execute(
            """INSERT INTO last_visits AS v VALUES ($1, $2) ON CONFLICT (returnee_id) DO UPDATE
               SET visited_on = greatest(v.visited_on, excluded.visited_on)""",
            event.returnee_id,
            event.visited_on,
        )

    return handlers


def _visits(returnee_id: UUID) -> list[EventEnvelope]:
    """One returnee's visits, each from a visit stream of its own (as a field team's would)."""
    events = []
    for n in range(4):
        visit = follow_up(returnee_id).model_copy(
            update={"visited_on": date(2025, 1, 1) + timedelta(days=30 * n)}
        )
        events.append(upstream_event(visit, "bf", f"visit-{uuid4()}"))
    return events


EVENTS = [event for _ in range(3) for event in _visits(uuid4())]


Start = Callable[[EventHandlers], Awaitable[ReadModelHarness]]


@pytest.fixture
async def harness_for(fresh_database: str, tmp_path: Path) -> AsyncIterator[Start]:
    async with contextlib.AsyncExitStack() as stack:

        async def start(handlers: EventHandlers) -> ReadModelHarness:
            read_models = _read_models(tmp_path, handlers.name, handlers)
            return await stack.enter_async_context(
                read_model_harness(fresh_database, read_models, EVENTS)
            )

        yield start


def _build(mode: str, seed: int, share: float) -> Interleaving:
    """The order `interleavings(EVENTS)` draws for these three values."""
    streams = streams_of(EVENTS, lambda e: e.subject)
    rank = {e.id: i for i, e in enumerate(EVENTS)}
    rng = random.Random(seed)
    merged = interleave(streams, rng, mode, group=lambda e: e.topic, rank=lambda e: rank[e.id])
    delivered = with_redeliveries(merged, rng, share, lambda e: e.subject)
    return Interleaving(mode, seed, share, delivered)


@pytest.mark.integration
async def test_it_names_the_rows_an_order_dependent_read_model_gets_wrong(
    harness_for: Start,
) -> None:
    harness = await harness_for(_order_dependent())
    with pytest.raises(OrderDependence) as failed:
        await harness.assert_same_rows(_build("latest_first", 0, 0.0))
    assert "last_visits: 3 rows canonically, 3 here" in str(failed.value)
    assert "without its duplicates it also differs" in str(failed.value)


@pytest.mark.integration
async def test_it_catches_a_read_model_that_counts_a_redelivery(harness_for: Start) -> None:
    harness = await harness_for(_counting())
    await harness.assert_same_rows(_build("shuffled", 1, 0.0))  # order alone is fine
    with pytest.raises(OrderDependence) as failed:
        await harness.assert_same_rows(_build("shuffled", 1, 1.0))
    assert "without its duplicates it no longer differs" in str(failed.value)


@pytest.mark.integration
async def test_a_function_of_the_set_of_events_passes_in_every_mode(
    harness_for: Start,
) -> None:
    harness = await harness_for(_latest_visit())
    for seed, mode in enumerate(MODES):
        await harness.assert_same_rows(_build(mode, seed, 1.0))
    assert harness.examples == len(MODES)
    assert len((await harness.canonical_rows())["last_visits"]) == 3
