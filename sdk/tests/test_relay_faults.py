"""The relay through PostgreSQL restarts and Kafka outages, on a stack of this module's own.

Each test kills or restarts real processes (sdk.testing.faults), then asks an independent
read_committed client whether every stored event is on the topic exactly once, in stream order.
"""

import asyncio
from collections.abc import AsyncIterator, Iterator
from uuid import uuid4

import asyncpg
import pytest
from relay_checks import assert_each_stored_event_published_once_in_stream_order
from sdk_builders import follow_up

from reintegration_contracts import Domain, topic_for
from reintegration_sdk.backoff import Backoff
from reintegration_sdk.database import SDK_MIGRATIONS, apply_migrations, create_pool
from reintegration_sdk.eventstore import EventContext, EventStore
from reintegration_sdk.outages import is_database_outage
from reintegration_sdk.relay import Relay
from reintegration_sdk.testing.faults import PrivateStack, private_stack
from reintegration_sdk.testing.plugin import temporary_database
from reintegration_sdk.testing.service import eventually, random_office

pytestmark = pytest.mark.integration
store = EventStore()


@pytest.fixture(scope="module")
def stack() -> Iterator[PrivateStack]:
    with private_stack() as stack:
        yield stack


@pytest.fixture
async def pool(stack: PrivateStack) -> AsyncIterator[asyncpg.Pool]:
    async with temporary_database(stack.infrastructure, prefix="relay_faults") as url:
        pool = await create_pool(url, connect_timeout=2)
        await apply_migrations(pool, [("sdk", SDK_MIGRATIONS)])
        yield pool
        await pool.close()


class RunningRelay:
    def __init__(self, relay: Relay) -> None:
        self.relay = relay
        self.stop = asyncio.Event()
        self.task = asyncio.create_task(relay.run(self.stop))

    async def close(self) -> None:
        self.stop.set()
        await asyncio.wait_for(self.task, timeout=60)


@pytest.fixture
async def running(pool: asyncpg.Pool, stack: PrivateStack) -> AsyncIterator[RunningRelay]:
    relay = Relay(
        pool,
        "monitoring",
        stack.infrastructure.kafka_bootstrap_servers,
        batch_size=100,
        backoff=Backoff(first_seconds=0.1, cap_seconds=1.0),
        batch_timeout_seconds=20,
    )
    running = RunningRelay(relay)
    yield running
    await running.close()


async def append(pool: asyncpg.Pool, office: str, stream: str, count: int = 1) -> None:
    """One command's append; retried while the database is away, as a client would."""
    while True:
        try:
            async with pool.acquire() as db, db.transaction():
                version = len(await store.load(db, stream))
                await store.append(
                    db,
                    stream,
                    version,
                    [follow_up() for _ in range(count)],
                    EventContext.new(office, "t"),
                )
            return
        except Exception as error:
            if not is_database_outage(error):
                raise
            await asyncio.sleep(0.2)


async def published(running: RunningRelay, at_least: int, timeout: float = 60) -> None:
    async def enough() -> None:
        assert running.relay.published >= at_least, running.relay.health.describe()

    await eventually(enough, timeout=timeout)


async def healthy_again(running: RunningRelay, timeout: float = 30) -> None:
    async def ok() -> None:
        assert running.relay.health.ok, running.relay.health.describe()

    await eventually(ok, timeout=timeout, interval=0.1)


async def test_the_relay_rides_out_a_postgres_fast_restart_and_a_kill_9(
    pool: asyncpg.Pool, stack: PrivateStack, running: RunningRelay
) -> None:
    office = random_office()
    for index in range(10):
        await append(pool, office, f"visit-{index % 3}", count=5)
    await published(running, 50)

    await asyncio.to_thread(stack.restart_postgres)
    for index in range(10):
        await append(pool, office, f"visit-{index % 3}", count=5)
    await published(running, 100)
    await healthy_again(running)

    await asyncio.to_thread(stack.kill_postgres)
    async with asyncio.timeout(10):
        while running.relay.health.ok:
            await asyncio.sleep(0.05)
    assert running.relay.health.state == "unavailable"
    await asyncio.to_thread(stack.start_postgres)
    for index in range(10):
        await append(pool, office, f"visit-{index % 3}", count=5)
    await published(running, 150)
    await healthy_again(running)
    await running.close()
    checked = await assert_each_stored_event_published_once_in_stream_order(
        pool, stack.infrastructure.kafka_bootstrap_servers, topic_for(office, Domain.MONITORING)
    )
    assert checked == 150


async def test_the_relay_waits_for_kafka_down_at_start_and_at_its_first_publish(
    pool: asyncpg.Pool, stack: PrivateStack
) -> None:
    office = random_office()  # a topic that does not exist yet: its creation must wait too
    await asyncio.to_thread(stack.kill_kafka)
    try:
        relay = Relay(
            pool,
            "monitoring",
            stack.infrastructure.kafka_bootstrap_servers,
            backoff=Backoff(first_seconds=0.1, cap_seconds=1.0),
        )
        running = RunningRelay(relay)
        for index in range(6):
            await append(pool, office, f"visit-{index}", count=4)
        await asyncio.sleep(2)  # several failed attempts
        assert not running.task.done(), "the relay must not die with Kafka away"
        assert relay.health.state == "unavailable" and not relay.health.ok
        assert relay.published == 0
    finally:
        await asyncio.to_thread(stack.start_kafka)
    began = asyncio.get_running_loop().time()
    await published(running, 24, timeout=30)
    await healthy_again(running)
    print(f"relay published {asyncio.get_running_loop().time() - began:.1f} s after Kafka answered")
    await running.close()
    await assert_each_stored_event_published_once_in_stream_order(
        pool, stack.infrastructure.kafka_bootstrap_servers, topic_for(office, Domain.MONITORING)
    )


async def test_kafka_killed_mid_batch_again_and_again_publishes_each_event_exactly_once(
    pool: asyncpg.Pool, stack: PrivateStack, running: RunningRelay
) -> None:
    office = random_office()
    prefix = uuid4().hex[:6]
    for index in range(60):
        await append(pool, office, f"{prefix}-{index % 9}", count=50)  # 3,000 events
    kills = 0
    for target in (300, 1500):
        await published(running, target, timeout=90)
        # Mid-run: the relay has batches in flight whenever it has events left to send.
        await asyncio.to_thread(stack.kill_kafka)
        kills += 1
        await asyncio.sleep(1)
        await asyncio.to_thread(stack.start_kafka)
    await published(running, 3000, timeout=120)
    await healthy_again(running)
    await running.close()
    assert kills == 2
    checked = await assert_each_stored_event_published_once_in_stream_order(
        pool, stack.infrastructure.kafka_bootstrap_servers, topic_for(office, Domain.MONITORING)
    )
    assert checked == 3000


def _orphaned_flushes() -> list[asyncio.Task[object]]:
    """aiokafka's stop() flushes in a task of its own; one cut short must not stay pending."""
    return [
        task
        for task in asyncio.all_tasks()
        if not task.done() and "MessageAccumulator.close" in repr(task.get_coro())
    ]


async def test_a_batch_in_flight_when_kafka_dies_is_given_up_within_seconds(
    pool: asyncpg.Pool, stack: PrivateStack, running: RunningRelay
) -> None:
    # A transactional batch retries for ever while the broker is gone: without giving it up
    # the relay waited out its batch timeout (20 s here, 30 s in a service) and a teardown
    # of 10 s or more, and was still waiting when the broker was back.
    office = random_office()
    prefix = uuid4().hex[:6]
    for index in range(40):
        await append(pool, office, f"{prefix}-{index % 7}", count=50)  # 2,000 events
    await published(running, 200, timeout=90)
    await asyncio.to_thread(stack.kill_kafka)
    killed = asyncio.get_running_loop().time()
    try:
        async with asyncio.timeout(60):
            while running.relay.health.state != "unavailable":
                await asyncio.sleep(0.05)
        noticed = asyncio.get_running_loop().time() - killed
    finally:
        await asyncio.to_thread(stack.start_kafka)
    print(f"relay gave its session up {noticed:.1f} s after the broker died")
    assert noticed < 12, f"the relay held a dead session for {noticed:.1f} s"
    await published(running, 2000, timeout=120)
    await healthy_again(running)
    await running.close()
    assert _orphaned_flushes() == []
    checked = await assert_each_stored_event_published_once_in_stream_order(
        pool, stack.infrastructure.kafka_bootstrap_servers, topic_for(office, Domain.MONITORING)
    )
    assert checked == 2000
