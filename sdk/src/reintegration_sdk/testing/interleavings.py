"""The read-model property test: the same rows whatever order the events arrive in.

A read model must be a function of the set of events: one stream's order is kept (a stream is
one Kafka key, so one partition), but events of different streams and topics arrive in any
interleaving, and any event may arrive again (a redelivery, monitoring reading its own events
from Kafka after its store applied them, a rebuild over a live run). This module checks that
property for a service's read models, with hypothesis (a duplicate comes after its original,
as part of an in-order redelivery of its stream from some event on: `with_redeliveries`):

    from hypothesis import given
    from reintegration_sdk.testing.interleavings import (
        ReadModels, interleavings, order_settings, read_model_harness)
    from reintegration_sdk.testing.recording import read_recording, recorded_envelopes

    EVENTS = recorded_envelopes(read_recording(Path("tests/recordings/small.jsonl")))
    READ_MODELS = ReadModels.of(definition)

    @pytest.fixture(scope="module")
    async def harness(infrastructure):
        async with temporary_database(infrastructure) as url:
            async with read_model_harness(url, READ_MODELS, EVENTS) as harness:
                yield harness

    @order_settings(max_examples=30)
    @given(order=interleavings(EVENTS))
    async def test_read_models_do_not_depend_on_order(harness, order):
        await harness.assert_same_rows(order)

pytest-asyncio runs an async `@given` test on its event loop, one example after the other
(asyncio_mode=auto marks it like any coroutine test). The harness runs the service's
migrations once in a fresh schema of the test's database; each example applies its events to
the service's read-model handlers from that freshly migrated state (in a transaction rolled
back afterwards, sequences reset, so nothing is left from the example before), snapshots the
read-model tables with `projections.table_snapshot` and compares them with the rows of the
canonical order (the recording's own). Duplicates go straight to the handlers, not through
the inbox: read models must be idempotent on their own. Policies
(`ServiceDefinition.policies`) are not applied: they execute commands and run only live.
"""

import contextlib
import os
import random
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID, uuid4

import asyncpg
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

from reintegration_contracts import EventEnvelope, EventPayload
from reintegration_contracts.topics import domain_name
from reintegration_sdk.database import SDK_MIGRATIONS, create_pool, migration_files
from reintegration_sdk.dispatch import EventHandlers
from reintegration_sdk.events import EventMeta
from reintegration_sdk.projections import table_snapshot
from reintegration_sdk.service import ServiceDefinition

T = TypeVar("T")
Snapshot = dict[str, list[str]]

# How an interleaving is drawn. Each mode stresses another assumption a read model may make.
MODES = (
    # Uniform over all merges of the streams: the typical busy machine.
    "shuffled",
    # One whole topic after another, topics in a random order: a consumer that catches up on
    # one partition before the next, or a rebuild that replays topic by topic.
    "topic_by_topic",
    # Whole streams in a random order: every fact about one thing before anything else.
    "stream_by_stream",
    # The stream whose next event came last in the canonical order goes first: as near the
    # reverse of the order things happened as stream order allows.
    "latest_first",
)


class Interleaving:
    """One order of the recorded events, and how it was drawn.

    Not a dataclass: hypothesis prints a failing example's dataclass field by field, and the
    events would fill the screen; the three values that rebuild the order are enough."""

    __slots__ = ("duplicate_share", "events", "mode", "seed")

    def __init__(
        self, mode: str, seed: int, duplicate_share: float, events: Sequence[EventEnvelope]
    ) -> None:
        self.mode = mode
        self.seed = seed
        self.duplicate_share = duplicate_share
        self.events = tuple(events)

    def __repr__(self) -> str:
        return (
            f"Interleaving(mode={self.mode!r}, seed={self.seed}, "
            f"duplicate_share={self.duplicate_share})"
        )

    @property
    def duplicates(self) -> int:
        return len(self.events) - len({e.id for e in self.events})

    def without_duplicates(self) -> "Interleaving":
        seen: set[UUID] = set()
        first: list[EventEnvelope] = []
        for event in self.events:
            if event.id not in seen:
                seen.add(event.id)
                first.append(event)
        return Interleaving(self.mode, self.seed, 0.0, first)


def streams_of(events: Sequence[T], stream: Callable[[T], str]) -> list[list[T]]:
    """Events grouped by stream, each stream in the order of `events`, streams by first
    appearance."""
    grouped: dict[str, list[T]] = {}
    for event in events:
        grouped.setdefault(stream(event), []).append(event)
    return list(grouped.values())


def interleave(
    streams: Sequence[Sequence[T]],
    rng: random.Random,
    mode: str = "shuffled",
    group: Callable[[T], str] | None = None,
    rank: Callable[[T], int] | None = None,
) -> list[T]:
    """One merge of `streams` that keeps each stream's order.

    `group` names a stream's topic (for "topic_by_topic"); `rank` is an event's place in the
    canonical order (for "latest_first")."""
    if mode == "shuffled":
        return _shuffled_merge(streams, rng)
    if mode == "stream_by_stream":
        order = list(streams)
        rng.shuffle(order)
        return [event for stream in order for event in stream]
    if mode == "topic_by_topic":
        if group is None:
            raise ValueError("topic_by_topic needs `group`")
        topics = streams_of([s for s in streams if s], lambda s: group(s[0]))
        rng.shuffle(topics)
        return [event for topic in topics for event in _shuffled_merge(topic, rng)]
    if mode == "latest_first":
        if rank is None:
            raise ValueError("latest_first needs `rank`")
        return _latest_first(streams, rank)
    raise ValueError(f"unknown interleaving mode {mode!r}")


def with_redeliveries(
    events: Sequence[T], rng: random.Random, share: float, stream: Callable[[T], str]
) -> list[T]:
    """`events` with about `share` of their streams delivered again from some event on.

    A redelivery replays a stream's events from a random one to its last, in the stream's
    order, each copy somewhere after its original: that is how Kafka redelivers after a commit
    that was lost, how a service that reads its own topic sees again what its store applied,
    and how a rebuild replays over rows a live run wrote."""
    keyed: list[tuple[float, int, int, T]] = [(float(i), 0, i, e) for i, e in enumerate(events)]
    by_stream: dict[str, list[int]] = {}
    for index, event in enumerate(events):
        by_stream.setdefault(stream(event), []).append(index)
    for indices in by_stream.values():
        if rng.random() >= share:
            continue
        run = indices[rng.randrange(len(indices)) :]
        # Sorted draws after the run's first original, each pushed past its own original.
        draws = sorted(rng.uniform(run[0], len(events)) for _ in run)
        floor = -1.0
        for original, draw in zip(run, draws, strict=True):
            floor = max(draw, float(original), floor)
            keyed.append((floor, 1, original, events[original]))
    keyed.sort(key=lambda item: item[:3])
    return [event for *_, event in keyed]


def _shuffled_merge(streams: Sequence[Sequence[T]], rng: random.Random) -> list[T]:
    # Drawing the next stream with probability proportional to what it has left makes every
    # merge equally likely.
    slots = [i for i, stream in enumerate(streams) for _ in stream]
    rng.shuffle(slots)
    positions = [0] * len(streams)
    merged = []
    for i in slots:
        merged.append(streams[i][positions[i]])
        positions[i] += 1
    return merged


def _latest_first(streams: Sequence[Sequence[T]], rank: Callable[[T], int]) -> list[T]:
    positions = [0] * len(streams)
    merged: list[T] = []
    total = sum(len(s) for s in streams)
    while len(merged) < total:
        pending = [i for i, s in enumerate(streams) if positions[i] < len(s)]
        i = max(pending, key=lambda i: rank(streams[i][positions[i]]))
        merged.append(streams[i][positions[i]])
        positions[i] += 1
    return merged


def interleavings(
    events: Sequence[EventEnvelope],
    duplicate_shares: Sequence[float] = (0.0, 0.1, 0.3, 1.0),
) -> st.SearchStrategy[Interleaving]:
    """Orders of `events` that keep each stream's (envelope subject's) order, with random
    redeliveries (see `with_redeliveries`); `events` themselves are the canonical order.

    Hypothesis draws the mode, a seed and the share of streams redelivered; the order is built
    from them, so a failing example is reported by three small values and replays exactly."""
    canonical = tuple(events)
    streams = streams_of(canonical, lambda e: e.subject)
    rank = {event.id: index for index, event in enumerate(canonical)}

    @st.composite
    def orders(draw: st.DrawFn) -> Interleaving:
        mode = draw(st.sampled_from(MODES))
        seed = draw(st.integers(min_value=0, max_value=2**32 - 1))
        share = draw(st.sampled_from(tuple(duplicate_shares)))
        rng = random.Random(seed)
        merged = interleave(streams, rng, mode, group=lambda e: e.topic, rank=lambda e: rank[e.id])
        redelivered = with_redeliveries(merged, rng, share, lambda e: e.subject)
        return Interleaving(mode, seed, share, redelivered)

    return orders()


def order_settings(max_examples: int = 25, **overrides: Any) -> settings:
    """Hypothesis settings for the read-model property test: no deadline (an example replays
    hundreds of events against PostgreSQL), no shrinking (a seed does not shrink into a
    smaller order; the failure message names the rows that differ instead).

    `ORDER_EXAMPLES=<n>` in the environment runs n examples instead, for a longer hunt than
    the test suite's bounded one."""
    values: dict[str, Any] = {
        "max_examples": int(os.environ.get("ORDER_EXAMPLES", max_examples)),
        "deadline": None,
        "phases": (Phase.explicit, Phase.reuse, Phase.generate),
        "suppress_health_check": (HealthCheck.too_slow, HealthCheck.function_scoped_fixture),
        **overrides,
    }
    return settings(**values)


@dataclass(frozen=True)
class ReadModels:
    """A service's read-model handlers: what its events and the events it consumes build.

    `projections` take the service's own events (live: in the appending transaction);
    `reactions` take events of the `consumes` domains (live: through the inbox). Monitoring
    consumes its own domain too, so its own events reach both, as they do live."""

    name: str
    domain: str
    projections: tuple[EventHandlers, ...]
    reactions: EventHandlers | None
    consumes: frozenset[str]
    migrations: tuple[tuple[str, Path], ...]

    @classmethod
    def of(cls, definition: ServiceDefinition) -> "ReadModels":
        """The read models of a service as its definition wires them (policies left out)."""
        migrations: list[tuple[str, Path]] = [("sdk", SDK_MIGRATIONS)]
        if definition.migrations is not None:
            migrations.append((definition.name, definition.migrations))
        return cls(
            name=definition.name,
            domain=domain_name(definition.domain),
            projections=definition.store.projections,
            reactions=definition.reactions,
            consumes=frozenset(domain_name(d) for d in definition.consumes),
            migrations=tuple(migrations),
        )

    @property
    def tables(self) -> tuple[str, ...]:
        """Every read-model table, each once, in declaration order."""
        handlers = [*self.projections, *([self.reactions] if self.reactions else [])]
        return tuple(dict.fromkeys(t for h in handlers for t in h.tables))

    def handlers_for(self, envelope: EventEnvelope) -> list[EventHandlers]:
        chosen: list[EventHandlers] = []
        if envelope.domain == self.domain:
            chosen.extend(p for p in self.projections if p.handles(envelope.event_name))
        reactions = self.reactions
        if (
            reactions is not None
            and envelope.domain in self.consumes
            and reactions.handles(envelope.event_name)
        ):
            chosen.append(reactions)
        return chosen


class OrderDependence(AssertionError):
    """Two orders of the same events left different rows (or one of them failed)."""


class ReadModelHarness:
    """Applies orders of one set of events to a service's read models and compares rows."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        read_models: ReadModels,
        events: Sequence[EventEnvelope],
        tables: Sequence[str] | None = None,
    ) -> None:
        self._pool = pool
        self.read_models = read_models
        self.events = tuple(events)
        self.tables = tuple(tables) if tables is not None else read_models.tables
        self._decoded: dict[UUID, tuple[EventPayload, EventMeta]] = {}
        self._canonical: Snapshot | None = None
        self._schema = f"read_models_{uuid4().hex[:12]}"
        self._sequences: list[str] = []
        self.examples = 0

    async def canonical_rows(self) -> Snapshot:
        """The rows after the events in their canonical order (computed once)."""
        if self._canonical is None:
            self._canonical = await self.rows_after(self.events)
            if not any(self._canonical.values()):
                raise OrderDependence(
                    f"{self.read_models.name}: the events leave every read-model table empty; "
                    "the recording does not exercise these read models"
                )
        return self._canonical

    async def rows_after(self, events: Sequence[EventEnvelope]) -> Snapshot:
        """Apply `events` in this order from the freshly migrated state; every read-model
        table's rows. The example's transaction is rolled back, leaving the schema fresh."""
        async with self._pool.acquire() as db:
            transaction = db.transaction()
            await transaction.start()
            try:
                await db.execute(f'SET LOCAL search_path TO "{self._schema}"')
                # Sequences ignore the rollback: every example starts them where a fresh
                # schema would.
                for sequence in self._sequences:
                    await db.execute("SELECT setval($1::regclass, 1, false)", sequence)
                for index, envelope in enumerate(events):
                    await self._apply(db, envelope, index)
                return await table_snapshot(db, self.tables)
            finally:
                await transaction.rollback()

    async def migrate(self) -> None:
        """Create the harness's schema and run every migration in it, once."""
        async with self._pool.acquire() as db, db.transaction():
            await db.execute(f'CREATE SCHEMA "{self._schema}"')
            await db.execute(f'SET LOCAL search_path TO "{self._schema}"')
            for _source, folder in self.read_models.migrations:
                for _number, path in migration_files(folder):
                    await db.execute(path.read_text())
            self._sequences = [
                f'"{self._schema}"."{row["sequence_name"]}"'
                for row in await db.fetch(
                    """SELECT sequence_name FROM information_schema.sequences
                       WHERE sequence_schema = $1""",
                    self._schema,
                )
            ]

    async def drop(self) -> None:
        async with self._pool.acquire() as db:
            await db.execute(f'DROP SCHEMA IF EXISTS "{self._schema}" CASCADE')

    async def assert_same_rows(self, order: Interleaving) -> None:
        """Fail, naming the differing rows, unless `order` leaves the canonical rows."""
        expected = await self.canonical_rows()
        self.examples += 1
        got = await self.rows_after(order.events)
        if got == expected:
            return
        verdict = "also" if order.duplicates == 0 else "still"
        if order.duplicates:
            plain = await self.rows_after(order.without_duplicates().events)
            verdict = "still" if plain != expected else "no longer"
        raise OrderDependence(
            f"{self.read_models.name}: {order!r} ({len(order.events)} events, "
            f"{order.duplicates} duplicates) leaves other rows than the canonical order; "
            f"without its duplicates it {verdict} differs.\n{describe_difference(expected, got)}"
        )

    async def _apply(self, db: asyncpg.Connection, envelope: EventEnvelope, index: int) -> None:
        decoded = self._decoded.get(envelope.id)
        if decoded is None:
            decoded = self._decoded[envelope.id] = (
                envelope.payload(),
                EventMeta.of_envelope(envelope),
            )
        payload, meta = decoded
        for handlers in self.read_models.handlers_for(envelope):
            try:
                await handlers.apply(db, payload, meta)
            except Exception as error:
                raise OrderDependence(
                    f"{handlers.name} failed on event {index} ({envelope.event_name} "
                    f"{envelope.id} of stream {envelope.subject}): {error!r}"
                ) from error


def describe_difference(expected: Snapshot, got: Snapshot, limit: int = 5) -> str:
    """Per table, the rows only the canonical order left and the rows only the other left."""
    lines = []
    for table in expected:
        want, have = set(expected[table]), set(got.get(table, []))
        if want == have and len(expected[table]) == len(got.get(table, [])):
            continue
        missing, extra = sorted(want - have), sorted(have - want)
        lines.append(
            f"  {table}: {len(expected[table])} rows canonically, {len(got.get(table, []))} here"
        )
        lines.extend(f"    - {row}" for row in missing[:limit])
        lines.extend(f"    + {row}" for row in extra[:limit])
        if len(missing) > limit or len(extra) > limit:
            lines.append(f"    ... {len(missing)} missing and {len(extra)} extra rows in all")
    return "\n".join(lines)


@contextlib.asynccontextmanager
async def read_model_harness(
    database_url: str,
    read_models: ReadModels,
    events: Sequence[EventEnvelope],
    tables: Sequence[str] | None = None,
) -> AsyncIterator[ReadModelHarness]:
    """A harness on `database_url` (a database of the test's own): the service's migrations
    run once in a schema of the harness's own, dropped on exit; each example applies its
    events in a transaction rolled back after the rows are read. `tables` defaults to every
    read-model table."""
    pool = await create_pool(database_url, min_size=1, max_size=2)
    harness = ReadModelHarness(pool, read_models, events, tables)
    try:
        await harness.migrate()
        yield harness
    finally:
        try:
            await harness.drop()
        finally:
            await pool.close()
