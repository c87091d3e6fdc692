"""The FastStream inbox against the real broker: exactly-once effects, dead letters."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from uuid import uuid4

import asyncpg
import pytest
from faststream.kafka import KafkaBroker
from sdk_builders import follow_up

from reintegration_contracts import EventEnvelope, dead_letter_topic, to_kafka_headers, topic_for
from reintegration_contracts.events.monitoring import FollowUpRecorded
from reintegration_contracts.topics import Domain
from reintegration_sdk.dispatch import EventHandlers
from reintegration_sdk.events import EventMeta
from reintegration_sdk.inbox import Inbox, RetryPolicy
from reintegration_sdk.kafka import ensure_topics
from reintegration_sdk.subscriber import KafkaDeadLetters, subscribe_inbox
from reintegration_sdk.testing.infrastructure import Infrastructure
from reintegration_sdk.testing.service import (
    eventually,
    publish,
    publish_raw,
    random_office,
    read_topic_records,
    upstream_event,
)

pytestmark = pytest.mark.integration

handlers = EventHandlers("test-effects", tables=["effects"])


@handlers.on(FollowUpRecorded)
async def on_follow_up_recorded(
    db: asyncpg.Connection, event: FollowUpRecorded, meta: EventMeta
) -> None:
    if event.jobs_created == 99:
        raise ValueError("jobs_created 99 is this test's poison pill")
    await db.execute("INSERT INTO effects VALUES ($1, $2)", meta.event_id, event.jobs_created)


@dataclass
class Subscriber:
    inbox: Inbox
    topic: str
    office: str


@pytest.fixture
async def subscriber(
    pool: asyncpg.Pool, infrastructure: Infrastructure
) -> AsyncIterator[Subscriber]:
    office = random_office()
    topic = topic_for(office, Domain.MONITORING)
    await ensure_topics(
        infrastructure.kafka_bootstrap_servers, [topic, dead_letter_topic(topic)], 3
    )
    dead_letters = KafkaDeadLetters(infrastructure.kafka_bootstrap_servers, "test-dlq")
    inbox = Inbox(pool, "test", handlers, dead_letters, RetryPolicy(3, 0.05, 2.0))
    broker = KafkaBroker(infrastructure.kafka_bootstrap_servers, logger=None)
    subscribe_inbox(broker, inbox, [topic], group_id=f"test-{uuid4().hex[:8]}")
    await broker.start()
    yield Subscriber(inbox, topic, office)
    await broker.stop()
    await dead_letters.stop()


async def effects(pool: asyncpg.Pool, *events: EventEnvelope) -> list[tuple[str, int]]:
    """This test's effects (a topic may hold other runs' events for the same office)."""
    rows = await pool.fetch(
        "SELECT event_id::text, jobs FROM effects WHERE event_id = ANY($1) ORDER BY jobs",
        [e.id for e in events],
    )
    return [(r[0], r[1]) for r in rows]


def parked_for(records: list[object], *events: EventEnvelope) -> list[object]:
    ids = {str(e.id).encode() for e in events}
    return [r for r in records if dict(r.headers).get("ce_id") in ids]  # type: ignore[attr-defined]


async def test_the_same_message_delivered_twice_changes_nothing(
    pool: asyncpg.Pool, infrastructure: Infrastructure, subscriber: Subscriber
) -> None:
    event = upstream_event(follow_up(jobs_created=3), subscriber.office)
    await publish(infrastructure, [event, event])
    later = upstream_event(follow_up(jobs_created=4), subscriber.office)
    await publish(infrastructure, [later, event])

    async def both_applied_once() -> None:
        assert await effects(pool, event, later) == [(str(event.id), 3), (str(later.id), 4)]

    await eventually(both_applied_once)
    in_inbox = await pool.fetchval(
        "SELECT count(*) FROM inbox WHERE event_id = ANY($1)", [event.id, later.id]
    )
    assert in_inbox == 2


async def test_a_malformed_message_is_dead_lettered_and_the_next_one_applied(
    pool: asyncpg.Pool, infrastructure: Infrastructure, subscriber: Subscriber
) -> None:
    good = upstream_event(follow_up(jobs_created=7), subscriber.office)
    not_json: EventEnvelope = good.model_copy(update={"id": uuid4()})
    await publish_raw(infrastructure, subscriber.topic, b"{not json", to_kafka_headers(not_json))
    invalid: EventEnvelope = good.model_copy(update={"id": uuid4(), "data": {"visit_id": "x"}})
    await publish(infrastructure, [invalid, good])

    async def good_one_applied() -> None:
        assert await effects(pool, good, invalid, not_json) == [(str(good.id), 7)]

    await eventually(good_one_applied)
    records = await read_topic_records(
        infrastructure,
        dead_letter_topic(subscriber.topic),
        until=lambda rs: len(parked_for(rs, invalid, not_json)) >= 2,
    )
    parked = parked_for(records, invalid, not_json)
    reasons = [dict(r.headers)["dlq_reason"].decode() for r in parked]  # type: ignore[attr-defined]
    assert any("not JSON" in reason for reason in reasons)
    assert any("visit_id" in reason for reason in reasons)
    for record in parked:
        headers = dict(record.headers)  # type: ignore[attr-defined]
        assert headers["dlq_original_topic"] == subscriber.topic.encode()
        assert "dlq_original_offset" in headers
    assert await pool.fetchval("SELECT count(*) FROM dead_letters") >= 2


async def test_a_failing_handler_is_retried_then_dead_lettered_and_others_go_on(
    pool: asyncpg.Pool, infrastructure: Infrastructure, subscriber: Subscriber
) -> None:
    poison = upstream_event(follow_up(jobs_created=99), subscriber.office)
    fine = upstream_event(follow_up(jobs_created=1), subscriber.office)
    await publish(infrastructure, [poison, fine])

    async def fine_applied() -> None:
        assert await effects(pool, poison, fine) == [(str(fine.id), 1)]

    await eventually(fine_applied)
    records = await read_topic_records(
        infrastructure,
        dead_letter_topic(subscriber.topic),
        until=lambda rs: len(parked_for(rs, poison)) >= 1,
    )
    [parked] = parked_for(records, poison)
    reason = dict(parked.headers)["dlq_reason"].decode()  # type: ignore[attr-defined]
    assert "after 3 attempts" in reason
    assert "poison pill" in reason
    assert await effects(pool, poison) == []
