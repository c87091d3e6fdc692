"""The broker itself refuses what deploy/bus.toml does not grant (issue 17).

A SASL stack of its own (SCRAM-SHA-512, StandardAuthorizer, the description's ACLs applied by
`stack.py up --sasl`) on free ports; plain aiokafka clients, independent of the SDK, log in as
a mission, a partner and a service. Each refusal is paired with the same client doing what it
is granted, so a refusal cannot come from a wrong password or a missing topic.
"""

import asyncio
import json
import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.client import AIOKafkaClient
from aiokafka.errors import (
    GroupAuthorizationFailedError,
    KafkaError,
    TopicAuthorizationFailedError,
)
from aiokafka.protocol.fetch import FetchRequest

from reintegration_sdk.testing.infrastructure import find_stack_script, free_port, load_stack_module

pytestmark = pytest.mark.integration

OFFICES = "bf,ml,ne"
TOPICS = [
    "reintegration.bf.intake",
    "reintegration.bf.committee",
    "reintegration.ml.intake",
    "reintegration.ml.visits",
    "partners.sahel-sante.events",
]


class SaslStack:
    def __init__(self, bootstrap: str, credentials: dict[str, str]) -> None:
        self.bootstrap = bootstrap
        self.credentials = credentials

    def login(self, principal: str) -> dict[str, str]:
        return {
            "bootstrap_servers": self.bootstrap,
            "security_protocol": "SASL_PLAINTEXT",
            "sasl_mechanism": "SCRAM-SHA-512",
            "sasl_plain_username": principal,
            "sasl_plain_password": self.credentials[principal],
        }


@pytest.fixture(scope="module")
def sasl_stack() -> Iterator[SaslStack]:
    stack = load_stack_module(find_stack_script())
    state = Path(os.environ.get("BUS_SASL_STATE_DIR") or tempfile.mkdtemp(prefix="bus-sasl-"))
    reuse = "BUS_SASL_STATE_DIR" in os.environ  # a developer's running SASL stack
    ports = {} if reuse else {
        "kafka_port": free_port(), "controller_port": free_port(), "pg_port": free_port()
    }  # fmt: skip
    try:
        env = stack.up(state, **ports, sasl=True, bus_offices=OFFICES)
        credentials = json.loads(Path(env["KAFKA_CREDENTIALS_FILE"]).read_text())
        sasl = SaslStack(env["KAFKA_BOOTSTRAP_SERVERS"], credentials)
        asyncio.run(_create_topics(sasl))
        yield sasl
    finally:
        if not reuse:
            stack.down(state, purge=True)


async def _create_topics(sasl: SaslStack) -> None:
    admin = AIOKafkaAdminClient(**sasl.login("admin"))
    await admin.start()
    try:
        missing = sorted(set(TOPICS) - set(await admin.list_topics()))
        if missing:
            await admin.create_topics([NewTopic(t, 1, 1) for t in missing])
    finally:
        await admin.close()


async def _produce(sasl: SaslStack, principal: str, topic: str) -> None:
    producer = AIOKafkaProducer(**sasl.login(principal), request_timeout_ms=10_000)
    await producer.start()
    try:
        await producer.send_and_wait(topic, b"{}")
    finally:
        await producer.stop()


async def _fetch_error(sasl: SaslStack, principal: str, topic: str) -> int:
    """The broker's answer to a Fetch of `topic` from offset 0 (0: the records came back).

    A plain consumer only logs an unauthorised topic and returns nothing, which a test cannot
    tell from an empty topic; the Fetch response carries the broker's own error code.
    """
    client = AIOKafkaClient(**sasl.login(principal), request_timeout_ms=10_000)
    await client.bootstrap()
    try:
        (broker,) = client.cluster.brokers()
        request = FetchRequest(500, 1, 1_048_576, 1, [(topic, [(0, 0, 1_048_576)])])
        response = await client.send(broker.nodeId, request)
        ((_, partitions),) = response.topics
        return int(partitions[0][1])  # (partition, error_code, ...) in every version
    finally:
        await client.close()


async def _read_in_group(sasl: SaslStack, principal: str, topic: str, group: str) -> None:
    """Join `group` on `topic` and poll; a refused group raises."""
    consumer = AIOKafkaConsumer(
        **sasl.login(principal),
        group_id=group,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        request_timeout_ms=10_000,
    )
    await consumer.start()
    try:
        consumer.subscribe([topic])
        await consumer.getmany(timeout_ms=3_000)
        await consumer.getmany(timeout_ms=1_000)
    finally:
        await consumer.stop()


def fetch_error(sasl: SaslStack, principal: str, topic: str) -> int:
    return asyncio.run(asyncio.wait_for(_fetch_error(sasl, principal, topic), timeout=60))


REFUSED = TopicAuthorizationFailedError.errno


def run(coroutine: object) -> None:
    asyncio.run(asyncio.wait_for(coroutine, timeout=60))  # type: ignore[arg-type]


def test_a_mission_writes_its_own_domain_but_not_another_offices_topic(
    sasl_stack: SaslStack,
) -> None:
    run(_produce(sasl_stack, "mission-ml", "reintegration.ml.visits"))
    with pytest.raises(TopicAuthorizationFailedError):
        run(_produce(sasl_stack, "mission-ml", "reintegration.bf.intake"))
    # Nor a platform domain of its own office: intake's events are intake's to write.
    with pytest.raises(TopicAuthorizationFailedError):
        run(_produce(sasl_stack, "mission-ml", "reintegration.ml.intake"))


def test_a_partner_reads_its_feed_but_not_a_reintegration_topic(sasl_stack: SaslStack) -> None:
    run(_produce(sasl_stack, "partners", "partners.sahel-sante.events"))
    assert fetch_error(sasl_stack, "partner-sahel-sante", "partners.sahel-sante.events") == 0
    assert fetch_error(sasl_stack, "partner-sahel-sante", "reintegration.bf.intake") == REFUSED
    # Nor another partner's feed.
    assert fetch_error(sasl_stack, "partner-agadez-artisans", "partners.sahel-sante.events") == (
        REFUSED
    )


def test_a_service_reads_what_it_consumes_and_nothing_else(sasl_stack: SaslStack) -> None:
    run(_produce(sasl_stack, "intake", "reintegration.bf.intake"))
    assert fetch_error(sasl_stack, "training", "reintegration.bf.intake") == 0
    run(_read_in_group(sasl_stack, "training", "reintegration.bf.intake", "training"))
    # Training consumes intake only: the committee's decisions are none of its business.
    assert fetch_error(sasl_stack, "training", "reintegration.bf.committee") == REFUSED


def test_consumer_groups_are_prefixed_per_principal(sasl_stack: SaslStack) -> None:
    run(_read_in_group(sasl_stack, "hq", "reintegration.bf.intake", f"hq.{uuid.uuid4().hex}"))
    with pytest.raises(GroupAuthorizationFailedError):
        run(_read_in_group(sasl_stack, "hq", "reintegration.bf.intake", "monitoring"))


def test_hq_reads_every_office_but_never_a_partner_feed(sasl_stack: SaslStack) -> None:
    assert fetch_error(sasl_stack, "hq", "reintegration.ml.visits") == 0
    assert fetch_error(sasl_stack, "hq", "partners.sahel-sante.events") == REFUSED


def test_a_wrong_password_is_refused(sasl_stack: SaslStack) -> None:
    wrong = SaslStack(sasl_stack.bootstrap, {"hq": "not-the-password"})
    with pytest.raises(KafkaError):
        fetch_error(wrong, "hq", "reintegration.bf.intake")
