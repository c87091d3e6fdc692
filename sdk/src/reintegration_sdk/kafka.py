"""Kafka plumbing: topic creation, the relay's transactional producer, read-committed readers.

Every client built here logs in the same way: `KafkaSecurity` (KAFKA_SECURITY_PROTOCOL,
KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD), read from the environment
unless a service configured its own settings with `configure_security` at start.
"""

import asyncio
import contextlib
import logging
import os
from collections.abc import Awaitable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, TypeVar

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaConnectionError, TopicAlreadyExistsError
from faststream.kafka import KafkaBroker
from faststream.security import BaseSecurity, SASLPlaintext, SASLScram256, SASLScram512

log = logging.getLogger(__name__)
T = TypeVar("T")

# Event topics keep everything so any read model can be rebuilt from Kafka.
EVENT_TOPIC_CONFIG: Final = {"retention.ms": "-1", "cleanup.policy": "delete"}

# Where every relay commits its checkpoint, in the same Kafka transaction as the events it
# published. Not under `reintegration.`: HQ and partners subscribe to that prefix by pattern.
RELAY_CHECKPOINT_TOPIC: Final = "platform-relay-checkpoints"
# Only the latest checkpoint per store matters; short segments let compaction keep it small.
CHECKPOINT_TOPIC_CONFIG: Final = {
    "cleanup.policy": "compact",
    "segment.ms": str(15 * 60 * 1000),
    "min.cleanable.dirty.ratio": "0.1",
}

# The producer's own default; a dead-letter copy is cut to fit under it (see dead_letters.py).
MAX_REQUEST_BYTES: Final = 1_048_576
# Readers see only committed transactions: a batch the relay aborted is never read.
READ_COMMITTED: Final = "read_committed"

SECURITY_PROTOCOLS: Final = ("PLAINTEXT", "SASL_PLAINTEXT", "SASL_SSL")
SASL_MECHANISMS: Final = ("SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN")


@dataclass(frozen=True)
class KafkaSecurity:
    """How a client logs in to the broker: nothing (PLAINTEXT) or a SASL principal."""

    protocol: str = "PLAINTEXT"
    sasl_mechanism: str | None = None
    username: str | None = None
    password: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        problems = []
        if self.protocol not in SECURITY_PROTOCOLS:
            problems.append(f"KAFKA_SECURITY_PROTOCOL must be one of {SECURITY_PROTOCOLS}")
        if self.protocol.startswith("SASL"):
            if self.sasl_mechanism not in SASL_MECHANISMS:
                problems.append(f"KAFKA_SASL_MECHANISM must be one of {SASL_MECHANISMS}")
            if not self.username:
                problems.append("KAFKA_SASL_USERNAME is required with SASL")
            if not self.password:
                problems.append("KAFKA_SASL_PASSWORD is required with SASL")
        if problems:
            raise ValueError("; ".join(problems))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> "KafkaSecurity":
        return cls(
            protocol=environ.get("KAFKA_SECURITY_PROTOCOL") or "PLAINTEXT",
            sasl_mechanism=environ.get("KAFKA_SASL_MECHANISM") or None,
            username=environ.get("KAFKA_SASL_USERNAME") or None,
            password=environ.get("KAFKA_SASL_PASSWORD") or None,
        )

    def client_options(self) -> dict[str, Any]:
        """aiokafka's keyword arguments for this login (none for PLAINTEXT)."""
        if self.protocol == "PLAINTEXT":
            return {}
        return {
            "security_protocol": self.protocol,
            "sasl_mechanism": self.sasl_mechanism,
            "sasl_plain_username": self.username,
            "sasl_plain_password": self.password,
        }

    def faststream(self) -> BaseSecurity | None:
        """The same login for a FastStream broker."""
        if self.protocol == "PLAINTEXT" or self.username is None or self.password is None:
            return None
        kinds = {"SCRAM-SHA-512": SASLScram512, "SCRAM-SHA-256": SASLScram256}
        kind = kinds.get(self.sasl_mechanism or "", SASLPlaintext)
        return kind(self.username, self.password, use_ssl=self.protocol == "SASL_SSL")


_configured: KafkaSecurity | None = None


def configure_security(security: KafkaSecurity | None) -> None:
    """Make `security` the login of every client this process builds (None: the environment)."""
    global _configured
    _configured = security


def current_security() -> KafkaSecurity:
    return _configured if _configured is not None else KafkaSecurity.from_env()


def client_options() -> dict[str, Any]:
    """The login keyword arguments for an aiokafka client this process builds."""
    return current_security().client_options()


def kafka_broker(bootstrap_servers: str, client_id: str) -> KafkaBroker:
    """A FastStream broker logged in like every other client of this process."""
    return KafkaBroker(
        bootstrap_servers,
        client_id=client_id,
        logger=None,
        security=current_security().faststream(),
    )


async def ensure_topics(
    bootstrap_servers: str,
    topics: Iterable[str],
    partitions: int,
    replication_factor: int = 1,
    config: Mapping[str, str] = EVENT_TOPIC_CONFIG,
    request_timeout_ms: int = 10_000,
) -> list[str]:
    """Create the topics that do not exist yet; returns the ones created."""
    admin = AIOKafkaAdminClient(
        bootstrap_servers=bootstrap_servers,
        request_timeout_ms=request_timeout_ms,
        **client_options(),
    )
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = sorted(set(topics) - existing)
        if not missing:
            return []
        new = [
            NewTopic(t, partitions, replication_factor, topic_configs=dict(config)) for t in missing
        ]
        try:
            await admin.create_topics(new)
        except TopicAlreadyExistsError:
            log.info("topics created concurrently by another process")
        return missing
    finally:
        await admin.close()


def idempotent_producer(bootstrap_servers: str, client_id: str) -> AIOKafkaProducer:
    """acks=all and idempotence: retries never duplicate or reorder a partition's messages."""
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap_servers,
        client_id=client_id,
        acks="all",
        enable_idempotence=True,
        linger_ms=5,
        max_batch_size=256 * 1024,
        max_request_size=MAX_REQUEST_BYTES,
        compression_type=None,
        request_timeout_ms=15_000,
        **client_options(),
    )


def transactional_producer(
    bootstrap_servers: str, client_id: str, transactional_id: str
) -> AIOKafkaProducer:
    """The idempotent producer's settings, in transactions under `transactional_id`.

    Starting it fences any older producer with the same id: a relay process that lost its
    lock but still runs can no longer commit anything.
    """
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap_servers,
        client_id=client_id,
        transactional_id=transactional_id,
        # A relay killed mid-batch leaves its transaction open; read_committed readers wait
        # for it until the next relay start fences it, or until this timeout at the latest.
        transaction_timeout_ms=20_000,
        acks="all",
        linger_ms=5,
        max_batch_size=256 * 1024,
        max_request_size=MAX_REQUEST_BYTES,
        compression_type=None,
        request_timeout_ms=15_000,
        **client_options(),
    )


async def close_producer(producer: AIOKafkaProducer, timeout: float = 5.0) -> None:
    """Stop `producer`, also when the broker is gone.

    With the broker away, `stop()` waits for deliveries that cannot happen; cut short, it
    would leave the producer's sender and metadata tasks running (and reconnecting) for ever,
    and its flush of the batches it still held pending for ever.
    """
    try:
        await asyncio.wait_for(producer.stop(), timeout=timeout)
    except Exception as error:
        log.info("producer stopped uncleanly (%s); closing its connections", error)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(producer._sender.close(), timeout=timeout)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(producer.client.close(), timeout=timeout)
        # stop() left its flush of the undeliverable batches running as a task of its own,
        # pending for ever (and reported as destroyed at the loop's end): fail them.
        with contextlib.suppress(Exception):
            producer._message_accumulator.fail_all(
                KafkaConnectionError("the producer was closed without its broker")
            )


class BrokerLost(KafkaConnectionError):  # type: ignore[misc]  # aiokafka is untyped
    """A client had no open connection to any broker for a while: the broker is gone."""


def has_broker_connection(producer: AIOKafkaProducer) -> bool:
    """Whether the producer holds at least one open connection to a broker.

    A producer in a transaction never gives up on its own (transactional batches do not
    expire) and aiokafka keeps reconnecting without telling anyone; its connections are the
    only sign, at no cost, that the broker is gone."""
    connections = getattr(getattr(producer, "client", None), "_conns", None)
    if connections is None:
        return True  # not an aiokafka producer (a test's double): nothing to judge by
    return any(connection.connected() for connection in list(connections.values()))


async def while_connected(
    producer: AIOKafkaProducer,
    work: Awaitable[T],
    lost_after_seconds: float = 2.0,
    check_seconds: float = 0.5,
) -> T:
    """Await `work`, or raise BrokerLost once `producer` has had no broker connection for
    `lost_after_seconds` (the work is then cancelled).

    Without it a relay whose broker was killed mid-transaction waited out its whole batch
    timeout, then its teardown, and was still doing so when the broker was back: on a busy
    machine, the largest part of the recovery after a Kafka restart."""
    task = asyncio.ensure_future(work)
    disconnected_since: float | None = None
    loop = asyncio.get_running_loop()
    try:
        while True:
            done, _ = await asyncio.wait({task}, timeout=check_seconds)
            if done:
                return task.result()
            if has_broker_connection(producer):
                disconnected_since = None
                continue
            now = loop.time()
            if disconnected_since is None:
                disconnected_since = now
            elif now - disconnected_since >= lost_after_seconds:
                raise BrokerLost(f"no connection to the broker for {lost_after_seconds:.0f} s")
    finally:
        if not task.done():
            task.cancel()
            with contextlib.suppress(BaseException):
                await task


def read_committed_consumer(bootstrap_servers: str, **options: Any) -> AIOKafkaConsumer:
    """An unsubscribed consumer that sees only committed records (no group unless given)."""
    settings: dict[str, Any] = {
        "enable_auto_commit": False,
        "auto_offset_reset": "earliest",
        "isolation_level": READ_COMMITTED,
        **client_options(),
        **options,
    }
    return AIOKafkaConsumer(bootstrap_servers=bootstrap_servers, **settings)
