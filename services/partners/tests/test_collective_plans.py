"""Events about several returnees at once (a collective plan's `beneficiary_ids`) are shared
with no partner today: an agreement may not name them, and the service does not even hold
them. If one day they are shared, it must be only as far as every beneficiary consented; this
test fails as soon as a plan event, or the pseudonym of a beneficiary who did not consent,
reaches a partner's feed (pull or Kafka)."""

import json
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import pytest
from aiokafka import AIOKafkaConsumer
from partners_builders import (
    TODAY,
    PartnersUnderTest,
    certification,
    consent,
    manager,
    new_partner_id,
)

from partners.delivery.kafka_feed import feed_topic
from partners.domain.registry import SUBJECT_FIELD, shareable_event_types
from partners.feedstore import subject_for
from reintegration_contracts import EventPayload
from reintegration_contracts.registry import all_kinds, current_model, read_payload
from reintegration_sdk.kafka import client_options
from reintegration_sdk.testing.service import eventually

pytestmark = pytest.mark.integration

COLLECTIVE = "beneficiary_ids"


def collective_types() -> set[str]:
    return {k.name for k in all_kinds() if COLLECTIVE in current_model(k.name).model_fields}


def plan_approved(beneficiaries: list[UUID]) -> EventPayload:
    """A collective plan approved by the committee, in the first version's words (upcast to
    whatever version is current)."""
    return read_payload("PlanApproved", 1, {
        "plan_id": str(uuid4()), "session_id": str(uuid4()), "kind": "collective",
        "beneficiary_ids": [str(b) for b in beneficiaries], "trade": "welding",
        "locality": {"region": "Dosso", "commune": "Dosso"}, "approved_on": TODAY.isoformat(),
        "approved_budget": [{"item": "welding set", "quantity": 1, "unit_cost": 250000}],
        "approved_total": 250000, "currency": "XOF",
    })  # fmt: skip


@pytest.mark.unit
def test_no_event_about_several_returnees_is_shareable() -> None:
    found = collective_types()
    assert {"PlanApproved", "PlanSubmitted", "KitOrdered", "KitDelivered"} <= found
    shareable = shareable_event_types()
    assert not found & shareable.keys()
    # And no shared field could carry a list of returnee ids under another name.
    for event_type, fields in shareable.items():
        assert COLLECTIVE not in fields and SUBJECT_FIELD not in fields, event_type


async def test_a_collective_plan_reaches_no_partner_even_with_some_consent(
    partners: PartnersUnderTest, partners_database: str
) -> None:
    partners = partners.in_office(11)
    partner = new_partner_id()
    await partners.register(partner)
    # An agreement naming a plan event is refused: nothing decides whose consent it needs.
    refused = await partners.client.post(
        f"/offices/{partners.office}/partners/{partner}/agreements",
        json={"offices": [partners.office], "purposes": ["referral"],
              "shares": [{"event_type": "PlanApproved", "fields": ["trade"]}],
              "starts_on": (TODAY - timedelta(days=7)).isoformat(),
              "ends_on": (TODAY + timedelta(days=30)).isoformat()},
        headers=manager(partners.office),
    )  # fmt: skip
    assert refused.status_code == 422, refused.text
    assert "is not an event type about one returnee" in refused.text
    await partners.sign(partner)
    consenting, silent = uuid4(), uuid4()
    await partners.publish(consent(consenting))
    plan = plan_approved([consenting, silent])
    [plan_event] = await partners.publish(plan)
    # A later event about the consenting beneficiary: once it is in the feed, the plan event
    # (published before it, on another topic) has had its chance to arrive.
    await partners.publish(certification(consenting))

    async def one_entry() -> list[dict[str, Any]]:
        entries = await partners.feed(partner)
        assert len(entries) >= 1
        return entries

    entries = await eventually(one_entry, timeout=30)
    records = await _kafka_records(partners.infrastructure.kafka_bootstrap_servers, partner)
    texts = [json.dumps(entries)] + [r.value.decode() + str(r.headers) for r in records]
    leaked = {
        "the plan": str(plan.model_dump()["plan_id"]),
        "the silent beneficiary's pseudonym": subject_for(partner, silent),
        "the silent beneficiary's id": str(silent),
        "a plan event type": "PlanApproved",
    }
    for what, needle in leaked.items():
        assert not any(needle in text for text in texts), f"{what} reached the partner"
    assert [e["type"] for e in entries] == ["event.SkillCertified"]
    assert entries[0]["data"]["subject"] == subject_for(partner, consenting)
    # Nor is it held, for an agreement signed later to release.
    connection = await asyncpg.connect(partners_database)
    try:
        held = await connection.fetchval(
            "SELECT count(*) FROM observed_events WHERE event_id = $1", plan_event
        )
    finally:
        await connection.close()
    assert held == 0


async def _kafka_records(bootstrap: str, partner: str) -> list[Any]:
    consumer = AIOKafkaConsumer(
        feed_topic(partner), bootstrap_servers=bootstrap, auto_offset_reset="earliest",
        enable_auto_commit=False, group_id=None, **client_options(),
    )  # fmt: skip
    await consumer.start()
    records: list[Any] = []
    try:

        async def published() -> None:
            for part in (await consumer.getmany(timeout_ms=500)).values():
                records.extend(part)
            assert records

        await eventually(published, timeout=30)
        for _ in range(3):
            for part in (await consumer.getmany(timeout_ms=300)).values():
                records.extend(part)
    finally:
        await consumer.stop()
    return records
