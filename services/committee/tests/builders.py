"""Object mothers and a harness for the committee's integration tests."""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import httpx

from reintegration_contracts import EventEnvelope, topic_for
from reintegration_contracts.events.procurement import (
    BudgetReviewed,
    LineReason,
    ReviewedLine,
    ReviewFlag,
)
from reintegration_contracts.events.training import CourseKind, TrainingCompleted
from reintegration_sdk.testing.infrastructure import Infrastructure
from reintegration_sdk.testing.service import (
    auth_headers,
    eventually,
    publish,
    read_topic,
    upstream_event,
)

TODAY = date.today()
SUBMITTED_ON = TODAY - timedelta(days=40)
REVIEWED_ON = TODAY - timedelta(days=30)
HELD_ON = TODAY - timedelta(days=10)

MAYOR = {"role": "local_authority", "organisation": "Mairie"}
WOMEN_ASSOCIATION = {"role": "civil_society", "organisation": "Association des femmes"}
AGRONOMIST = {"role": "technical_expert", "organisation": "Direction régionale agriculture"}
QUORATE = [MAYOR, WOMEN_ASSOCIATION, AGRONOMIST]


def a_locality() -> dict[str, str]:
    """A commune no other test uses, so per-locality counts belong to one test."""
    return {"region": "Centre-Est", "commune": f"Commune-{uuid4().hex[:8]}"}


def a_plan_body(
    beneficiaries: Sequence[UUID], locality: dict[str, str], **changes: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "collective" if len(beneficiaries) > 1 else "individual",
        "beneficiary_ids": [str(b) for b in beneficiaries],
        "sector": "crafts",
        "trade": "tailoring",
        "activity": "A tailoring workshop for school uniforms",
        "locality": locality,
        "budget_lines": [
            {"item": "sewing machine", "quantity": 2, "unit_cost": 90_000},
            {"item": "fabric", "quantity": 10, "unit_cost": 5_000},
        ],
        "in_kind_contribution": [{"description": "workshop space", "value": 60_000}],
        "kit_requested": "tailoring",
        "currency": "XOF",
        "submitted_on": SUBMITTED_ON.isoformat(),
    }
    return body | changes


def a_budget_review(
    plan_id: UUID, revision: int = 1, awaiting_officer: bool = False
) -> BudgetReviewed:
    """Procurement's review of `a_plan_body`: the sewing machine is priced down.

    `awaiting_officer`: the automatic review left a line for an officer to settle.
    """
    return BudgetReviewed(
        review_id=uuid4(),
        plan_id=plan_id,
        revision=revision,
        reviewed_on=REVIEWED_ON,
        reviewer="automatic",
        lines=[
            ReviewedLine(
                item="sewing_machine",
                quantity=2,
                submitted_unit_cost=90_000,
                reviewed_unit_cost=80_000 - 1_000 * (revision - 1),
                catalogue_unit_price=80_000,
                flags=[ReviewFlag.ABOVE_CATALOGUE_PRICE],
                reasons=[LineReason.ABOVE_CATALOGUE_PRICE],
            ),
            ReviewedLine(
                item="fabric", quantity=10, submitted_unit_cost=5_000, reviewed_unit_cost=5_000
            ),
        ],
        submitted_total=230_000,
        reviewed_total=210_000 - 2_000 * (revision - 1),
        currency="XOF",
        awaiting_officer=awaiting_officer,
    )


def training_completed(
    returnee_id: UUID,
    cohort_id: UUID,
    kind: CourseKind = CourseKind.ENTREPRENEURSHIP,
    passed: bool = True,
) -> TrainingCompleted:
    return TrainingCompleted(
        cohort_id=cohort_id,
        returnee_id=returnee_id,
        kind=kind,
        trade=None if kind == CourseKind.ENTREPRENEURSHIP else "welding",
        completed_on=SUBMITTED_ON - timedelta(days=20),
        passed=passed,
        days_attended=5,
    )


@dataclass
class CommitteeUnderTest:
    """The running service, its offices, and the upstream world around it."""

    client: httpx.AsyncClient
    office: str
    other_office: str
    infrastructure: Infrastructure
    database: asyncpg.Connection
    # An office whose programme asks no entrepreneurship course before a plan, as Niger's.
    no_course_office: str

    def at(self, office: str) -> "CommitteeUnderTest":
        """The same service, acting for `office` by default."""
        return replace(self, office=office)

    def headers(self, *roles: str, office: str | None = None) -> dict[str, str]:
        return auth_headers(roles or ("committee_secretary",), [office or self.office])

    def url(self, path: str, office: str | None = None) -> str:
        return f"/offices/{office or self.office}{path}"

    async def post(
        self, path: str, body: dict[str, Any], *roles: str, headers: dict[str, str] | None = None
    ) -> httpx.Response:
        return await self.client.post(
            self.url(path), json=body, headers=self.headers(*roles) | (headers or {})
        )

    async def get(self, path: str, **params: Any) -> httpx.Response:
        return await self.client.get(self.url(path), params=params, headers=self.headers())

    async def deliver(self, *envelopes: EventEnvelope) -> None:
        """Publish upstream events and wait until the service has applied the last one.

        Give them one stream id: they share a partition, so the last applied means all were.
        """
        await publish(self.infrastructure, envelopes)
        last = envelopes[-1].id

        async def applied() -> None:
            seen = await self.database.fetchval(
                "SELECT count(*) FROM inbox WHERE event_id = $1", last
            )
            assert seen == 1, "the service has not applied the upstream events yet"

        await eventually(applied, timeout=30)

    async def trained(self, *returnee_ids: UUID) -> None:
        cohort = uuid4()
        await self.deliver(
            *(
                upstream_event(training_completed(r, cohort), self.office, f"cohort-{cohort}")
                for r in returnee_ids
            )
        )

    async def submitted_plan(self, beneficiaries: Sequence[UUID], **changes: Any) -> UUID:
        body = a_plan_body(beneficiaries, changes.pop("locality", None) or a_locality(), **changes)
        response = await self.post("/plans", body, "caseworker")
        assert response.status_code == 201, response.text
        return UUID(response.json()["plan_id"])

    async def reviewed(self, plan_id: UUID, revision: int = 1) -> None:
        review = a_budget_review(plan_id, revision)
        await self.deliver(upstream_event(review, self.office, f"review-{plan_id}"))

    async def session_held(
        self, locality: dict[str, str], members: list[dict[str, str]] | None = None
    ) -> UUID:
        body = {"locality": locality, "held_on": HELD_ON.isoformat(), "members": members or QUORATE}
        response = await self.post("/sessions", body)
        assert response.status_code == 201, response.text
        return UUID(response.json()["session_id"])

    async def published(self, stream_id: str, count: int) -> list[EventEnvelope]:
        topic = topic_for(self.office, "committee")
        events = await read_topic(
            self.infrastructure,
            topic,
            until=lambda found: len([e for e in found if e.subject == stream_id]) >= count,
        )
        return [event for event in events if event.subject == stream_id]
