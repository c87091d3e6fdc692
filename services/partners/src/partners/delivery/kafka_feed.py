"""Each partner's feed onto Kafka: `partners.<partner>.events`, CloudEvents in binary mode.

Entries are published in feed order per partner, then the partner's checkpoint moves; a crash
between the two publishes a batch again, under the same `ce_id` (the entry's id), which is how
a consumer recognises it. The topic keeps everything, so a partner replays from any offset.
"""

import asyncio
import contextlib
import logging

import asyncpg
from aiokafka import AIOKafkaProducer

from partners.delivery.documents import DELIVERABLE, document, entry_type
from partners.delivery.sole import sole
from partners.domain.delivery import body_bytes
from reintegration_sdk import Runtime
from reintegration_sdk.backoff import Backoff
from reintegration_sdk.kafka import close_producer, ensure_topics, idempotent_producer

log = logging.getLogger(__name__)
BATCH = 500
PARTNER_TOPIC_CONFIG = {"retention.ms": "-1", "retention.bytes": "-1", "cleanup.policy": "delete"}


def feed_topic(partner_id: str) -> str:
    return f"partners.{partner_id}.events"


def headers_of(row: asyncpg.Record) -> list[tuple[str, bytes]]:
    return [
        ("ce_id", str(row["entry_id"]).encode()),
        ("ce_source", f"/reintegration/partners/{row['partner_id']}".encode()),
        ("ce_type", f"org.reintegration.partners.{entry_type(row)}".encode()),
        ("ce_specversion", b"1.0"),
        ("ce_time", row["occurred_at"].isoformat().encode()),
        ("ce_subject", row["subject"].encode()),
        ("ce_countryoffice", row["country_office"].encode()),
        ("ce_sequence", str(row["seq"]).encode()),
        ("content-type", b"application/json"),
    ]


async def _publish_partner(
    pool: asyncpg.Pool, producer: AIOKafkaProducer, partner_id: str, known: set[str],
    bootstrap: str, partitions: int,
) -> int:  # fmt: skip
    async with pool.acquire() as db:
        after = await db.fetchval(
            "SELECT published_seq FROM kafka_feed_checkpoint WHERE partner_id = $1", partner_id
        )
        rows = await db.fetch(
            f"""SELECT e.*, {DELIVERABLE} AS deliverable FROM feed_entries e
                WHERE e.partner_id = $1 AND e.seq > $2 ORDER BY e.seq LIMIT {BATCH}""",
            partner_id,
            after or 0,
        )
    if not rows:
        return 0
    topic = feed_topic(partner_id)
    if topic not in known:
        await ensure_topics(bootstrap, [topic], partitions, config=PARTNER_TOPIC_CONFIG)
        known.add(topic)
    sent = [
        await producer.send(
            topic, body_bytes(document(row)), key=row["subject"].encode(), headers=headers_of(row)
        )
        for row in rows
        if row["deliverable"]
    ]
    for future in sent:
        await future
    async with pool.acquire() as db:
        await db.execute(
            """INSERT INTO kafka_feed_checkpoint (partner_id, published_seq) VALUES ($1, $2)
               ON CONFLICT (partner_id) DO UPDATE SET published_seq = EXCLUDED.published_seq""",
            partner_id,
            rows[-1]["seq"],
        )
    return len(rows)


KAFKA_DELIVERER_LOCK = 0x70617274_01


async def publish_feeds(runtime: Runtime, stop: asyncio.Event, poll_seconds: float) -> None:
    """Run until `stop` (on standby while another process publishes); waits out Kafka and
    PostgreSQL outages with backoff."""
    async with sole(_dsn(runtime), KAFKA_DELIVERER_LOCK, stop, poll_seconds) as mine:
        if mine:
            await _publish_feeds(runtime, stop, poll_seconds)


async def _publish_feeds(runtime: Runtime, stop: asyncio.Event, poll_seconds: float) -> None:
    settings = runtime.settings
    backoff = Backoff()
    known: set[str] = set()
    while not stop.is_set():
        producer = idempotent_producer(settings.kafka_bootstrap_servers, "partners-feeds")
        try:
            await producer.start()
            backoff.reset()
            while not stop.is_set():
                async with runtime.pool.acquire() as db:
                    partner_ids = [r["partner_id"] for r in await db.fetch(
                        "SELECT partner_id FROM partners ORDER BY partner_id")]  # fmt: skip
                moved = 0
                for partner_id in partner_ids:
                    moved += await _publish_partner(
                        runtime.pool, producer, partner_id, known,
                        settings.kafka_bootstrap_servers, settings.topic_partitions,
                    )  # fmt: skip
                if not moved:
                    await _wait(stop, poll_seconds)
        except Exception as error:
            delay = backoff.next_delay()
            log.warning("partner feeds to Kafka paused (%r); retrying in %.1f s", error, delay)
            await _wait(stop, delay)
        finally:
            await close_producer(producer)


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)


def _dsn(runtime: Runtime) -> str:
    return runtime.settings.database_dsn(runtime.service)
