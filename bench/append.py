"""Append phase: `EventStore.append` against raw asyncpg inserts of the same rows.

Every system gets a fresh database and `writers` connections, each writing its own stream.
"One event per command" is one transaction per event; "batched" appends 100 events per
transaction. The SDK runs as a command handler would (`async with connection.transaction()`
around the append); raw asyncpg inserts the same rows into an equivalent table (same columns,
defaults, keys and indexes) with pre-built parameters, as autocommit statements (the baseline)
and inside BEGIN/COMMIT (for information: what the transaction's two round trips cost).

The systems take turns: each workload is split into rounds and every round runs each system
once, in a rotated order, so a burst of load on the shared machine does not land on one side.
"""

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from time import perf_counter
from typing import Any, Protocol
from uuid import uuid4

import asyncpg

from bench.infra import Resources
from bench.measure import Counter, Result, Role, combine, progress
from bench.payloads import ACTOR, OFFICE, follow_up
from bench.peer import Peer
from reintegration_sdk.database import SDK_MIGRATIONS, apply_migrations, create_pool
from reintegration_sdk.eventstore import EventContext, EventStore

WARM_UP = 10  # statements per connection before each timed round (prepared-statement cache)

_RAW_TABLE = """
CREATE TABLE raw_events (
    position        bigserial PRIMARY KEY,
    stream_id       text        NOT NULL,
    version         int         NOT NULL,
    event_id        uuid        NOT NULL UNIQUE,
    event_name      text        NOT NULL,
    data_version    int         NOT NULL,
    domain          text        NOT NULL,
    country_office  text        NOT NULL,
    data            jsonb       NOT NULL,
    actor           text        NOT NULL,
    correlation_id  text        NOT NULL,
    causation_id    text,
    traceparent     text,
    recorded_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
    UNIQUE (stream_id, version)
);
CREATE INDEX raw_events_order ON raw_events (transaction_id, position);
"""
_RAW_INSERT = """INSERT INTO raw_events (stream_id, version, event_id, event_name, data_version,
    domain, country_office, data, actor, correlation_id, causation_id, traceparent)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"""

Row = tuple[Any, ...]
Writer = Callable[[asyncpg.Connection, int, Counter], Awaitable[None]]


@dataclass(frozen=True)
class Workload:
    """`writers` concurrent connections, each appending `per_writer` events `batch` at a time."""

    phase: str
    writers: int
    per_writer: int
    batch: int

    @classmethod
    def of(cls, phase: str, events: int, writers: int, batch: int) -> "Workload":
        per_writer = max(batch, events // writers // batch * batch)
        return cls(phase, writers, per_writer, batch)

    @property
    def total(self) -> int:
        return self.writers * self.per_writer

    def split(self, rounds: int) -> "Workload":
        """One round's share (at least one batch per writer)."""
        return Workload.of(self.phase, self.total // rounds, self.writers, self.batch)

    def stream(self, writer: int) -> str:
        return f"visit-b{self.batch}-w{writer}-{uuid4().hex[:8]}"


class System(Protocol):
    def case(self, workload: Workload) -> str: ...

    def role(self, workload: Workload) -> Role: ...

    async def measure(self, workload: Workload, description: str) -> float: ...


async def run_append(
    resources: Resources, workloads: Sequence[tuple[Workload, Workload]], rounds: int
) -> list[Result]:
    """Each (SDK and raw workload, peer workload) pair, every system in a database of its own."""
    writers = max(w.writers for pair in workloads for w in pair)
    pools: list[asyncpg.Pool] = []
    peer: Peer | None = None
    try:
        systems: list[System] = []
        for notify in (True, False):
            pool = await _pool(await resources.database(f"sdk_notify_{notify}".lower()), writers)
            await apply_migrations(pool, [("sdk", SDK_MIGRATIONS)])
            pools.append(pool)
            systems.append(SdkAppend(pool, notify))
        systems.append(SdkAppend(pools[-1], notify=False, transaction=False))
        pool = await _pool(await resources.database("raw"), writers)
        await pool.execute(_RAW_TABLE)
        pools.append(pool)
        systems += [RawInsert(pool, transaction=False), RawInsert(pool, transaction=True)]
        peer = await Peer.open(await resources.database("eventsourcing"), writers)
        results: list[Result] = []
        for workload, peer_workload in workloads:
            results += await _rounds(resources, systems, peer, workload, peer_workload, rounds)
        return results
    finally:
        if peer is not None:
            await peer.close()
        for pool in pools:
            await pool.close()


async def _rounds(
    resources: Resources,
    systems: Sequence[System],
    peer: Peer,
    workload: Workload,
    peer_workload: Workload,
    rounds: int,
) -> list[Result]:
    runs: list[tuple[System | Peer, Workload]] = [
        *((s, workload.split(rounds)) for s in systems if s.role(workload) != "skip"),
        (peer, peer_workload.split(rounds)),
    ]
    seconds: dict[int, list[float]] = {i: [] for i in range(len(runs))}
    for round_ in range(rounds):
        order = [*range(len(runs))][round_ % len(runs) :] + [*range(len(runs))][
            : round_ % len(runs)
        ]
        for index in order:
            system, share = runs[index]
            await resources.checkpoint()
            label = f"{system.case(share)} ({round_ + 1}/{rounds})"
            seconds[index].append(await system.measure(share, label))
    return [
        combine(share.phase, system.case(share), system.role(share), share.total, seconds[i])
        for i, (system, share) in enumerate(runs)
    ]


async def _pool(url: str, writers: int) -> asyncpg.Pool:
    return await create_pool(url, min_size=writers, max_size=writers)


class SdkAppend:
    """`EventStore.append` in a transaction per command, as a command handler runs it.

    For information, also without NOTIFY, and without NOTIFY outside an explicit transaction
    (the append is then one autocommit statement, like the raw baseline's INSERT).
    """

    def __init__(self, pool: asyncpg.Pool, notify: bool, transaction: bool = True) -> None:
        self._pool = pool
        self._notify = notify
        self._transaction = transaction
        self._store = EventStore(notify=notify)
        self._context = EventContext.new(OFFICE, ACTOR)

    def case(self, workload: Workload) -> str:
        if not self._transaction:
            return "SDK append (notify=False, autocommit)"
        return "SDK EventStore.append" + ("" if self._notify else " (notify=False)")

    def role(self, workload: Workload) -> Role:
        if not self._transaction:
            return "info" if workload.batch == 1 else "skip"
        return "sdk" if self._notify else "info"

    async def measure(self, workload: Workload, description: str) -> float:
        store, context = self._store, self._context
        payloads = [[follow_up() for _ in range(workload.per_writer)] for _ in _writers(workload)]
        in_transaction = self._transaction

        async def warm(connection: asyncpg.Connection, writer: int, _: Counter) -> None:
            stream = workload.stream(writer)
            for version in range(WARM_UP):
                async with connection.transaction():
                    await store.append(connection, stream, version, [follow_up()], context)

        async def write(connection: asyncpg.Connection, writer: int, counter: Counter) -> None:
            stream, mine, step = workload.stream(writer), payloads[writer], workload.batch
            for version in range(0, workload.per_writer, step):
                events = mine[version : version + step]
                if in_transaction:
                    async with connection.transaction():
                        await store.append(connection, stream, version, events, context)
                else:
                    await store.append(connection, stream, version, events, context)
                counter.n += step

        return await _timed(self._pool, workload, description, warm, write)


class RawInsert:
    """asyncpg inserting the same rows: autocommit or BEGIN/COMMIT, executemany when batched."""

    def __init__(self, pool: asyncpg.Pool, transaction: bool) -> None:
        self._pool = pool
        self._transaction = transaction

    def case(self, workload: Workload) -> str:
        if workload.batch > 1:
            return f"raw asyncpg executemany ({workload.batch}/transaction)"
        if self._transaction:
            return "raw asyncpg INSERT in BEGIN/COMMIT"
        return "raw asyncpg INSERT (autocommit)"

    def role(self, workload: Workload) -> Role:
        if workload.batch > 1:  # batches always run in a transaction: one system is enough
            return "baseline" if self._transaction else "skip"
        return "info" if self._transaction else "baseline"

    async def measure(self, workload: Workload, description: str) -> float:
        rows = [_raw_rows(workload.stream(w), workload.per_writer) for w in _writers(workload)]
        in_transaction = self._transaction

        async def warm(connection: asyncpg.Connection, writer: int, _: Counter) -> None:
            for row in _raw_rows(workload.stream(writer), WARM_UP):
                await connection.execute(_RAW_INSERT, *row)

        async def write(connection: asyncpg.Connection, writer: int, counter: Counter) -> None:
            mine, step = rows[writer], workload.batch
            for start in range(0, workload.per_writer, step):
                if step > 1:
                    async with connection.transaction():
                        await connection.executemany(_RAW_INSERT, mine[start : start + step])
                elif in_transaction:
                    async with connection.transaction():
                        await connection.execute(_RAW_INSERT, *mine[start])
                else:
                    await connection.execute(_RAW_INSERT, *mine[start])
                counter.n += step

        return await _timed(self._pool, workload, description, warm, write)


def _writers(workload: Workload) -> range:
    return range(workload.writers)


def _raw_rows(stream: str, count: int) -> list[Row]:
    """The rows the SDK would write for `count` events of one stream, parameters pre-built."""
    correlation = str(uuid4())
    return [
        (
            stream,
            version,
            uuid4(),
            "FollowUpRecorded",
            1,
            "monitoring",
            OFFICE,
            follow_up().model_dump_json(),
            ACTOR,
            correlation,
            None,
            None,
        )
        for version in range(1, count + 1)
    ]


async def _timed(
    pool: asyncpg.Pool, workload: Workload, description: str, warm: Writer, write: Writer
) -> float:
    """Warm every connection, then time all writers running at once."""
    connections = [await pool.acquire() for _ in _writers(workload)]
    try:
        idle = Counter()
        await asyncio.gather(*(warm(c, w, idle) for w, c in enumerate(connections)))
        async with progress(description, workload.total) as counter:
            start = perf_counter()
            await asyncio.gather(*(write(c, w, counter) for w, c in enumerate(connections)))
            return perf_counter() - start
    finally:
        for connection in connections:
            await pool.release(connection)
