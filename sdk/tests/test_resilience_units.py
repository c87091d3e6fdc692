"""Pure parts of the self-healing runtime: backoff, health, outage kinds, dead-letter cuts."""

import asyncio
import errno
import re
from dataclasses import dataclass, field
from uuid import uuid4

import asyncpg
import pytest
from aiokafka.errors import KafkaConnectionError
from aiokafka.record.default_records import DefaultRecordBatchBuilder

from reintegration_contracts import Domain
from reintegration_contracts.topics import all_domains_pattern, domain_pattern
from reintegration_sdk.backoff import Backoff
from reintegration_sdk.checkpoints import Checkpoint
from reintegration_sdk.dead_letters import dead_letter
from reintegration_sdk.health import Health
from reintegration_sdk.kafka import (
    MAX_REQUEST_BYTES,
    RELAY_CHECKPOINT_TOPIC,
    BrokerLost,
    has_broker_connection,
    while_connected,
)
from reintegration_sdk.outages import is_database_outage, is_outage
from reintegration_sdk.supervision import TaskEnded, supervise

pytestmark = pytest.mark.unit


def test_backoff_doubles_up_to_its_cap_with_jitter_from_the_upper_half() -> None:
    drawn: list[tuple[float, float]] = []

    def uniform(low: float, high: float) -> float:
        drawn.append((low, high))
        return high

    backoff = Backoff(first_seconds=0.5, cap_seconds=4.0, uniform=uniform)
    assert [backoff.next_delay() for _ in range(6)] == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]
    assert drawn[0] == (0.25, 0.5)
    assert all(low == high / 2 for low, high in drawn)
    backoff.reset()
    assert backoff.next_delay() == 0.5


def test_real_jitter_spreads_delays() -> None:
    delays = {Backoff(first_seconds=1.0).next_delay() for _ in range(20)}
    assert len(delays) > 1
    assert all(0.5 <= d <= 1.0 for d in delays)


@dataclass
class Clock:
    now: float = 100.0

    def __call__(self) -> float:
        return self.now


def test_health_is_ok_only_while_running_with_a_recent_heartbeat_or_on_standby() -> None:
    clock = Clock()
    health = Health("relay", stall_seconds=10, clock=clock)
    assert not health.ok  # starting
    health.set("running")
    assert health.ok
    clock.now += 11
    assert not health.ok, "running without progress is stuck"
    assert "no progress" in str(health.describe()["reason"])
    health.heartbeat()
    assert health.ok
    health.set("unavailable", "KafkaConnectionError")
    assert not health.ok
    assert health.describe()["reason"] == "KafkaConnectionError"
    health.set("standby")
    clock.now += 1000
    assert health.ok


@pytest.mark.parametrize(
    "error",
    [
        asyncpg.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
        asyncpg.AdminShutdownError("terminating connection due to administrator command"),
        asyncpg.CannotConnectNowError("the database system is starting up"),
        ConnectionRefusedError(errno.ECONNREFUSED, "Connect call failed"),
        OSError("Multiple exceptions: [Errno 111] Connect call failed ('::1', 5432)"),
        asyncpg.InterfaceError("cannot call Connection.fetch(): connection is closed"),
        TimeoutError(),
    ],
)
def test_lost_connections_are_database_outages(error: BaseException) -> None:
    assert is_database_outage(error)
    assert is_outage(error)


@pytest.mark.parametrize(
    "error",
    [
        ValueError("a bug"),
        FileNotFoundError(errno.ENOENT, "missing"),
        asyncpg.UniqueViolationError("duplicate key"),
        asyncpg.InterfaceError("cannot perform operation: another operation is in progress"),
    ],
)
def test_bugs_and_refusals_are_not_outages(error: BaseException) -> None:
    assert not is_outage(error)


def test_kafka_errors_are_outages_for_the_background_tasks() -> None:
    assert is_outage(KafkaConnectionError("Unable to bootstrap"))
    assert not is_database_outage(KafkaConnectionError("Unable to bootstrap"))


def test_the_checkpoint_topic_matches_no_event_topic_pattern() -> None:
    # HQ and partners subscribe to the event topics by pattern; the checkpoints are not events.
    patterns = [all_domains_pattern(), "reintegration.*", r"^reintegration\..*"]
    patterns += [domain_pattern(domain) for domain in Domain]
    assert not any(re.match(pattern, RELAY_CHECKPOINT_TOPIC) for pattern in patterns)
    assert not RELAY_CHECKPOINT_TOPIC.endswith(".dlq")


def test_checkpoints_round_trip_and_order_by_transaction_then_position() -> None:
    checkpoint = Checkpoint(2**40, 17)
    assert Checkpoint.decode(checkpoint.encode(uuid4())) == checkpoint
    assert Checkpoint(1, 900) < Checkpoint(2, 1) < Checkpoint(2, 2)


@dataclass
class FakeRecord:
    value: bytes | None
    headers: list[tuple[str, bytes]] = field(default_factory=list)
    topic: str = "reintegration.bf.intake"
    partition: int = 2
    offset: int = 4711
    key: bytes | None = b"stream-1"


def size(key: bytes | None, value: bytes | None, headers: list[tuple[str, bytes]]) -> int:
    estimate: int = DefaultRecordBatchBuilder.estimate_size_in_bytes(key, value, headers)
    return estimate


def test_a_small_dead_letter_is_the_whole_record_plus_reason_and_coordinates() -> None:
    record = FakeRecord(b"{not json", [("ce_id", b"1"), ("weird", b"\xff\xfe")])
    copy = dead_letter(record, "body is not JSON", "intake", MAX_REQUEST_BYTES)
    headers = dict(copy.headers)
    assert not copy.truncated
    assert copy.value == record.value
    assert headers["weird"] == b"\xff\xfe"
    assert headers["dlq_reason"] == b"body is not JSON"
    assert headers["dlq_original_topic"] == b"reintegration.bf.intake"
    assert headers["dlq_original_partition"] == b"2"
    assert headers["dlq_original_offset"] == b"4711"
    assert "dlq_truncated" not in headers


def test_a_dead_letter_that_would_exceed_the_request_size_is_cut_to_fit() -> None:
    value = b"x" * (MAX_REQUEST_BYTES - 200)  # fits as a record, not with the DLQ headers
    headers = [("ce_id", b"1"), ("ce_type", b"org.reintegration.intake.X"), ("big", b"y" * 9000)]
    record = FakeRecord(value, headers)
    assert size(record.key, value, dead_letter(record, "r", "c", 10**9).headers) > (
        MAX_REQUEST_BYTES
    )
    copy = dead_letter(record, "body is not JSON: " + "z" * 9000, "intake", MAX_REQUEST_BYTES)
    found = dict(copy.headers)
    assert copy.truncated
    assert size(copy.key, copy.value, copy.headers) <= MAX_REQUEST_BYTES
    assert copy.value is not None and 0 < len(copy.value) < len(value)
    assert value.startswith(copy.value)
    assert found["dlq_truncated"] == b"true"
    assert int(found["dlq_original_size"]) > MAX_REQUEST_BYTES - 200
    assert found["dlq_original_value_bytes"] == str(len(value)).encode()
    assert found["dlq_dropped_headers"] == b"1"
    assert "big" not in found, "large original headers are trimmed"
    assert found["ce_type"] == b"org.reintegration.intake.X", "small ones are kept"
    assert found["dlq_original_offset"] == b"4711"
    assert found["dlq_reason"].startswith(b"body is not JSON")


async def test_a_background_task_that_ends_while_the_service_runs_is_fatal() -> None:
    fatal: list[tuple[str, BaseException]] = []
    stopping = asyncio.Event()

    async def crashes() -> None:
        raise ValueError("a bug")

    async def returns() -> None:
        return None

    await asyncio.gather(
        supervise(crashes(), "relay", stopping, lambda n, e: fatal.append((n, e))),
        supervise(returns(), "inbox", stopping, lambda n, e: fatal.append((n, e))),
        return_exceptions=True,
    )
    await asyncio.sleep(0)  # done callbacks run on the next loop iteration
    assert [(name, type(error)) for name, error in fatal] == [
        ("relay", ValueError),
        ("inbox", TaskEnded),
    ]
    stopping.set()
    await supervise(returns(), "after-stop", stopping, lambda n, e: fatal.append((n, e)))
    await asyncio.sleep(0)
    assert len(fatal) == 2, "ending once the service stops is not fatal"


class _Connection:
    def __init__(self, up: bool) -> None:
        self.up = up

    def connected(self) -> bool:
        return self.up


@dataclass
class _Client:
    _conns: dict[tuple[int, int], _Connection] = field(default_factory=dict)


@dataclass
class _Producer:
    """What while_connected reads of an aiokafka producer: its client's connections."""

    client: _Client = field(default_factory=_Client)


async def test_work_is_given_up_once_the_producer_has_no_broker_connection() -> None:
    producer = _Producer()
    producer.client._conns[(1, 0)] = _Connection(up=True)
    cancelled = asyncio.Event()

    async def transaction_that_retries_for_ever() -> None:
        try:
            await asyncio.sleep(3600)
        finally:
            cancelled.set()

    async def broker_dies() -> None:
        await asyncio.sleep(0.2)
        producer.client._conns[(1, 0)].up = False

    killer = asyncio.create_task(broker_dies())
    began = asyncio.get_running_loop().time()
    with pytest.raises(BrokerLost):
        await while_connected(
            producer,  # type: ignore[arg-type]
            transaction_that_retries_for_ever(),
            lost_after_seconds=0.3,
            check_seconds=0.05,
        )
    waited = asyncio.get_running_loop().time() - began
    await killer
    assert cancelled.is_set(), "the abandoned work is cancelled, not left running"
    assert 0.45 <= waited < 2.0, waited
    assert isinstance(BrokerLost("x"), KafkaConnectionError) and is_outage(BrokerLost("x"))


async def test_work_that_keeps_a_connection_or_regains_one_runs_to_its_end() -> None:
    producer = _Producer()
    producer.client._conns[(1, 0)] = _Connection(up=False)  # reconnecting, briefly

    async def slow_batch() -> str:
        await asyncio.sleep(0.15)
        producer.client._conns[(1, 0)].up = True  # back before the limit
        await asyncio.sleep(0.6)
        return "committed"

    assert not has_broker_connection(producer)  # type: ignore[arg-type]
    answer = await while_connected(
        producer,  # type: ignore[arg-type]
        slow_batch(),
        lost_after_seconds=0.3,
        check_seconds=0.05,
    )
    assert answer == "committed"
    assert has_broker_connection(object())  # type: ignore[arg-type]  # a double: no judgement
