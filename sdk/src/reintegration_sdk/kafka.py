"""Kafka plumbing: topic creation and the idempotent producer."""

import logging
from collections.abc import Iterable

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

log = logging.getLogger(__name__)

# Event topics keep everything so any read model can be rebuilt from Kafka.
EVENT_TOPIC_CONFIG = {"retention.ms": "-1", "cleanup.policy": "delete"}


async def ensure_topics(
    bootstrap_servers: str,
    topics: Iterable[str],
    partitions: int,
    replication_factor: int = 1,
) -> list[str]:
    """Create the topics that do not exist yet; returns the ones created."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = sorted(set(topics) - existing)
        if not missing:
            return []
        new = [
            NewTopic(t, partitions, replication_factor, topic_configs=EVENT_TOPIC_CONFIG)
            for t in missing
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
        compression_type=None,
    )
