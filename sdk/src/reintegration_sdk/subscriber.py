"""The inbox on FastStream: one batch subscriber per service, acknowledged after the commit.

FastStream's default acknowledgement (ACK_FIRST) is at-most-once; the subscriber uses MANUAL
and acknowledges only once the inbox transaction has committed. FastStream's batch parser
decodes every header as UTF-8 before any handler runs, so one record with a non-UTF-8 header
made it drop the whole batch; and an error in a MANUAL handler is logged and swallowed, after
which the next batch's commit moves the offsets past the failed one. So the parser here hands
the raw records to the inbox (which decodes each itself and dead-letters what it cannot
read), and a batch that fails is rewound (nack) to be read again instead of skipped. Readers
are read_committed: a relay's aborted transaction is never seen.

`InboxConsumer` runs all of it in the background: a service starts (HTTP up, commands
appended) while Kafka is down, and the consumer connects when it can.
"""

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from aiokafka import AIOKafkaProducer, ConsumerRecord
from aiokafka.errors import MessageSizeTooLargeError
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage

from reintegration_contracts import dead_letter_topic
from reintegration_sdk.backoff import Backoff
from reintegration_sdk.dead_letters import dead_letter
from reintegration_sdk.health import Health
from reintegration_sdk.inbox import Inbox, Record
from reintegration_sdk.kafka import (
    MAX_REQUEST_BYTES,
    READ_COMMITTED,
    close_producer,
    ensure_topics,
    idempotent_producer,
    kafka_broker,
)
from reintegration_sdk.outages import describe, is_outage

log = logging.getLogger(__name__)

# When the broker refuses even a copy cut to the producer's limit (a topic configured with a
# smaller max.message.bytes), the copy is cut to this and sent again.
_FALLBACK_DEAD_LETTER_BYTES = 64 * 1024


class KafkaDeadLetters:
    """Sends failed records to `<topic>.dlq`, cut to fit when too large.

    A send that fails raises; the producer is then replaced before the next attempt, so a
    producer left broken by an outage does not fail every retry.
    """

    def __init__(
        self,
        bootstrap_servers: str,
        client_id: str = "dead-letters",
        max_request_bytes: int = MAX_REQUEST_BYTES,
        producer_factory: Callable[[str, str], AIOKafkaProducer] = idempotent_producer,
    ) -> None:
        self._bootstrap = bootstrap_servers
        self._client_id = client_id
        self._max_bytes = max_request_bytes
        self._factory = producer_factory
        self._producer: AIOKafkaProducer | None = None
        self.truncated = 0

    async def start(self) -> None:
        await self._ready()

    async def stop(self) -> None:
        producer, self._producer = self._producer, None
        if producer is not None:
            await close_producer(producer)

    async def send(self, record: Record, reason: str, consumer: str) -> None:
        producer = await self._ready()
        try:
            try:
                await self._send(producer, record, reason, consumer, self._max_bytes)
            except MessageSizeTooLargeError:
                await self._send(producer, record, reason, consumer, _FALLBACK_DEAD_LETTER_BYTES)
        except Exception:
            await self.stop()
            raise

    async def _send(
        self,
        producer: AIOKafkaProducer,
        record: Record,
        reason: str,
        consumer: str,
        max_bytes: int,
    ) -> None:
        copy = dead_letter(record, reason, consumer, max_bytes)
        await producer.send_and_wait(
            dead_letter_topic(record.topic), value=copy.value, key=copy.key, headers=copy.headers
        )
        if copy.truncated:
            self.truncated += 1

    async def _ready(self) -> AIOKafkaProducer:
        if self._producer is None:
            producer = self._factory(self._bootstrap, self._client_id)
            try:
                await producer.start()
            except BaseException:
                await close_producer(producer)
                raise
            self._producer = producer
        return self._producer


async def _raw_batch(
    records: tuple[ConsumerRecord[Any, Any], ...],
    default_parser: Callable[[tuple[ConsumerRecord[Any, Any], ...]], Awaitable[KafkaMessage]],
) -> KafkaMessage:
    # FastStream builds the message (its class and consumer make ack/nack work) from copies
    # without headers, so it decodes none; the inbox gets the records as they came.
    message = await default_parser(tuple(dataclasses.replace(r, headers=()) for r in records))
    message.raw_message = records
    return message


def subscribe_inbox(
    broker: KafkaBroker,
    inbox: Inbox,
    topics: Sequence[str],
    group_id: str,
    max_records: int = 500,
    failure_backoff: Backoff | None = None,
) -> None:
    """Register the service's inbox as a FastStream batch subscriber on `topics`."""
    backoff = failure_backoff or Backoff()

    @broker.subscriber(
        *topics,
        group_id=group_id,
        batch=True,
        max_records=max_records,
        batch_timeout_ms=100,
        auto_offset_reset="earliest",
        isolation_level=READ_COMMITTED,
        ack_policy=AckPolicy.MANUAL,
        parser=_raw_batch,
        decoder=_undecoded,
    )
    async def on_events(body: Any, message: KafkaMessage) -> None:
        records: tuple[Record, ...] = message.raw_message
        try:
            await inbox.process(records)
        except Exception as error:
            # Rewind so the batch is read again; FastStream would otherwise carry on and the
            # next batch's commit would move the offsets past this one.
            delay = backoff.next_delay()
            log.error("inbox batch failed (%s); reading it again in %.1fs", describe(error), delay)
            await message.nack()
            await asyncio.sleep(delay)
            return
        backoff.reset()
        await message.ack()


async def _undecoded(message: Any) -> Any:
    return message.body


class InboxConsumer:
    """The service's inbox subscriber, started in the background and restarted after
    failures to connect; `health` says whether it consumes."""

    def __init__(
        self,
        inbox: Inbox,
        bootstrap_servers: str,
        topics: Sequence[str],
        group_id: str,
        partitions: int,
        client_id: str,
        max_records: int = 500,
        check_seconds: float = 2.0,
        backoff: Backoff | None = None,
    ) -> None:
        self.inbox = inbox
        self._bootstrap = bootstrap_servers
        self._topics = list(topics)
        self._group_id = group_id
        self._partitions = partitions
        self._client_id = client_id
        self._max_records = max_records
        self._check_seconds = check_seconds
        # Capped at 2 s like the relay's: back within 2 s of the broker (a failed attempt
        # against a closed port is cheap, a late recovery is not).
        self._backoff = backoff or Backoff(cap_seconds=2.0)
        self.broker: KafkaBroker | None = None
        self.health = Health(f"{client_id}", stall_seconds=float("inf"))
        self._halted = asyncio.Event()

    @property
    def ok(self) -> bool:
        return self.health.ok and self.inbox.health.ok

    def describe(self) -> dict[str, object]:
        answer = self.health.describe()
        if not self.inbox.health.ok:
            answer["inbox"] = self.inbox.health.describe()
        return answer

    async def run(self, stop: asyncio.Event) -> None:
        """Consume until `stop` is set; waits out Kafka outages. Errors that are not
        outages propagate."""
        try:
            while not stop.is_set() and not self._halted.is_set():
                try:
                    await self._connect()
                    self._backoff.reset()
                    self.health.set("running")
                    await self._watch(stop)
                except Exception as error:
                    await self._disconnect()
                    if not is_outage(error):
                        self.health.set("failed", describe(error))
                        raise
                    delay = self._backoff.next_delay()
                    self.health.set("unavailable", describe(error))
                    log.warning("inbox consumer: %s; reconnecting in %.1f s", describe(error),
                                delay)  # fmt: skip
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), timeout=delay)
            if self._halted.is_set():
                await self._disconnect()
                await stop.wait()  # halted on purpose: stay down until the service stops
        finally:
            await self._disconnect()
            self.health.set("stopped")

    async def stop(self) -> None:
        """Stop consuming now, for good (a rebuild wants no subscriber racing it)."""
        self._halted.set()
        await self._disconnect()
        self.health.set("stopped", "stopped on request")

    async def _connect(self) -> None:
        await ensure_topics(
            self._bootstrap,
            [*self._topics, *(dead_letter_topic(t) for t in self._topics)],
            self._partitions,
        )
        broker = kafka_broker(self._bootstrap, self._client_id)
        subscribe_inbox(broker, self.inbox, self._topics, self._group_id, self._max_records)
        self.broker = broker
        await broker.start()

    async def _watch(self, stop: asyncio.Event) -> None:
        while not stop.is_set() and not self._halted.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self._check_seconds)
            broker = self.broker
            if stop.is_set() or broker is None:
                return
            for subscriber in broker.subscribers:
                if not subscriber.running:
                    raise RuntimeError("the inbox subscriber stopped")
            if await broker.ping(timeout=self._check_seconds):
                self.health.set("running")
            else:
                self.health.set("unavailable", "Kafka does not answer")

    async def _disconnect(self) -> None:
        broker, self.broker = self.broker, None
        if broker is not None:
            try:
                await asyncio.wait_for(broker.stop(), timeout=15)
            except Exception as error:
                log.info("inbox consumer stopped uncleanly: %s", describe(error))
