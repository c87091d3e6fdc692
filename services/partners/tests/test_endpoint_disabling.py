"""An endpoint failing for "days" (seconds here) is disabled: a real receiver on 127.0.0.1
answering 500 every time, the partner told through its endpoints and feed health, the office
through WebhookEndpointDisabled on its partners topic (read back by a client of the test's
own) and its managers' list of disabled endpoints. A receiver that recovers in time is not."""

import time
from typing import Any
from uuid import UUID, uuid4

import pytest
from aiokafka import AIOKafkaConsumer
from partners_builders import (
    DISABLE_AFTER_SECONDS,
    TODAY,
    PartnersUnderTest,
    certification,
    consent,
    manager,
    new_partner_id,
    partner_principal,
    receiving,
)

from reintegration_contracts.envelope import from_kafka
from reintegration_contracts.events.partners import PARTNERS, WebhookEndpointDisabled
from reintegration_contracts.topics import topic_for
from reintegration_sdk.kafka import client_options
from reintegration_sdk.testing.service import eventually

pytestmark = pytest.mark.integration


def broken(_: int) -> tuple[int, dict[str, str], float]:
    return 500, {}, 0.0


def recovering(number: int) -> tuple[int, dict[str, str], float]:
    return (500, {}, 0.0) if number <= 2 else (204, {}, 0.0)


async def _health(partners: PartnersUnderTest, partner: str) -> dict[str, Any]:
    answer = await partners.client.get(
        f"/partners/{partner}/feed-health", headers=partner_principal(partner)
    )
    assert answer.status_code == 200, answer.text
    health: dict[str, Any] = answer.json()
    return health


async def _disabled_events(bootstrap: str, office: str, endpoint: str) -> list[dict[str, Any]]:
    consumer = AIOKafkaConsumer(
        topic_for(office, PARTNERS), bootstrap_servers=bootstrap, auto_offset_reset="earliest",
        enable_auto_commit=False, group_id=None, **client_options(),
    )  # fmt: skip
    await consumer.start()
    found: list[dict[str, Any]] = []
    try:

        async def told() -> None:
            for part in (await consumer.getmany(timeout_ms=500)).values():
                for record in part:
                    envelope = from_kafka(record.headers, record.value)
                    if envelope.event_name == "WebhookEndpointDisabled":
                        found.append({"envelope": envelope, "body": record.value})
            assert [f for f in found if str(f["envelope"].data["endpoint_id"]) == endpoint]

        await eventually(told, timeout=30)
    finally:
        await consumer.stop()
    return [f for f in found if str(f["envelope"].data["endpoint_id"]) == endpoint]


async def test_an_endpoint_failing_for_days_is_disabled_and_the_partner_and_office_told(
    partners: PartnersUnderTest,
) -> None:
    partners = partners.in_office(7)
    partner = new_partner_id()
    await partners.register(partner)
    await partners.sign(partner)
    returnees = [uuid4() for _ in range(2)]
    await partners.publish(*(consent(r) for r in returnees))
    async with receiving(broken) as failing, receiving(recovering) as recovers:
        failing_endpoint, _ = await partners.add_endpoint(partner, failing.url)
        recovering_endpoint, _ = await partners.add_endpoint(partner, recovers.url)
        started = time.monotonic()
        await partners.publish(*(certification(r) for r in returnees))

        async def disabled() -> dict[str, Any]:
            health = await _health(partners, partner)
            [view] = [e for e in health["webhook_endpoints"]
                      if e["endpoint_id"] == failing_endpoint]  # fmt: skip
            assert view["state"] == "disabled", view
            return health

        health = await eventually(disabled, timeout=60)
        # Not before the threshold: it was retried, and failed, all that while.
        assert time.monotonic() - started > DISABLE_AFTER_SECONDS
        assert len(failing.received) > 2
        [view] = [e for e in health["webhook_endpoints"] if e["endpoint_id"] == failing_endpoint]
        assert view["disabled_reason"] == "failing"
        assert view["failing_since"] is not None and view["disabled_at"] is not None
        assert view["delivered"] == 0 and view["pending"] == 0 and view["stopped"] == 2
        assert health["disabled_endpoints"] == 1
        # Disabled means never called again.
        calls = len(failing.received)
        await partners.publish(consent(extra := uuid4()))
        await partners.publish(certification(extra, trade="tailoring"))

        async def recovered_all() -> None:
            assert len(recovers.by_id()) == 3

        await eventually(recovered_all, timeout=30)
        assert len(failing.received) == calls
        [other] = [e for e in (await _health(partners, partner))["webhook_endpoints"]
                   if e["endpoint_id"] == recovering_endpoint]  # fmt: skip
        # Failing for a moment is not failing for days.
        assert other["state"] == "active" and other["disabled_reason"] is None, other

    # The office's managers see it among their disabled endpoints: no URL.
    answer = await partners.client.get(
        f"/offices/{partners.office}/disabled-webhook-endpoints", headers=manager(partners.office)
    )
    assert answer.status_code == 200, answer.text
    listed = [e for e in answer.json() if e["partner_id"] == partner]
    assert [e["endpoint_id"] for e in listed] == [failing_endpoint]
    assert listed[0]["reason"] == "failing" and listed[0]["stopped_deliveries"] == 2
    assert "url" not in listed[0] and "127.0.0.1" not in answer.text
    # Another office's managers do not see this office's partners.
    elsewhere = partners.in_office(8).office
    answer = await partners.client.get(
        f"/offices/{elsewhere}/disabled-webhook-endpoints", headers=manager(elsewhere)
    )
    assert answer.status_code == 200 and partner not in answer.text

    # The office and the partner are told on the office's partners topic, once.
    [told] = await _disabled_events(
        partners.infrastructure.kafka_bootstrap_servers, partners.office, failing_endpoint
    )
    envelope = told["envelope"]
    assert envelope.countryoffice == partners.office
    event = envelope.payload()
    assert isinstance(event, WebhookEndpointDisabled)
    assert event.partner_id == partner and event.reason.value == "failing"
    assert event.failing_since == TODAY and event.disabled_on == TODAY
    assert event.stopped_deliveries == 2
    assert "127.0.0.1" not in told["body"].decode()

    # The partner, its receiver fixed, enables it again.
    base = f"/partners/{partner}/webhook-endpoints/{failing_endpoint}"
    enabled = await partners.client.post(f"{base}/enable", headers=partner_principal(partner))
    assert enabled.status_code == 201 and enabled.json()["state"] == "active", enabled.text
    assert UUID(enabled.json()["endpoint_id"]) == UUID(failing_endpoint)
