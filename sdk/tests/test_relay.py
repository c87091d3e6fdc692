"""The relay against the real broker and database: order, late commits, crash and resume."""

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path
from uuid import uuid4

import asyncpg
import pytest
from aiokafka.errors import ProducerFenced
from relay_checks import assert_each_stored_event_published_once_in_stream_order
from sdk_builders import follow_up

from reintegration_contracts import Domain, topic_for
from reintegration_contracts.events.monitoring import FollowUpRecorded
from reintegration_sdk.dispatch import EventHandlers
from reintegration_sdk.events import EventMeta
from reintegration_sdk.eventstore import EventContext, EventStore
from reintegration_sdk.inbox import Inbox, Record
from reintegration_sdk.relay import Relay
from reintegration_sdk.testing.infrastructure import Infrastructure
from reintegration_sdk.testing.service import random_office, read_topic, read_topic_records

pytestmark = pytest.mark.integration
store = EventStore()
effects = EventHandlers("effects", tables=["effects"])


@effects.on(FollowUpRecorded)
async def on_follow_up(db: asyncpg.Connection, event: FollowUpRecorded, meta: EventMeta) -> None:
    await db.execute("INSERT INTO effects VALUES ($1, $2)", meta.event_id, event.jobs_created)


class NoDeadLetters:
    async def send(self, record: Record, reason: str, consumer: str) -> None:
        raise AssertionError(f"nothing should be dead-lettered: {reason}")


async def append(pool: asyncpg.Pool, office: str, stream: str, count: int = 1) -> None:
    async with pool.acquire() as db, db.transaction():
        version = len(await store.load(db, stream))
        await store.append(
            db, stream, version, [follow_up() for _ in range(count)], EventContext.new(office, "t")
        )


async def relay_once(pool: asyncpg.Pool, infrastructure: Infrastructure) -> int:
    relay = Relay(pool, "monitoring", infrastructure.kafka_bootstrap_servers)
    total = 0
    async with relay.session() as session:
        assert session is not None
        while sent := await session.publish_pending():
            total += sent
    return total


async def test_events_are_published_in_stream_order_with_cloudevents_headers(
    pool: asyncpg.Pool, infrastructure: Infrastructure
) -> None:
    office = random_office()
    stream = f"visit-{uuid4()}"
    for _ in range(3):
        await append(pool, office, stream, count=2)
    assert await relay_once(pool, infrastructure) == 6
    topic = topic_for(office, Domain.MONITORING)
    published = await read_topic(
        infrastructure, topic, until=lambda es: len([e for e in es if e.subject == stream]) >= 6
    )
    ours = [e for e in published if e.subject == stream]
    async with pool.acquire() as db:
        stored = await store.load(db, stream)
    assert [e.id for e in ours] == [e.event_id for e in stored]
    assert all(e.countryoffice == office and e.actor == "t" for e in ours)
    records = await read_topic_records(
        infrastructure,
        topic,
        until=lambda rs: len([r for r in rs if r.key == stream.encode()]) >= 6,
    )
    mine = [r for r in records if r.key == stream.encode()]
    assert len({r.partition for r in mine}) == 1, "one stream stays on one partition"
    assert mine[0].headers[0][0] == "ce_id"


async def test_a_transaction_that_commits_late_is_still_published_in_order(
    pool: asyncpg.Pool, infrastructure: Infrastructure
) -> None:
    office = random_office()
    slow_stream, fast_stream = f"slow-{uuid4()}", f"fast-{uuid4()}"
    slow = await pool.acquire()
    transaction = slow.transaction()
    await transaction.start()
    # The slow writer takes the first position, then a fast one commits a later position.
    await store.append(slow, slow_stream, 0, [follow_up()], EventContext.new(office, "slow"))
    await append(pool, office, fast_stream)
    assert await relay_once(pool, infrastructure) == 0, "must wait for the slow transaction"
    await transaction.commit()
    await pool.release(slow)
    assert await relay_once(pool, infrastructure) == 2
    ours = {slow_stream, fast_stream}
    published = await read_topic(
        infrastructure,
        topic_for(office, Domain.MONITORING),
        until=lambda es: len([e for e in es if e.subject in ours]) >= 2,
    )
    # Different streams land on different partitions, where Kafka promises no mutual order;
    # what matters is that the late commit held the later one back and nothing was skipped.
    assert sorted(e.subject for e in published if e.subject in ours) == sorted(ours)


async def test_a_writer_whose_transaction_id_is_older_than_its_position_is_not_skipped(
    pool: asyncpg.Pool, infrastructure: Infrastructure
) -> None:
    office = random_office()
    early = await pool.acquire()
    transaction = early.transaction()
    await transaction.start()
    await early.execute("INSERT INTO effects VALUES (gen_random_uuid(), 0)")  # takes an xid
    first, late = f"first-position-{uuid4()}", f"late-position-{uuid4()}"
    await append(pool, office, first)
    await store.append(early, late, 0, [follow_up()], EventContext.new(office, "e"))
    assert await relay_once(pool, infrastructure) == 0
    await transaction.commit()
    await pool.release(early)
    assert await relay_once(pool, infrastructure) == 2
    published = await read_topic(
        infrastructure,
        topic_for(office, Domain.MONITORING),
        until=lambda es: len([e for e in es if e.subject in (first, late)]) >= 2,
    )
    assert sorted(e.subject for e in published if e.subject in (first, late)) == [first, late]


RELAY_PROCESS = """
import asyncio, sys
from reintegration_sdk.database import create_pool
from reintegration_sdk.relay import Relay

async def main(dsn, bootstrap):
    pool = await create_pool(dsn)
    relay = Relay(pool, "monitoring", bootstrap, batch_size=25)
    await relay.run(asyncio.Event())

asyncio.run(main(sys.argv[1], sys.argv[2]))
"""


async def test_a_relay_killed_mid_run_resumes_and_publishes_everything(
    pool: asyncpg.Pool, infrastructure: Infrastructure, fresh_database: str, tmp_path: Path
) -> None:
    office = random_office()
    prefix = f"stream-{uuid4().hex[:8]}"
    for index in range(40):
        await append(pool, office, f"{prefix}-{index % 7}", count=25)  # 1,000 events
    script = tmp_path / "relay_process.py"
    script.write_text(RELAY_PROCESS)

    def start() -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, str(script), fresh_database, infrastructure.kafka_bootstrap_servers],
            env={**os.environ},
        )

    first = start()
    async with asyncio.timeout(60):
        while not await pool.fetchval("SELECT position FROM relay_checkpoint"):
            await asyncio.sleep(0.01)
    first.send_signal(signal.SIGKILL)  # no flush, no goodbye
    first.wait()
    killed_at = await pool.fetchval("SELECT position FROM relay_checkpoint")
    assert killed_at < 1000, "the relay must be killed mid-run for this test to mean anything"

    second = start()
    try:
        async with asyncio.timeout(90):
            while await pool.fetchval("SELECT position FROM relay_checkpoint") < 1000:
                await asyncio.sleep(0.1)
    finally:
        second.terminate()
        second.wait()
    async with pool.acquire() as db:
        stored = await store.read_all(db, after=0, limit=2000)
    stored_ids = {e.event_id for e in stored}
    published = [
        e
        for e in await read_topic(
            infrastructure,
            topic_for(office, Domain.MONITORING),
            until=lambda es: len({e.id for e in es} & stored_ids) >= 1000,
        )
        if e.id in stored_ids
    ]
    assert {e.id for e in published} == stored_ids
    for index in range(7):  # per stream, first deliveries come in version order
        seen: list[int] = []
        for envelope in published:
            if envelope.subject == f"{prefix}-{index}" and envelope.id not in seen:
                seen.append(envelope.id)  # type: ignore[arg-type]
        expected = [e.event_id for e in stored if e.stream_id == f"{prefix}-{index}"]
        assert seen == expected

    # A consumer reading everything the crash left on the topic (duplicates included) applies
    # each event exactly once.
    ours = {str(e.event_id).encode() for e in stored}
    records = await read_topic_records(
        infrastructure,
        topic_for(office, Domain.MONITORING),
        until=lambda rs: len([r for r in rs if dict(r.headers).get("ce_id") in ours]) >= 1000,
    )
    mine = [r for r in records if dict(r.headers).get("ce_id") in ours]
    inbox = Inbox(pool, "after-crash", effects, NoDeadLetters())
    for start in range(0, len(mine), 200):
        await inbox.process(mine[start : start + 200])
    assert len(mine) >= 1000
    assert await pool.fetchval("SELECT count(*) FROM effects") == 1000
    assert await pool.fetchval("SELECT count(DISTINCT event_id) FROM effects") == 1000


async def test_a_relay_killed_again_and_again_mid_batch_publishes_each_event_exactly_once(
    pool: asyncpg.Pool, infrastructure: Infrastructure, fresh_database: str, tmp_path: Path
) -> None:
    office = random_office()
    prefix = f"stream-{uuid4().hex[:8]}"
    for index in range(80):
        await append(pool, office, f"{prefix}-{index % 11}", count=25)  # 2,000 events
    script = tmp_path / "relay_process.py"
    script.write_text(RELAY_PROCESS)

    def start() -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, str(script), fresh_database, infrastructure.kafka_bootstrap_servers],
            env={**os.environ},
        )

    async def checkpoint() -> int:
        return int(await pool.fetchval("SELECT coalesce(max(position), 0) FROM relay_checkpoint"))

    kills = 0
    for _ in range(4):
        process = start()
        before = await checkpoint()
        async with asyncio.timeout(90):
            # Killed as soon as it has committed a batch since its start: mid-run, with the
            # next batch's transaction usually open.
            while await checkpoint() <= before and process.poll() is None:
                await asyncio.sleep(0.005)
        process.send_signal(signal.SIGKILL)
        process.wait()
        kills += 1
        if await checkpoint() >= 2000:
            break
    final = start()
    try:
        async with asyncio.timeout(120):
            while await checkpoint() < 2000:
                await asyncio.sleep(0.1)
    finally:
        final.terminate()
        final.wait()
    assert kills >= 2, "the relay must be killed mid-run more than once"
    checked = await assert_each_stored_event_published_once_in_stream_order(
        pool, infrastructure.kafka_bootstrap_servers, topic_for(office, Domain.MONITORING)
    )
    assert checked == 2000


async def test_the_relay_resumes_from_the_checkpoint_committed_in_kafka(
    pool: asyncpg.Pool, infrastructure: Infrastructure
) -> None:
    office = random_office()
    stream = f"visit-{uuid4()}"
    await append(pool, office, stream, count=5)
    assert await relay_once(pool, infrastructure) == 5
    older = await pool.fetchrow(
        "SELECT transaction_id, position, kafka_offset FROM relay_checkpoint"
    )
    await append(pool, office, stream, count=5)
    assert await relay_once(pool, infrastructure) == 5
    # The database copy lags behind Kafka, as after a crash between the Kafka commit and the
    # database write: the relay must trust Kafka and send nothing again.
    await pool.execute(
        "UPDATE relay_checkpoint SET transaction_id = $1, position = $2, kafka_offset = $3",
        *older,
    )
    assert await relay_once(pool, infrastructure) == 0
    assert await pool.fetchval("SELECT position FROM relay_checkpoint") > older["position"]
    assert (
        await assert_each_stored_event_published_once_in_stream_order(
            pool, infrastructure.kafka_bootstrap_servers, topic_for(office, Domain.MONITORING)
        )
        == 10
    )


async def test_a_relay_that_lost_its_lock_but_still_runs_is_fenced_by_the_next_one(
    pool: asyncpg.Pool, infrastructure: Infrastructure, monkeypatch: pytest.MonkeyPatch
) -> None:
    office = random_office()
    stream = f"visit-{uuid4()}"
    await append(pool, office, stream, count=3)
    zombie = Relay(pool, "monitoring", infrastructure.kafka_bootstrap_servers)
    async with zombie.session() as old:
        assert old is not None
        assert await old.publish_pending() == 3
        # A second relay that believes it holds the lock (the zombie's lock connection was
        # lost, say): its start fences the zombie's producer.
        successor = Relay(pool, "monitoring", infrastructure.kafka_bootstrap_servers)

        async def no_lock(*_: object) -> bool:
            return True

        monkeypatch.setattr(successor, "_lock", no_lock)
        async with successor.session() as new:
            assert new is not None
            await append(pool, office, stream, count=2)
            with pytest.raises(ProducerFenced):
                await old.publish_pending()
            assert await new.publish_pending() == 2
    assert (
        await assert_each_stored_event_published_once_in_stream_order(
            pool, infrastructure.kafka_bootstrap_servers, topic_for(office, Domain.MONITORING)
        )
        == 5
    )
