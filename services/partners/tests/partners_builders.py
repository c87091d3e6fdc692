"""What the partners tests share: the service under test, webhook receivers on 127.0.0.1,
upstream events as intake and training would publish them."""

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import httpx
import uvicorn
from aiokafka.errors import KafkaError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from reintegration_contracts import EventPayload
from reintegration_contracts.events.intake import (
    ConsentPurpose,
    ConsentRecorded,
    ConsentWithdrawn,
    PartnerCategory,
    ReturneeErased,
)
from reintegration_contracts.events.training import (
    CertificationRoute,
    SkillCertified,
    SkillLevel,
)
from reintegration_sdk import Role
from reintegration_sdk.testing.infrastructure import Infrastructure
from reintegration_sdk.testing.service import auth_headers, publish, upstream_event

TODAY = datetime.now(UTC).date()
# Days become seconds: an endpoint failing without a success for 6 s is disabled (the flaky
# receiver of test_webhooks recovers within about 2 s, which must not disable it).
DISABLE_AFTER_SECONDS = 6.0


def manager(office: str) -> dict[str, str]:
    return auth_headers([Role.OFFICE_MANAGER], [office], subject="manager")


def partner_principal(partner_id: str) -> dict[str, str]:
    return auth_headers([Role.PARTNER], [], subject=f"{partner_id}-app", partner_id=partner_id)


def new_partner_id() -> str:
    return f"ngo-{uuid4().hex[:10]}"


def consent(returnee: UUID, given_on: date = TODAY, **changes: Any) -> ConsentRecorded:
    values: dict[str, Any] = {
        "returnee_id": returnee,
        "purpose": ConsentPurpose.REFERRAL,
        "partner_category": PartnerCategory.NGO,
        "given_on": given_on,
        **changes,
    }
    return ConsentRecorded(**values)


def withdrawal(returnee: UUID) -> ConsentWithdrawn:
    return ConsentWithdrawn(
        returnee_id=returnee,
        purpose=ConsentPurpose.REFERRAL,
        partner_category=PartnerCategory.NGO,
        withdrawn_on=TODAY,
    )


def erasure(returnee: UUID) -> ReturneeErased:
    return ReturneeErased(returnee_id=returnee, erased_on=TODAY)


def certification(returnee: UUID, trade: str = "welding") -> SkillCertified:
    return SkillCertified(
        returnee_id=returnee,
        trade=trade,
        level=SkillLevel.BASIC,
        route=CertificationRoute.ASSESSMENT,
        centre_id=uuid4(),
        certified_on=TODAY,
    )


@dataclass
class PartnersUnderTest:
    client: httpx.AsyncClient
    office: str
    infrastructure: Infrastructure
    offices: list[str] = field(default_factory=list)

    def in_office(self, number: int) -> "PartnersUnderTest":
        """The same service, acting in the test's own office."""
        return replace(self, office=self.offices[number])

    async def register(self, partner_id: str, kind: str = "local_ngo") -> None:
        answer = await self.client.post(
            f"/offices/{self.office}/partners",
            json={
                "partner_id": partner_id,
                "name": "Santé Sahel",
                "kind": kind,
                "offices": [self.office],
                "contacts": [{"role": "programme officer", "name": "A. Diallo",
                              "phone": "+226 70 00 00 00"}],
            },
            headers=manager(self.office),
        )  # fmt: skip
        assert answer.status_code == 201, answer.text

    async def sign(self, partner_id: str, fields: list[str] | None = None, **terms: Any) -> UUID:
        body = {
            "offices": [self.office],
            "purposes": ["referral"],
            "shares": [{"event_type": "SkillCertified", "fields": fields or ["trade"]}],
            "starts_on": (TODAY - timedelta(days=7)).isoformat(),
            "ends_on": (TODAY + timedelta(days=365)).isoformat(),
            **terms,
        }
        answer = await self.client.post(
            f"/offices/{self.office}/partners/{partner_id}/agreements",
            json=body,
            headers=manager(self.office),
        )
        assert answer.status_code == 201, answer.text
        return UUID(answer.json()["agreement_id"])

    async def publish(self, *payloads: EventPayload) -> list[UUID]:
        envelopes = [upstream_event(p, self.office) for p in payloads]
        for attempt in range(5):
            try:
                await publish(self.infrastructure, envelopes)
                break
            except KafkaError:
                # A busy broker may still be electing a new topic's leaders. Sending the
                # same events again is harmless: the inbox applies each id once.
                if attempt == 4:
                    raise
                await asyncio.sleep(1)
        return [e.id for e in envelopes]

    async def feed(self, partner_id: str, after: int = 0) -> list[dict[str, Any]]:
        answer = await self.client.get(
            f"/partners/{partner_id}/feed",
            params={"after": after, "limit": 1000},
            headers=partner_principal(partner_id),
        )
        assert answer.status_code == 200, answer.text
        entries: list[dict[str, Any]] = answer.json()["entries"]
        return entries

    async def add_endpoint(self, partner_id: str, url: str) -> tuple[str, str]:
        answer = await self.client.post(
            f"/partners/{partner_id}/webhook-endpoints",
            json={"url": url},
            headers=partner_principal(partner_id),
        )
        assert answer.status_code == 201, answer.text
        return answer.json()["endpoint_id"], answer.json()["secret"]


@dataclass
class Received:
    body: bytes
    headers: dict[str, str]


@dataclass
class Receiver:
    """A webhook receiver on 127.0.0.1; `answer(n)` says what the n-th request (from 1) gets."""

    answer: Callable[[int], tuple[int, dict[str, str], float]]
    received: list[Received] = field(default_factory=list)
    url: str = ""

    async def handle(self, request: Request) -> Response:
        body = await request.body()
        self.received.append(Received(body, dict(request.headers)))
        status, headers, delay = self.answer(len(self.received))
        if delay:
            await asyncio.sleep(delay)
        return Response(status_code=status, headers=headers)

    def by_id(self) -> dict[str, list[bytes]]:
        found: dict[str, list[bytes]] = {}
        for request in self.received:
            found.setdefault(request.headers["webhook-id"], []).append(request.body)
        return found

    def documents(self) -> list[dict[str, Any]]:
        return [json.loads(r.body) for r in self.received]


def healthy(_: int) -> tuple[int, dict[str, str], float]:
    return 204, {}, 0.0


@contextlib.asynccontextmanager
async def receiving(answer: Callable[[int], tuple[int, dict[str, str], float]] = healthy
                    ) -> AsyncIterator[Receiver]:  # fmt: skip
    receiver = Receiver(answer)
    app = Starlette(routes=[Route("/hook", receiver.handle, methods=["POST"])])
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_config=None, lifespan="off")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    receiver.url = f"http://127.0.0.1:{port}/hook"
    try:
        yield receiver
    finally:
        server.should_exit = True
        await task
