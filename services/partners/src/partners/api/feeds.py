"""A partner's side: its pull feed (cursor, CSV), its webhook endpoints and their delivery
log, redelivery and replay. The partner itself, or an office manager of one of its offices."""

import json
from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID, uuid4

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from partners.delivery.documents import DELIVERABLE, document
from partners.domain.delivery import new_secret
from reintegration_contracts.events.partners import EndpointDisabledReason
from reintegration_contracts.types import PartnerId
from reintegration_sdk import (
    CSV_ANSWER,
    CommandRoute,
    CurrentPrincipal,
    Db,
    NotFound,
    Role,
    csv_response,
)
from reintegration_sdk.auth import AuthorizationError

router = APIRouter(prefix="/partners/{partner_id}", tags=["partner feed"], route_class=CommandRoute)


async def partner_access(partner_id: PartnerId, principal: CurrentPrincipal, db: Db) -> str:
    """The partner's own principal, or an office manager of an office it works with; no
    one else, and never another partner."""
    if principal.speaks_for(partner_id):
        return partner_id
    if principal.has_role(Role.PARTNER) or not principal.has_role(Role.OFFICE_MANAGER):
        raise AuthorizationError("only the partner or a manager of one of its offices")
    offices = await db.fetchval("SELECT offices FROM partners WHERE partner_id = $1", partner_id)
    if offices is None:
        raise NotFound("partner")
    if not any(principal.can_act_for(office) for office in offices):
        raise AuthorizationError("not a manager of an office this partner works with")
    return partner_id


Partner = Annotated[str, Depends(partner_access)]


class FeedEntry(BaseModel):
    type: str
    timestamp: str
    data: dict[str, Any]


class FeedPage(BaseModel):
    entries: list[FeedEntry]
    cursor: int = Field(description="Pass as `after` for the next page")


@router.get("/feed", response_model=FeedPage, responses=CSV_ANSWER)
async def pull_feed(
    partner: Partner,
    db: Db,
    after: Annotated[int, Query(ge=0, description="The cursor of the last page")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    format: Annotated[Literal["json", "csv"], Query()] = "json",
) -> FeedPage | Response:
    """The feed after `after`, oldest first (replay from any point: any cursor)."""
    rows = await db.fetch(
        f"""SELECT e.* FROM feed_entries e WHERE e.partner_id = $1 AND e.seq > $2
              AND {DELIVERABLE} ORDER BY e.seq LIMIT $3""",
        partner,
        after,
        limit,
    )
    docs = [document(row) for row in rows]
    if format == "csv":
        columns = ["sequence", "id", "type", "timestamp", "country_office", "subject", "fields"]
        lines = [
            [d["data"]["sequence"], d["data"]["id"], d["type"], d["timestamp"],
             d["data"]["country_office"], d["data"]["subject"],
             json.dumps(d["data"]["fields"], sort_keys=True)]
            for d in docs
        ]  # fmt: skip
        return csv_response(f"feed-{partner}", columns, lines)
    cursor = rows[-1]["seq"] if rows else after
    return FeedPage(entries=[FeedEntry.model_validate(d) for d in docs], cursor=cursor)


class EndpointRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(pattern=r"^https?://[^\s]+$", max_length=2000)


class EndpointCreated(BaseModel):
    endpoint_id: UUID
    secret: str = Field(description="Shown once: verify `webhook-signature` with it")


class EndpointView(BaseModel):
    endpoint_id: UUID
    url: str
    state: str
    disabled_reason: EndpointDisabledReason | None = Field(
        description="gone: it answered 410; failing: no success for the office's threshold"
    )
    disabled_at: datetime | None
    failing_since: datetime | None = Field(description="First failure no success followed")
    last_delivered_at: datetime | None
    pending: int
    delivered: int
    failed: int
    stopped: int


@router.post("/webhook-endpoints", status_code=201)
async def add_endpoint(partner: Partner, body: EndpointRequest, db: Db) -> EndpointCreated:
    """Add an endpoint; it receives the whole feed, then every new entry."""
    exists = await db.fetchval("SELECT 1 FROM partners WHERE partner_id = $1", partner)
    if not exists:
        raise NotFound("partner")
    endpoint_id, secret = uuid4(), new_secret()
    await db.execute(
        """INSERT INTO webhook_endpoints (endpoint_id, partner_id, url, secrets)
           VALUES ($1, $2, $3, $4)""",
        endpoint_id,
        partner,
        body.url,
        [secret],
    )
    return EndpointCreated(endpoint_id=endpoint_id, secret=secret)


class KafkaFeedHealth(BaseModel):
    topic: str
    published: int = Field(description="The last sequence number published to the topic")
    behind: int = Field(description="Entries of the feed not yet published")


class FeedHealth(BaseModel):
    latest: int = Field(description="The sequence number of the feed's latest entry")
    kafka: KafkaFeedHealth
    webhook_endpoints: list[EndpointView]
    disabled_endpoints: int = Field(description="Endpoints no longer called: see each reason")


@router.get("/feed-health")
async def feed_health(partner: Partner, db: Db) -> FeedHealth:
    """How the partner's feed stands on each channel: Kafka's lag, and each webhook
    endpoint's state (disabled ones with their reason and since when they failed)."""
    latest = await db.fetchval(
        "SELECT coalesce(max(seq), 0) FROM feed_entries WHERE partner_id = $1", partner
    )
    published = await db.fetchval(
        "SELECT published_seq FROM kafka_feed_checkpoint WHERE partner_id = $1", partner
    )
    behind = await db.fetchval(
        "SELECT count(*) FROM feed_entries WHERE partner_id = $1 AND seq > $2",
        partner,
        published or 0,
    )
    views = await list_endpoints(partner, db)
    return FeedHealth(
        latest=latest,
        kafka=KafkaFeedHealth(
            topic=f"partners.{partner}.events", published=published or 0, behind=behind
        ),
        webhook_endpoints=views,
        disabled_endpoints=sum(1 for v in views if v.state == "disabled"),
    )


@router.get("/webhook-endpoints")
async def list_endpoints(partner: Partner, db: Db) -> list[EndpointView]:
    """The partner's endpoints and how their deliveries stand."""
    rows = await db.fetch(
        """SELECT p.endpoint_id, p.url, p.state, p.disabled_reason, p.disabled_at,
                  p.failing_since, max(d.delivered_at) AS last_delivered_at,
                  count(*) FILTER (WHERE d.state = 'pending') AS pending,
                  count(*) FILTER (WHERE d.state = 'delivered') AS delivered,
                  count(*) FILTER (WHERE d.state = 'failed') AS failed,
                  count(*) FILTER (WHERE d.state = 'stopped') AS stopped
           FROM webhook_endpoints p LEFT JOIN webhook_deliveries d USING (endpoint_id)
           WHERE p.partner_id = $1 GROUP BY p.endpoint_id ORDER BY p.created_at""",
        partner,
    )
    return [EndpointView.model_validate(dict(row)) for row in rows]


async def _endpoint(db: Db, partner: str, endpoint_id: UUID) -> None:
    found = await db.fetchval(
        "SELECT 1 FROM webhook_endpoints WHERE endpoint_id = $1 AND partner_id = $2",
        endpoint_id,
        partner,
    )
    if not found:
        raise NotFound("webhook endpoint")


@router.post("/webhook-endpoints/{endpoint_id}/secret-rotation", status_code=201)
async def rotate_secret(partner: Partner, endpoint_id: UUID, db: Db) -> EndpointCreated:
    """A new secret; deliveries are signed with it and the previous one until the next
    rotation, so the receiver can switch at its own pace."""
    await _endpoint(db, partner, endpoint_id)
    secret = new_secret()
    await db.execute(
        "UPDATE webhook_endpoints SET secrets = ARRAY[$2, secrets[1]] WHERE endpoint_id = $1",
        endpoint_id,
        secret,
    )
    return EndpointCreated(endpoint_id=endpoint_id, secret=secret)


@router.post("/webhook-endpoints/{endpoint_id}/enable", status_code=201)
async def enable_endpoint(partner: Partner, endpoint_id: UUID, db: Db) -> EndpointView:
    """Call a disabled endpoint again; what was stopped waits for a replay."""
    await _endpoint(db, partner, endpoint_id)
    await db.execute(
        """UPDATE webhook_endpoints SET state = 'active', disabled_reason = NULL,
               disabled_at = NULL, failing_since = NULL WHERE endpoint_id = $1""",
        endpoint_id,
    )
    [view] = [v for v in await list_endpoints(partner, db) if v.endpoint_id == endpoint_id]
    return view


class Attempt(BaseModel):
    attempt: int
    attempted_at: str
    status: int | None
    latency_ms: int
    error: str | None


class Delivery(BaseModel):
    delivery_id: int
    sequence: int
    webhook_id: str
    state: str
    attempts: list[Attempt]


@router.get("/webhook-endpoints/{endpoint_id}/deliveries")
async def delivery_log(
    partner: Partner,
    endpoint_id: UUID,
    db: Db,
    after: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[Delivery]:
    """The endpoint's deliveries in feed order, each with its attempts (status, latency)."""
    await _endpoint(db, partner, endpoint_id)
    rows = await db.fetch(
        """SELECT d.delivery_id, d.seq, d.webhook_id, d.state,
                  coalesce(json_agg(json_build_object('attempt', a.attempt,
                      'attempted_at', a.attempted_at, 'status', a.status,
                      'latency_ms', a.latency_ms, 'error', a.error) ORDER BY a.attempt)
                      FILTER (WHERE a.attempt IS NOT NULL), '[]') AS attempts
           FROM webhook_deliveries d LEFT JOIN webhook_attempts a USING (delivery_id)
           WHERE d.endpoint_id = $1 AND d.seq > $2
           GROUP BY d.delivery_id ORDER BY d.seq LIMIT $3""",
        endpoint_id,
        after,
        limit,
    )
    return [
        Delivery(
            delivery_id=r["delivery_id"], sequence=r["seq"], webhook_id=r["webhook_id"],
            state=r["state"], attempts=json.loads(r["attempts"]),
        )
        for r in rows
    ]  # fmt: skip


class Replay(BaseModel):
    model_config = ConfigDict(extra="forbid")

    after: int = Field(ge=0, description="Send again every entry after this sequence number")


class Requeued(BaseModel):
    requeued: int


@router.post("/webhook-endpoints/{endpoint_id}/replay", status_code=201)
async def replay(partner: Partner, endpoint_id: UUID, body: Replay, db: Db) -> Requeued:
    """Send again, with their first bytes and ids, the deliveries after `after`."""
    await _endpoint(db, partner, endpoint_id)
    status = await db.execute(
        """UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = now()
           WHERE endpoint_id = $1 AND seq > $2""",
        endpoint_id,
        body.after,
    )
    return Requeued(requeued=int(status.split()[-1]))


@router.post("/webhook-endpoints/{endpoint_id}/deliveries/{delivery_id}/redelivery",
             status_code=201)  # fmt: skip
async def redeliver(partner: Partner, endpoint_id: UUID, delivery_id: int, db: Db) -> Requeued:
    """Send one delivery again, its bytes and id unchanged."""
    await _endpoint(db, partner, endpoint_id)
    status = await db.execute(
        """UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = now()
           WHERE endpoint_id = $1 AND delivery_id = $2""",
        endpoint_id,
        delivery_id,
    )
    requeued = int(status.split()[-1])
    if not requeued:
        raise NotFound("delivery")
    return Requeued(requeued=requeued)
