"""Webhooks against receivers on 127.0.0.1 (healthy, failing then recovering, slow, gone),
every request checked with the `standardwebhooks` package's verifier."""

from typing import Any
from uuid import uuid4

import pytest
from partners_builders import (
    PartnersUnderTest,
    Receiver,
    certification,
    consent,
    new_partner_id,
    partner_principal,
    receiving,
)
from standardwebhooks.webhooks import Webhook

from reintegration_sdk.testing.service import eventually

pytestmark = pytest.mark.integration


def verified(receiver: Receiver, *secrets: str) -> list[dict[str, Any]]:
    """Every request the receiver got, verified with each of `secrets`."""
    documents = []
    for request in receiver.received:
        for secret in secrets:
            documents.append(Webhook(secret).verify(request.body, request.headers))
    return documents


def flaky(number: int) -> tuple[int, dict[str, str], float]:
    # Busy, then broken, then fine: the second asks for a pause the sender must honour.
    if number == 1:
        return 500, {}, 0.0
    if number == 2:
        return 503, {"Retry-After": "1"}, 0.0
    if number == 3:
        return 429, {"Retry-After": "1"}, 0.0
    return 200, {}, 0.0


def slow(_: int) -> tuple[int, dict[str, str], float]:
    return 204, {}, 5.0  # longer than the sender's timeout (1 s in these tests)


def gone(_: int) -> tuple[int, dict[str, str], float]:
    return 410, {}, 0.0


async def test_each_endpoint_gets_signed_deliveries_at_its_own_pace(
    partners: PartnersUnderTest,
) -> None:
    partners = partners.in_office(6)
    partner = new_partner_id()
    await partners.register(partner)
    await partners.sign(partner)
    returnees = [uuid4() for _ in range(3)]
    await partners.publish(*(consent(r) for r in returnees))
    async with (
        receiving() as good, receiving(flaky) as failing, receiving(slow) as sluggish,
        receiving(gone) as leaving,
    ):  # fmt: skip
        endpoints = {}
        for name, receiver in [("good", good), ("failing", failing), ("slow", sluggish),
                               ("gone", leaving)]:  # fmt: skip
            endpoints[name] = await partners.add_endpoint(partner, receiver.url)
        await partners.publish(*(certification(r) for r in returnees))

        async def all_delivered(receiver: Receiver) -> None:
            assert len(receiver.by_id()) == 3

        await eventually(lambda: all_delivered(good))
        # The slow endpoint has not had one answer in time, and held no one else up.
        assert await _state(partners, partner, endpoints["slow"][0], "delivered") == 0
        documents = verified(good, endpoints["good"][1])
        assert {d["data"]["fields"]["trade"] for d in documents} == {"welding"}

        await eventually(lambda: all_delivered(failing), timeout=30)
        await eventually(lambda: _delivered(partners, partner, endpoints["failing"][0], 3))
        verified(failing, endpoints["failing"][1])
        retried = failing.by_id()
        assert max(len(bodies) for bodies in retried.values()) > 1
        # A retry carries the very bytes of the first attempt.
        assert all(len(set(bodies)) == 1 for bodies in retried.values())
        log = await _log(partners, partner, endpoints["failing"][0])
        statuses = [a["status"] for d in log for a in d["attempts"]]
        assert {500, 503, 429, 200} <= set(statuses)
        assert all(a["latency_ms"] >= 0 for d in log for a in d["attempts"])

        # 410: called once, then never again.
        await eventually(lambda: _endpoint_state(partners, partner, endpoints["gone"][0],
                                                 "disabled"))  # fmt: skip
        assert len(leaving.received) == 1

        # A rotation: the next deliveries are signed with the new secret and the old one.
        rotated = await partners.client.post(
            f"/partners/{partner}/webhook-endpoints/{endpoints['good'][0]}/secret-rotation",
            headers=partner_principal(partner),
        )
        assert rotated.status_code == 201, rotated.text
        new_secret = rotated.json()["secret"]
        before = len(good.received)
        extra = uuid4()
        await partners.publish(consent(extra))
        await partners.publish(certification(extra, trade="tailoring"))
        await eventually(lambda: _more(good, before))
        latest = Receiver(good.answer, good.received[before:])
        verified(latest, new_secret, endpoints["good"][1])

        # Replay from the start: the same ids, the same bytes.
        first_bodies = good.by_id()
        replay = await partners.client.post(
            f"/partners/{partner}/webhook-endpoints/{endpoints['good'][0]}/replay",
            json={"after": 0},
            headers=partner_principal(partner),
        )
        assert replay.status_code == 201 and replay.json()["requeued"] == 4
        count = len(good.received)
        await eventually(lambda: _more(good, count + 3))
        assert all(len(set(bodies)) == 1 for bodies in good.by_id().values())
        assert good.by_id().keys() == first_bodies.keys()


async def _more(receiver: Receiver, than: int) -> None:
    assert len(receiver.received) > than


async def _endpoints(partners: PartnersUnderTest, partner: str) -> list[dict[str, Any]]:
    answer = await partners.client.get(
        f"/partners/{partner}/webhook-endpoints", headers=partner_principal(partner)
    )
    assert answer.status_code == 200, answer.text
    found: list[dict[str, Any]] = answer.json()
    return found


async def _state(partners: PartnersUnderTest, partner: str, endpoint: str, state: str) -> int:
    [view] = [e for e in await _endpoints(partners, partner) if e["endpoint_id"] == endpoint]
    count: int = view[state]
    return count


async def _delivered(partners: PartnersUnderTest, partner: str, endpoint: str, n: int) -> None:
    assert await _state(partners, partner, endpoint, "delivered") == n


async def _endpoint_state(
    partners: PartnersUnderTest, partner: str, endpoint: str, state: str
) -> None:
    [view] = [e for e in await _endpoints(partners, partner) if e["endpoint_id"] == endpoint]
    assert view["state"] == state, view


async def _log(partners: PartnersUnderTest, partner: str, endpoint: str) -> list[dict[str, Any]]:
    answer = await partners.client.get(
        f"/partners/{partner}/webhook-endpoints/{endpoint}/deliveries",
        headers=partner_principal(partner),
    )
    assert answer.status_code == 200, answer.text
    log: list[dict[str, Any]] = answer.json()
    return log
