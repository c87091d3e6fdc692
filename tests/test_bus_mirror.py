"""HQ fed from a country cluster through MirrorMaker 2 (issue 17).

The tests' Kafka is the country cluster; deploy/local/mirror.py starts a second broker (HQ)
and Apache Kafka's MirrorMaker copying this test's fresh office into it as
`country.reintegration.<cc>.monitoring`. The same small read model (an inbox and a handler,
the SDK's exactly-once path) is built twice, from the country topic and from the mirrored one,
while MirrorMaker is killed with SIGKILL mid-stream and started again: whatever it copies twice
is absorbed by the inbox, and both read models come out equal to what was published.
"""

import asyncio
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from aiokafka import TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from sdk_builders import follow_up

from reintegration_contracts import EventEnvelope, topic_for
from reintegration_contracts.events.monitoring import FollowUpRecorded
from reintegration_contracts.topics import Domain
from reintegration_sdk.database import SDK_MIGRATIONS, apply_migrations, create_pool
from reintegration_sdk.dispatch import EventHandlers
from reintegration_sdk.events import EventMeta
from reintegration_sdk.inbox import Inbox, Record
from reintegration_sdk.kafka import client_options, ensure_topics, read_committed_consumer
from reintegration_sdk.testing.infrastructure import (
    Infrastructure,
    find_stack_script,
    free_port,
    load_script,
)
from reintegration_sdk.testing.plugin import temporary_database
from reintegration_sdk.testing.service import publish, random_office, upstream_event

# Two JVMs start (the HQ broker, then MirrorMaker twice): minutes on a busy machine.
pytestmark = [pytest.mark.integration, pytest.mark.timeout(1200)]

handlers = EventHandlers("hq-report", tables=["jobs_reported"])


@handlers.on(FollowUpRecorded)
async def on_follow_up(db: asyncpg.Connection, event: FollowUpRecorded, meta: EventMeta) -> None:
    await db.execute("INSERT INTO jobs_reported VALUES ($1, $2)", meta.event_id, event.jobs_created)


class ParkedLetters:
    """A dead letter here would mean the mirror changed an event: the test fails on it."""

    def __init__(self) -> None:
        self.reasons: list[str] = []

    async def send(self, record: Record, reason: str, consumer: str) -> None:
        self.reasons.append(reason)


@pytest.fixture(scope="module")
def office() -> str:
    return random_office()


@pytest.fixture(scope="module")
def mirror(infrastructure: Infrastructure, office: str) -> Iterator[tuple[Any, Path, str]]:
    module = load_script(find_stack_script().with_name("mirror.py"), "reintegration_local_mirror")
    state = Path(tempfile.mkdtemp(prefix="bus-mirror-"))
    country = infrastructure.kafka_bootstrap_servers
    topic = topic_for(office, Domain.MONITORING)
    # The topic exists before MirrorMaker starts, so its first topic refresh finds it.
    asyncio.run(ensure_topics(country, [topic], partitions=3))
    try:
        env = module.up(state, country, [office], free_port(), free_port())
        yield module, state, env["HQ_KAFKA_BOOTSTRAP_SERVERS"]
    finally:
        module.down(state, purge=True)


async def partitions_of(bootstrap: str, topic: str) -> list[TopicPartition]:
    """The topic's partitions ([] while it does not exist yet)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, **client_options())
    await admin.start()
    try:
        (described,) = await admin.describe_topics([topic])
    finally:
        await admin.close()
    if described["error_code"] != 0:
        return []
    return [TopicPartition(topic, p["partition"]) for p in described["partitions"]]


async def end_offsets(bootstrap: str, topic: str) -> int:
    """How many records the topic holds (one partition's end offset each, summed)."""
    partitions = await partitions_of(bootstrap, topic)
    if not partitions:
        return 0
    consumer = read_committed_consumer(bootstrap)
    await consumer.start()
    try:
        ends = await consumer.end_offsets(partitions)
        return sum(ends.values())
    finally:
        await consumer.stop()


async def wait_for_records(bootstrap: str, topic: str, at_least: int, timeout: float) -> int:
    deadline = asyncio.get_running_loop().time() + timeout
    count = 0
    while asyncio.get_running_loop().time() < deadline:
        count = await end_offsets(bootstrap, topic)
        if count >= at_least:
            return count
        await asyncio.sleep(1)
    raise AssertionError(f"{topic} holds {count} records, not {at_least}, after {timeout} s")


async def build_read_model(
    bootstrap: str, topic: str, database_url: str
) -> tuple[Inbox, list[tuple[Any, ...]]]:
    """Every committed record of `topic` through an inbox into `jobs_reported`."""
    pool = await create_pool(database_url)
    try:
        await apply_migrations(pool, [("sdk", SDK_MIGRATIONS)])
        await pool.execute("CREATE TABLE jobs_reported (event_id uuid NOT NULL, jobs int)")
        parked = ParkedLetters()
        inbox = Inbox(pool, "hq-report", handlers, parked)
        consumer = read_committed_consumer(bootstrap, max_poll_records=7)
        await consumer.start()
        try:
            partitions = await partitions_of(bootstrap, topic)
            assert partitions, f"{topic} has no partitions on {bootstrap}"
            consumer.assign(partitions)
            await consumer.seek_to_beginning(*partitions)
            ends = await consumer.end_offsets(partitions)

            async def behind() -> bool:
                for partition in partitions:
                    if await consumer.position(partition) < ends[partition]:
                        return True
                return False

            while await behind():
                batches = await consumer.getmany(timeout_ms=1_000)
                for records in batches.values():
                    await inbox.process(records)
        finally:
            await consumer.stop()
        assert parked.reasons == []
        rows = await pool.fetch("SELECT event_id, jobs FROM jobs_reported ORDER BY event_id")
        return inbox, [tuple(row) for row in rows]
    finally:
        await pool.close()


async def test_hq_read_model_from_the_mirror_equals_the_country_one_across_a_mirror_kill(
    infrastructure: Infrastructure, office: str, mirror: tuple[Any, Path, str]
) -> None:
    module, state, hq = mirror
    topic = topic_for(office, Domain.MONITORING)
    mirrored = f"{module.ALIAS}.{topic}"

    def events(first: int, count: int) -> list[EventEnvelope]:
        return [
            upstream_event(follow_up(jobs_created=n), office) for n in range(first, first + count)
        ]

    first, second, third = events(0, 30), events(30, 30), events(60, 30)
    # A relay that crashed after publishing sends some events again: the country topic itself
    # holds duplicates, which both read models must absorb alike.
    await publish(infrastructure, first + first[:5])
    print("mirrored before the kill:", await wait_for_records(hq, mirrored, 10, timeout=480))
    assert module.kill_mirror(state) is not None
    await publish(infrastructure, second)  # while no mirror runs
    module.start_mirror(state)
    await publish(infrastructure, third)
    print("published all; mirror restarted")
    published = first + second + third
    country_count = await end_offsets(infrastructure.kafka_bootstrap_servers, topic)
    assert country_count == len(published) + 5
    mirrored_count = await wait_for_records(hq, mirrored, country_count, timeout=480)

    async with (
        temporary_database(infrastructure) as direct_db,
        temporary_database(infrastructure) as mirror_db,
    ):
        direct_inbox, direct = await build_read_model(
            infrastructure.kafka_bootstrap_servers, topic, direct_db
        )
        mirror_inbox, from_mirror = await build_read_model(hq, mirrored, mirror_db)

    expected = sorted((e.id, n) for n, e in enumerate(published))
    assert direct == expected
    assert from_mirror == direct
    # Each event applied once, however many copies the mirror made (mirrored_count >= 95).
    assert direct_inbox.applied == mirror_inbox.applied == len(published)
    assert mirrored_count >= country_count
