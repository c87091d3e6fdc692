"""The partner's side of `make demo`: a UN agency registered with an agreement, a webhook
receiver of its own on 127.0.0.1 that verifies every delivery with the `standardwebhooks`
package (an implementation nobody here wrote), and a Kafka client reading its topic
`partners.<id>.events`; then what it received, by event type and by channel.

The programme's returnees consent to monitoring and evaluation by UN agencies (the bundled
scenarios say so), so the agency's feed holds their events from the days consent covers,
reduced to the agreed fields, under the agency's own pseudonyms.
"""

import asyncio
import contextlib
import json
import logging
import os
import time
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from uuid import uuid4

import httpx
import uvicorn
from aiokafka import AIOKafkaConsumer
from standardwebhooks.webhooks import Webhook, WebhookVerificationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from reintegration_sdk.auth import AuthSettings, Role, mint_token
from reintegration_sdk.kafka import client_options

PARTNERS_URL = "http://127.0.0.1:8106"
# What the agency may receive: fields that say how far returnees got, none that names them.
SHARES = [
    {"event_type": "ReturneeRegistered", "fields": ["sex", "age_band"]},
    {"event_type": "TrainingCompleted", "fields": ["kind", "trade"]},
    {"event_type": "SkillCertified", "fields": ["trade", "level"]},
    {"event_type": "FollowUpRecorded", "fields": ["activity_running", "jobs_created"]},
]


@dataclass
class WebhookReceiver:
    """The partner's own server: only what verifies under its secret counts."""

    secret: str = ""
    by_type: Counter[str] = field(default_factory=Counter)
    ids: set[str] = field(default_factory=set)
    refused: int = 0
    url: str = ""

    async def handle(self, request: Request) -> Response:
        body = await request.body()
        try:
            document = Webhook(self.secret).verify(body, dict(request.headers))
        except WebhookVerificationError:
            self.refused += 1
            return Response(status_code=400)
        webhook_id = request.headers["webhook-id"]
        if webhook_id not in self.ids:  # a redelivery of the same id is the same message
            self.ids.add(webhook_id)
            self.by_type[document["type"]] += 1
        return Response(status_code=204)


@contextlib.asynccontextmanager
async def serving(receiver: WebhookReceiver) -> AsyncIterator[WebhookReceiver]:
    app = Starlette(routes=[Route("/webhooks", receiver.handle, methods=["POST"])])
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_config=None, lifespan="off")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 (uvicorn's Server offers no event to await)
        await asyncio.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    receiver.url = f"http://127.0.0.1:{port}/webhooks"
    try:
        yield receiver
    finally:
        server.should_exit = True
        await task


def _bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


async def _ok(answer: httpx.Response) -> Any:
    if answer.status_code >= 300:
        raise RuntimeError(f"{answer.request.method} {answer.request.url} -> "
                           f"{answer.status_code}: {answer.text[:400]}")  # fmt: skip
    return answer.json()


@dataclass
class PartnerOutcome:
    partner_id: str
    feed: int
    webhook: Counter[str]
    kafka: Counter[str]
    pull: Counter[str]
    refused: int
    aggregates: list[dict[str, Any]]
    seconds: float

    @property
    def complete(self) -> bool:
        return bool(self.feed) and sum(self.webhook.values()) == sum(self.kafka.values()) == (
            self.feed
        )


async def run(office: str, url: str = PARTNERS_URL, patience: float = 180.0) -> PartnerOutcome:
    # The topic appears with the feed's first entry: aiokafka's "not found yet" is not news.
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)
    auth = AuthSettings()
    partner_id = f"demo-agency-{uuid4().hex[:6]}"
    manager = _bearer(mint_token(auth, f"demo-manager-{office}", [Role.OFFICE_MANAGER], [office]))
    partner = _bearer(mint_token(auth, f"{partner_id}-app", [Role.PARTNER], [],
                                 partner_id=partner_id))  # fmt: skip
    today = date.today()
    started = time.monotonic()
    async with (
        httpx.AsyncClient(base_url=url, timeout=30) as api,
        serving(WebhookReceiver()) as hook,
    ):
        await _ok(await api.post(f"/offices/{office}/partners", headers=manager, json={
            "partner_id": partner_id, "name": "Demo UN agency", "kind": "un_agency",
            "offices": [office],
        }))  # fmt: skip
        created = await _ok(await api.post(
            f"/partners/{partner_id}/webhook-endpoints", headers=partner, json={"url": hook.url}
        ))  # fmt: skip
        hook.secret = created["secret"]
        await _ok(await api.post(f"/offices/{office}/partners/{partner_id}/agreements",
                                 headers=manager, json={
            "offices": [office], "purposes": ["monitoring_and_evaluation"], "shares": SHARES,
            "starts_on": (today - timedelta(days=365)).isoformat(),
            "ends_on": (today + timedelta(days=365)).isoformat(),
        }))  # fmt: skip
        kafka: Counter[str] = Counter()
        consumer = AIOKafkaConsumer(
            f"partners.{partner_id}.events",
            bootstrap_servers=os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092"),
            auto_offset_reset="earliest", enable_auto_commit=False, group_id=None,
            **client_options(),
        )  # fmt: skip
        await consumer.start()
        seen: set[bytes] = set()
        try:
            feed = -1
            stable_since = time.monotonic()
            while time.monotonic() - started < patience:
                for part in (await consumer.getmany(timeout_ms=500)).values():
                    for record in part:
                        ce_id = dict(record.headers)["ce_id"]
                        if ce_id not in seen:  # re-published after a crash: same ce_id
                            seen.add(ce_id)
                            kafka[json.loads(record.value)["type"]] += 1
                health = await _ok(await api.get(f"/partners/{partner_id}/feed-health",
                                                 headers=partner))  # fmt: skip
                latest_count = await _feed_count(api, partner_id, partner)
                if latest_count != feed:
                    feed, stable_since = latest_count, time.monotonic()
                done = feed > 0 and sum(hook.by_type.values()) == sum(kafka.values()) == feed
                if done and time.monotonic() - stable_since > 3 and health["kafka"]["behind"] == 0:
                    break
        finally:
            await consumer.stop()
        pull = await _pull(api, partner_id, partner)
        aggregates = (await _ok(await api.get(f"/partners/{partner_id}/aggregates",
                                              headers=partner)))["cells"]  # fmt: skip
    return PartnerOutcome(partner_id, feed, hook.by_type, kafka, pull, hook.refused, aggregates,
                          time.monotonic() - started)  # fmt: skip


async def _feed_count(api: httpx.AsyncClient, partner_id: str, headers: dict[str, str]) -> int:
    return sum((await _pull(api, partner_id, headers)).values())


async def _pull(api: httpx.AsyncClient, partner_id: str, headers: dict[str, str]) -> Counter[str]:
    found: Counter[str] = Counter()
    cursor = 0
    while True:
        page = await _ok(await api.get(f"/partners/{partner_id}/feed", headers=headers,
                                       params={"after": cursor, "limit": 1000}))  # fmt: skip
        found.update(entry["type"] for entry in page["entries"])
        if not page["entries"]:
            return found
        cursor = page["cursor"]


def report(outcome: PartnerOutcome) -> str:
    types = sorted(set(outcome.pull) | set(outcome.webhook) | set(outcome.kafka))
    width = max([len(t) for t in types] + [10])
    lines = [
        f"\nPartner {outcome.partner_id} (UN agency; agreement: monitoring and evaluation) "
        f"received in {outcome.seconds:.1f} s:",
        f"  {'event type':<{width}}  {'webhook':>8}  {'kafka':>8}  {'pull feed':>9}",
    ]
    for t in types:
        lines.append(f"  {t:<{width}}  {outcome.webhook[t]:>8}  {outcome.kafka[t]:>8}  "
                     f"{outcome.pull[t]:>9}")  # fmt: skip
    lines.append(f"  {'total':<{width}}  {sum(outcome.webhook.values()):>8}  "
                 f"{sum(outcome.kafka.values()):>8}  {sum(outcome.pull.values()):>9}")  # fmt: skip
    lines.append(f"  Every webhook verified with standardwebhooks "
                 f"({outcome.refused} refused); returnees appear only as the agency's "
                 f"pseudonyms.")  # fmt: skip
    if outcome.aggregates:
        shown = ", ".join(f"{c['event_type']}{'/' + c['trade'] if c['trade'] else ''} "
                          f"{c['shown']}" for c in outcome.aggregates[:8])  # fmt: skip
        lines.append(f"  Aggregates (consent-free, counts < 5 hidden): {shown}")
    verdict = "all three channels agree" if outcome.complete else "CHANNELS DO NOT AGREE"
    lines.append(f"  The partner's feed: {outcome.feed} entries; {verdict}.")
    return "\n".join(lines)
