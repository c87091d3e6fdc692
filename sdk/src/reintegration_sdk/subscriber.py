"""The inbox on FastStream: one batch subscriber per service, acknowledged after the commit.

FastStream's default acknowledgement (ACK_FIRST) is at-most-once; the subscriber uses MANUAL
and acknowledges only once the inbox transaction has committed. Bodies are handed to the inbox
undecoded so a record that is not JSON reaches the dead-letter topic instead of failing inside
the framework.
"""

from collections.abc import Sequence
from typing import Any

from aiokafka import AIOKafkaProducer
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage

from reintegration_contracts import dead_letter_topic
from reintegration_sdk.inbox import Inbox, Record, dead_letter_headers


class KafkaDeadLetters:
    """Sends failed records to `<topic>.dlq`, key and value unchanged."""

    def __init__(self, producer: AIOKafkaProducer) -> None:
        self._producer = producer

    async def send(self, record: Record, reason: str, consumer: str) -> None:
        await self._producer.send_and_wait(
            dead_letter_topic(record.topic),
            value=record.value,
            key=record.key,
            headers=dead_letter_headers(record, reason, consumer),
        )


async def _undecoded(message: Any) -> Any:
    return message.body


def subscribe_inbox(
    broker: KafkaBroker,
    inbox: Inbox,
    topics: Sequence[str],
    group_id: str,
    max_records: int = 500,
) -> None:
    """Register the service's inbox as a FastStream batch subscriber on `topics`."""

    @broker.subscriber(
        *topics,
        group_id=group_id,
        batch=True,
        max_records=max_records,
        batch_timeout_ms=100,
        auto_offset_reset="earliest",
        ack_policy=AckPolicy.MANUAL,
        decoder=_undecoded,
    )
    async def on_events(body: Any, message: KafkaMessage) -> None:
        records: tuple[Record, ...] = message.raw_message
        await inbox.process(records)
        await message.ack()
