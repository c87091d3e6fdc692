"""The consent-free aggregates feed over the real broker: counts of returnees per office, stage
and trade under the partner's agreements, whoever consented; no person, no pseudonym, and
counts below five shown as "<5"."""

import csv
import io
from typing import Any
from uuid import uuid4

import pytest
from partners_builders import (
    PartnersUnderTest,
    certification,
    consent,
    new_partner_id,
    partner_principal,
)

from reintegration_sdk.testing.service import eventually

pytestmark = pytest.mark.integration


async def test_aggregates_count_everyone_covered_and_hide_small_counts(
    partners: PartnersUnderTest,
) -> None:
    partners = partners.in_office(9)
    elsewhere = partners.in_office(10)
    with_trade, without_trade, stranger = new_partner_id(), new_partner_id(), new_partner_id()
    for partner in (with_trade, without_trade, stranger):
        await partners.register(partner)
    await partners.sign(with_trade, fields=["trade"])
    await partners.sign(without_trade, fields=["level"])  # the trade is not shared with it
    welders, tailors = [uuid4() for _ in range(6)], [uuid4() for _ in range(2)]
    # One welder consented: the feed gets that one; the counts need no consent.
    await partners.publish(consent(welders[0]))
    await partners.publish(
        *(certification(r) for r in welders),
        *(certification(r, trade="tailoring") for r in tailors),
    )
    # Another office, which no agreement covers, counts for no one here.
    await elsewhere.publish(*(certification(uuid4()) for _ in range(7)))

    async def counted(partner: str, cells: int) -> dict[str, object]:
        answer = await partners.client.get(
            f"/partners/{partner}/aggregates", headers=partner_principal(partner)
        )
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert len(body["cells"]) == cells, body
        assert not cells or sum(c["returnees"] or 0 for c in body["cells"]) >= 6, body
        return body  # type: ignore[no-any-return]

    body = await eventually(lambda: counted(with_trade, 2), timeout=30)
    assert body["cells"] == [
        {"country_office": partners.office, "event_type": "SkillCertified", "stage": "certified",
         "trade": "tailoring", "returnees": None, "shown": "<5"},
        {"country_office": partners.office, "event_type": "SkillCertified", "stage": "certified",
         "trade": "welding", "returnees": 6, "shown": "6"},
    ]  # fmt: skip
    assert body["suppression"]["below"] == 5 and "<5" in body["suppression"]["why"]
    # No person in it: no returnee id, no pseudonym of the partner's feed.
    [entry] = await eventually(lambda: _feed(partners, with_trade))
    text = str(body)
    assert entry["data"]["subject"] not in text and "p_" not in text
    assert not any(str(r) in text or r.hex in text for r in welders + tailors)

    body = await eventually(lambda: counted(without_trade, 1), timeout=30)
    assert body["cells"] == [
        {"country_office": partners.office, "event_type": "SkillCertified", "stage": "certified",
         "trade": None, "returnees": 8, "shown": "8"},
    ]  # fmt: skip

    answer = await partners.client.get(
        f"/partners/{with_trade}/aggregates", params={"format": "csv"},
        headers=partner_principal(with_trade),
    )  # fmt: skip
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    assert list(csv.reader(io.StringIO(answer.text))) == [
        ["country_office", "event_type", "stage", "trade", "returnees"],
        [partners.office, "SkillCertified", "certified", "tailoring", "<5"],
        [partners.office, "SkillCertified", "certified", "welding", "6"],
    ]

    # A partner without an agreement sees no counts, and none of another partner's.
    assert (await counted(stranger, 0))["cells"] == []
    answer = await partners.client.get(
        f"/partners/{with_trade}/aggregates", headers=partner_principal(stranger)
    )
    assert answer.status_code == 403, answer.text


async def _feed(partners: PartnersUnderTest, partner: str) -> list[dict[str, Any]]:
    entries = await partners.feed(partner)
    assert len(entries) == 1
    return entries
