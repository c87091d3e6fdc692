"""Feeds are consent ∩ agreement, end to end over the real broker: events published as intake
and training would publish them, read back through the pull feed and, with an aiokafka client
of the test's own, from `partners.<id>.events`."""

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
    erasure,
    manager,
    new_partner_id,
    partner_principal,
    withdrawal,
)

from reintegration_sdk import Role
from reintegration_sdk.testing.service import auth_headers, eventually

pytestmark = pytest.mark.integration


async def observed(database: str, event_ids: list[UUID]) -> None:
    """Wait until the service has read these events (held or not)."""

    async def check() -> None:
        connection = await asyncpg.connect(database)
        try:
            count = await connection.fetchval(
                "SELECT count(*) FROM observed_events WHERE event_id = ANY($1::uuid[])", event_ids
            )
        finally:
            await connection.close()
        assert count == len(event_ids)

    await eventually(check)


async def kafka_feed(bootstrap: str, partner_id: str, expected: int) -> list[Any]:
    """Every record of the partner's topic, read by a client of the test's own (once
    `expected` have come, a few more polls show that nothing else follows)."""
    topic = f"partners.{partner_id}.events"
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        isolation_level="read_committed",
        auto_offset_reset="earliest",
        metadata_max_age_ms=500,
    )
    await consumer.start()
    records: list[Any] = []
    try:

        async def check() -> None:
            for part in (await consumer.getmany(timeout_ms=500)).values():
                records.extend(part)
            assert len(records) >= expected

        await eventually(check, timeout=30)
        for _ in range(3):
            for part in (await consumer.getmany(timeout_ms=300)).values():
                records.extend(part)
        return records
    finally:
        await consumer.stop()


async def test_a_partner_gets_only_consented_events_reduced_under_its_own_pseudonym(
    partners: PartnersUnderTest, partners_database: str
) -> None:
    partners = partners.in_office(0)
    first, second, company = new_partner_id(), new_partner_id(), new_partner_id()
    await partners.register(first)
    await partners.register(second)
    await partners.register(company, kind="private_company")
    for partner in (first, second, company):
        await partners.sign(partner)
    consenting, silent, late, too_early = uuid4(), uuid4(), uuid4(), uuid4()
    everyone = {consenting, silent, late, too_early}
    await partners.publish(
        consent(consenting),
        # Consent given tomorrow covers nothing that happened today.
        consent(too_early, given_on=TODAY + timedelta(days=1)),
    )
    certified = await partners.publish(
        certification(consenting), certification(silent, trade="tailoring"),
        certification(late, trade="masonry"), certification(too_early),
    )  # fmt: skip
    # Consent arriving after the event it covers releases it: order does not decide.
    await observed(partners_database, certified)
    await partners.publish(consent(late))

    async def two_entries() -> list[dict[str, Any]]:
        entries = await partners.feed(first)
        assert len(entries) == 2
        return entries

    entries = await eventually(two_entries)
    assert {e["data"]["fields"]["trade"] for e in entries} == {"welding", "masonry"}
    for entry in entries:
        assert entry["type"] == "event.SkillCertified"
        assert entry["data"]["fields"].keys() == {"trade"}  # reduced to what was agreed
    text = json.dumps(entries)
    assert not any(str(r) in text or r.hex in text for r in everyone)
    second_entries = await eventually(lambda: _entries(partners, second, 2))
    first_subjects = {e["data"]["subject"] for e in entries}
    assert first_subjects.isdisjoint({e["data"]["subject"] for e in second_entries})
    # Returnees consented to NGOs, not to a private company.
    assert await partners.feed(company) == []

    records = await kafka_feed(partners.infrastructure.kafka_bootstrap_servers, first, 2)
    assert len(records) == 2
    for record in records:
        headers = dict(record.headers)
        assert headers["ce_specversion"] == b"1.0"
        assert headers["ce_type"] == b"org.reintegration.partners.event.SkillCertified"
        assert headers["ce_subject"].decode() in first_subjects
        body = record.value.decode()
        assert not any(str(r) in body or r.hex in body for r in everyone)
        assert json.loads(body)["data"]["fields"].keys() == {"trade"}
    assert {json.loads(r.value)["data"]["id"] for r in records} == {
        e["data"]["id"] for e in entries
    }


async def _entries(partners: PartnersUnderTest, partner: str, count: int) -> list[dict[str, Any]]:
    entries = await partners.feed(partner)
    assert len(entries) == count
    return entries


async def test_withdrawal_sends_a_notice_and_nothing_more(
    partners: PartnersUnderTest, partners_database: str
) -> None:
    partners = partners.in_office(1)
    partner = new_partner_id()
    await partners.register(partner)
    await partners.sign(partner)
    returnee = uuid4()
    await partners.publish(consent(returnee))
    await partners.publish(certification(returnee))
    await eventually(lambda: _entries(partners, partner, 1))
    await partners.publish(withdrawal(returnee))
    entries = await eventually(lambda: _entries(partners, partner, 2))
    assert entries[-1]["type"] == "consent.withdrawn"
    assert entries[-1]["data"]["subject"] == entries[0]["data"]["subject"]
    assert entries[-1]["data"]["fields"] == {"purpose": "referral", "withdrawn_on": str(TODAY)}
    after = await partners.publish(certification(returnee, trade="plumbing"))
    await observed(partners_database, after)
    assert [e["type"] for e in await partners.feed(partner)] == [
        "event.SkillCertified",
        "consent.withdrawn",
    ]


async def test_erasure_purges_the_partners_copies_and_leaves_a_notice(
    partners: PartnersUnderTest, partners_database: str
) -> None:
    partners = partners.in_office(2)
    partner = new_partner_id()
    await partners.register(partner)
    await partners.sign(partner)
    erased, kept = uuid4(), uuid4()
    await partners.publish(consent(erased), consent(kept))
    await partners.publish(certification(erased), certification(kept, trade="poultry"))
    before = await eventually(lambda: _entries(partners, partner, 2))
    [gone] = [e["data"]["subject"] for e in before if e["data"]["fields"]["trade"] == "welding"]
    await partners.publish(erasure(erased))

    async def purged() -> list[dict[str, Any]]:
        entries = await partners.feed(partner)
        assert [e["type"] for e in entries] == ["event.SkillCertified", "returnee.erased"]
        return entries

    kept_entry, notice = await eventually(purged)
    assert kept_entry["data"]["fields"] == {"trade": "poultry"}
    assert notice["data"]["subject"] == gone
    connection = await asyncpg.connect(partners_database)
    try:
        stored = await connection.fetch(
            "SELECT kind FROM feed_entries WHERE returnee_id = $1", erased
        )
        held = await connection.fetchval(
            "SELECT count(*) FROM observed_events WHERE returnee_id = $1", erased
        )
    finally:
        await connection.close()
    assert [row["kind"] for row in stored] == ["returnee_erased"]
    assert held == 0
    # Whatever arrives later about an erased returnee is shared with no one.
    await partners.publish(certification(erased, trade="driving"))
    await partners.publish(consent(erased, purpose="referral"))
    kept_entries = await partners.feed(partner)
    assert [e["data"]["subject"] for e in kept_entries].count(gone) == 1


async def test_revoking_an_agreement_stops_the_feed_at_once(
    partners: PartnersUnderTest, partners_database: str
) -> None:
    partners = partners.in_office(3)
    partner = new_partner_id()
    await partners.register(partner)
    agreement = await partners.sign(partner)
    returnee = uuid4()
    await partners.publish(consent(returnee))
    await partners.publish(certification(returnee))
    await eventually(lambda: _entries(partners, partner, 1))
    answer = await partners.client.post(
        f"/offices/{partners.office}/agreements/{agreement}/revocation",
        json={"reason": "programme_closed"},
        headers=manager(partners.office),
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["in_force"] is False
    assert await partners.feed(partner) == []
    later = await partners.publish(certification(returnee, trade="tiling"))
    await observed(partners_database, later)
    assert await partners.feed(partner) == []


async def test_a_feed_is_the_partners_own(partners: PartnersUnderTest) -> None:
    partners = partners.in_office(4)
    partner, other = new_partner_id(), new_partner_id()
    await partners.register(partner)
    await partners.register(other)
    url = f"/partners/{partner}/feed"
    assert (await partners.client.get(url, headers=partner_principal(other))).status_code == 403
    caseworker = auth_headers([Role.CASEWORKER], [partners.office])
    assert (await partners.client.get(url, headers=caseworker)).status_code == 403
    elsewhere = auth_headers([Role.OFFICE_MANAGER], ["zz" if partners.office != "zz" else "zw"])
    assert (await partners.client.get(url, headers=elsewhere)).status_code == 403
    assert (await partners.client.get(url, headers=manager(partners.office))).status_code == 200
    csv = await partners.client.get(
        url, params={"format": "csv"}, headers=partner_principal(partner)
    )
    assert csv.status_code == 200 and csv.text.splitlines()[0].startswith("sequence,id,type")
    # A partner's token opens nothing of the office's own.
    office_list = await partners.client.get(
        f"/offices/{partners.office}/partners", headers=partner_principal(partner)
    )
    assert office_list.status_code == 403


async def test_bad_agreement_terms_are_named_field_by_field(partners: PartnersUnderTest) -> None:
    partners = partners.in_office(5)
    partner = new_partner_id()
    await partners.register(partner)
    answer = await partners.client.post(
        f"/offices/{partners.office}/partners/{partner}/agreements",
        json={
            "offices": [partners.office],
            "purposes": ["referral", "gossip"],
            "shares": [{"event_type": "SkillCertified", "fields": ["trade", "phone"]}],
            "starts_on": str(TODAY),
            "ends_on": str(TODAY - timedelta(days=1)),
        },
        headers=manager(partners.office),
    )
    assert answer.status_code == 422, answer.text
    assert "body.purposes.1" in answer.text
