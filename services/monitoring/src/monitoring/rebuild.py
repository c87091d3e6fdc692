"""Rebuild monitoring's read models from Kafka: truncate them, forget the inbox, replay every
consumed topic from offset 0 up to the end offsets taken at the start, through the same inbox
and handlers as live consumption (so the result equals the incremental one).

Stands in until the SDK's `reintegration_sdk.replay.rebuild_from_kafka` lands; then this module
only calls it.
"""

import logging

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from tqdm import tqdm

from reintegration_sdk.database import SDK_MIGRATIONS, apply_migrations, create_pool
from reintegration_sdk.inbox import Inbox, Record
from reintegration_sdk.service import ServiceDefinition, event_topics
from reintegration_sdk.settings import ServiceSettings

log = logging.getLogger(__name__)


class _AlreadyDeadLettered:
    """A record that fails again was dead-lettered when first consumed: log, do not resend."""

    async def send(self, record: Record, reason: str, consumer: str) -> None:
        log.warning(
            "%s[%d]@%d still fails: %s", record.topic, record.partition, record.offset, reason
        )


async def _partitions(settings: ServiceSettings, topics: list[str]) -> list[TopicPartition]:
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap_servers)
    await admin.start()
    try:
        existing = set(await admin.list_topics()) & set(topics)
        described = await admin.describe_topics(sorted(existing)) if existing else []
    finally:
        await admin.close()
    return [
        TopicPartition(topic["topic"], partition["partition"])
        for topic in described
        for partition in topic["partitions"]
    ]


async def rebuild(
    definition: ServiceDefinition, settings: ServiceSettings, progress: bool = True
) -> int:
    """Replay every consumed topic into freshly truncated read models; returns records read."""
    assert definition.reactions is not None, "a service without reactions has nothing to rebuild"
    pool = await create_pool(settings.database_dsn(definition.name))
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap_servers, enable_auto_commit=False
    )
    try:
        folders = [("sdk", SDK_MIGRATIONS)]
        if definition.migrations is not None:
            folders.append((definition.name, definition.migrations))
        await apply_migrations(pool, folders)
        async with pool.acquire() as db, db.transaction():
            await db.execute(f"TRUNCATE {', '.join(definition.reactions.tables)}")
            await db.execute("DELETE FROM inbox WHERE consumer = $1", definition.name)
        await consumer.start()
        partitions = await _partitions(settings, event_topics(settings, definition.consumes))
        if not partitions:
            return 0
        consumer.assign(partitions)
        start = await consumer.beginning_offsets(partitions)
        end = await consumer.end_offsets(partitions)
        await consumer.seek_to_beginning(*partitions)
        inbox = Inbox(pool, definition.name, definition.reactions, _AlreadyDeadLettered())
        total = sum(end[tp] - start[tp] for tp in partitions)
        read = 0
        remaining = set(partitions)
        with tqdm(
            total=total, unit="event", desc=f"rebuild {definition.name}", disable=not progress
        ) as bar:
            while remaining:
                for tp in list(remaining):
                    if await consumer.position(tp) >= end[tp]:
                        remaining.discard(tp)
                        consumer.pause(tp)
                if not remaining:
                    break
                batch = await consumer.getmany(timeout_ms=1000, max_records=500)
                records = [r for tp, rs in batch.items() for r in rs if r.offset < end[tp]]
                await inbox.process(records)
                read += len(records)
                bar.update(len(records))
        return read
    finally:
        await consumer.stop()
        await pool.close()
