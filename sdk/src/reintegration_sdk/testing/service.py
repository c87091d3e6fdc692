"""Run a service in-process against the real broker and database, and talk to it."""

import asyncio
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar
from uuid import uuid4

import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from reintegration_contracts import (
    EnvelopeError,
    EventEnvelope,
    EventPayload,
    from_kafka,
    source_for,
    to_kafka_headers,
    to_kafka_value,
)
from reintegration_contracts.countries import COUNTRY_CODES
from reintegration_contracts.topics import TOPIC_ROOT
from reintegration_sdk.auth import AuthSettings, mint_token
from reintegration_sdk.kafka import client_options, ensure_topics, read_committed_consumer
from reintegration_sdk.service import ServiceDefinition, create_app
from reintegration_sdk.settings import ServiceSettings
from reintegration_sdk.testing.infrastructure import Infrastructure

T = TypeVar("T")


# Offices people run on a development stack (`make demo` plays Burkina Faso's programme in bf;
# Mali's and Niger's programmes run in ml and ne): tests never write to their topics. A test
# that does leaves its events there for good, and the office's read models count them: two
# FollowUpRecorded of a relay test in bf are two more returnees followed up in the demo's
# funnel (the likely cause of `make demo` once showing 149 followed up for 147 kits).
RESERVED_OFFICES = frozenset({"bf", "ml", "ne"})
TEST_OFFICES = sorted(COUNTRY_CODES - RESERVED_OFFICES)

_unused_offices = list(TEST_OFFICES)
random.shuffle(_unused_offices)


def random_office() -> str:
    """A country office no other test of this session has used (topics are per office), never
    one of `RESERVED_OFFICES`.

    Offices are dealt without repeats within a test session, so on a fresh stack (CI) every
    test reads topics only it wrote to. A long-lived stack keeps earlier runs' events, so tests
    still assert on their own ids rather than on whole topics.
    """
    if not _unused_offices:
        return random.choice(TEST_OFFICES)
    return _unused_offices.pop()


async def offices_with_topics(bootstrap_servers: str) -> set[str]:
    """Country offices that have at least one `reintegration.<cc>.` topic on the broker."""
    client = AIOKafkaConsumer(bootstrap_servers=bootstrap_servers, **client_options())
    await client.start()
    try:
        topics = await client.topics()
    finally:
        await client.stop()
    parts = [topic.split(".") for topic in topics]
    return {p[1] for p in parts if len(p) > 2 and p[0] == TOPIC_ROOT}


async def untouched_office(infrastructure: Infrastructure) -> str:
    """An office no test of this session has used and with no topic on the broker yet.

    For tests that compare whole read models (end to end, rebuilds): on a long-lived stack an
    office another run used still has that run's events on its topics.
    """
    used = await offices_with_topics(infrastructure.kafka_bootstrap_servers)
    while _unused_offices:
        office = _unused_offices.pop()
        if office not in used:
            return office
    raise RuntimeError(
        "every country office already has topics on this broker; start from a fresh stack "
        "(python3 deploy/local/stack.py down --purge && make up)"
    )


def service_settings_for(
    infrastructure: Infrastructure, database_url: str, offices: Sequence[str], **overrides: Any
) -> ServiceSettings:
    """Settings for a test: its own database, its offices, a consumer group of its own."""
    values: dict[str, Any] = {
        "kafka_bootstrap_servers": infrastructure.kafka_bootstrap_servers,
        "database_url": database_url,
        "service_database": database_url.rsplit("/", 1)[-1],
        "country_offices": list(offices),
        "consumer_group": f"test-{uuid4().hex[:10]}",
        "relay_idle_poll_seconds": 0.2,
        **overrides,
    }
    return ServiceSettings(_env_file=None, **values)


def auth_headers(
    roles: Iterable[str],
    offices: Iterable[str],
    subject: str = "tester",
    partner_id: str | None = None,
) -> dict[str, str]:
    """Bearer header for a development token (signed with the default local key)."""
    token = mint_token(
        AuthSettings(),
        subject=subject,
        roles=roles,
        country_offices=offices,
        partner_id=partner_id,
    )
    return {"Authorization": f"Bearer {token}"}


@asynccontextmanager
async def running_service(
    definition: ServiceDefinition,
    settings: ServiceSettings,
    ready_timeout: float | None = 60.0,
) -> AsyncIterator[httpx.AsyncClient]:
    """The service's lifespan running (relay, subscribers) and an HTTP client on it, once
    `/ready` answers 200 (the relay and the inbox connect in the background); with
    `ready_timeout=None`, as soon as the lifespan has started."""
    died: list[tuple[str, BaseException]] = []
    app = create_app(definition, settings, on_fatal=lambda name, error: died.append((name, error)))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            client.app = app  # type: ignore[attr-defined]
            client.died = died  # type: ignore[attr-defined]
            if ready_timeout is not None:
                await wait_until_ready(client, ready_timeout)
            yield client
    # A background task that died would have stopped a real process: fail the test.
    assert not died, f"background tasks died: {died}"


async def wait_until_ready(client: httpx.AsyncClient, timeout: float = 60.0) -> float:
    """Seconds until the service's `/ready` answered 200."""
    began = time.monotonic()

    async def answers_ready() -> None:
        response = await client.get("/ready")
        assert response.status_code == 200, response.text

    await eventually(answers_ready, timeout=timeout, interval=0.1)
    return time.monotonic() - began


def upstream_event(
    payload: EventPayload,
    office: str,
    stream_id: str | None = None,
    actor: str = "upstream-test",
    event_id: Any = None,
) -> EventEnvelope:
    """An envelope as another service's relay would publish it."""
    return EventEnvelope(
        id=event_id or uuid4(),
        source=source_for(office, payload.event_domain),
        type=payload.ce_type(),
        time=datetime.now(UTC),
        subject=stream_id or f"test-{uuid4()}",
        countryoffice=office,
        correlationid=str(uuid4()),
        actor=actor,
        dataversion=payload.event_version,
        data=payload.model_dump(mode="json"),
    )


async def publish(infrastructure: Infrastructure, envelopes: Sequence[EventEnvelope]) -> None:
    """Put events on their topics, as the upstream service's relay would."""
    await ensure_topics(
        infrastructure.kafka_bootstrap_servers, {e.topic for e in envelopes}, partitions=3
    )
    producer = AIOKafkaProducer(
        bootstrap_servers=infrastructure.kafka_bootstrap_servers, **client_options()
    )
    await producer.start()
    try:
        for envelope in envelopes:
            await producer.send_and_wait(
                envelope.topic,
                value=to_kafka_value(envelope),
                key=envelope.subject.encode(),
                headers=to_kafka_headers(envelope),
            )
    finally:
        await producer.stop()


async def publish_raw(
    infrastructure: Infrastructure,
    topic: str,
    value: bytes,
    headers: list[tuple[str, bytes]] | None = None,
) -> None:
    await ensure_topics(infrastructure.kafka_bootstrap_servers, [topic], partitions=3)
    producer = AIOKafkaProducer(
        bootstrap_servers=infrastructure.kafka_bootstrap_servers, **client_options()
    )
    await producer.start()
    try:
        await producer.send_and_wait(topic, value=value, key=b"raw", headers=headers or [])
    finally:
        await producer.stop()


async def read_topic_records(
    infrastructure: Infrastructure,
    topic: str,
    until: Callable[[list[Any]], bool] | None = None,
    timeout: float = 20.0,
) -> list[Any]:
    """Every committed record of a topic from the beginning (read_committed, as every
    consumer of the platform reads); stops at the end or once `until` holds."""
    consumer = read_committed_consumer(infrastructure.kafka_bootstrap_servers)
    await consumer.start()
    records: list[Any] = []
    try:
        deadline = time.monotonic() + timeout
        partitions: set[int] | None = None
        while not partitions and time.monotonic() < deadline:
            metadata = await consumer._client.fetch_all_metadata()
            partitions = metadata.partitions_for_topic(topic)
            if not partitions:
                await asyncio.sleep(0.2)
        assigned = [TopicPartition(topic, p) for p in sorted(partitions or ())]
        consumer.assign(assigned)
        await consumer.seek_to_beginning(*assigned)
        while time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=300)
            for part in batch.values():
                records.extend(part)
            if until is not None and until(records):
                break
            if until is None and not batch:
                end = await consumer.end_offsets(assigned)
                if all([await consumer.position(tp) >= end[tp] for tp in assigned]):
                    break
    finally:
        await consumer.stop()
    return records


async def read_topic(
    infrastructure: Infrastructure,
    topic: str,
    until: Callable[[list[EventEnvelope]], bool] | None = None,
    timeout: float = 20.0,
) -> list[EventEnvelope]:
    """Envelopes published on `topic` (from the beginning), parsed through the contracts;
    records that are not valid envelopes (other tests' deliberate garbage) are left out."""

    def parsed(records: list[Any]) -> list[EventEnvelope]:
        envelopes = []
        for record in records:
            try:
                envelopes.append(from_kafka(record.headers, record.value))
            except EnvelopeError:
                continue
        return envelopes

    records = await read_topic_records(
        infrastructure, topic, (lambda rs: until(parsed(rs))) if until else None, timeout
    )
    return parsed(records)


async def eventually(
    check: Callable[[], Awaitable[T]], timeout: float = 20.0, interval: float = 0.2
) -> T:
    """Retry an async check until it stops raising AssertionError (effects arrive via Kafka)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return await check()
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(interval)
