"""Webhooks, following Standard Webhooks: one worker per endpoint, bytes made once.

The dispatcher turns new feed entries into deliveries (one per endpoint and entry, with the
body's exact bytes and its `webhook-id`), and keeps one task per active endpoint. Each task
sends its endpoint's due deliveries one at a time, so a slow or failing endpoint holds up only
itself. Every attempt is logged (status, latency); the retry schedule, `Retry-After` and 410
are `domain.delivery.judge`'s. A delivery is stored before its first attempt: a process killed
mid-delivery sends it again after restart, same id, same bytes.
"""

import asyncio
import contextlib
import logging
import time
from datetime import UTC, datetime, timedelta
from uuid import UUID

import asyncpg
import httpx

from partners.delivery.documents import DELIVERABLE, document
from partners.delivery.sole import sole
from partners.domain.delivery import (
    DisableEndpoint,
    Outcome,
    body_bytes,
    disabling,
    endpoint_stream,
    endpoints,
    judge,
    signature_header,
)
from partners.settings import PartnersSettings
from reintegration_contracts.events.partners import EndpointDisabledReason
from reintegration_sdk import Runtime, UnitOfWork
from reintegration_sdk.eventstore import EventContext, EventStore

ACTOR = "partners-webhooks"

log = logging.getLogger(__name__)


async def fan_out(db: asyncpg.Connection) -> int:
    """Create the deliveries of feed entries no active endpoint has been given yet."""
    created = 0
    async with db.transaction():
        endpoints = await db.fetch(
            """SELECT endpoint_id, partner_id, enqueued_seq FROM webhook_endpoints
               WHERE state = 'active' FOR UPDATE"""
        )
        for endpoint in endpoints:
            rows = await db.fetch(
                """SELECT e.* FROM feed_entries e WHERE e.partner_id = $1 AND e.seq > $2
                   ORDER BY e.seq LIMIT 1000""",
                endpoint["partner_id"],
                endpoint["enqueued_seq"],
            )
            if not rows:
                continue
            await db.executemany(
                """INSERT INTO webhook_deliveries (endpoint_id, seq, webhook_id, body)
                   VALUES ($1, $2, $3, $4) ON CONFLICT (endpoint_id, seq) DO NOTHING""",
                [
                    (endpoint["endpoint_id"], r["seq"], f"msg_{r['entry_id'].hex}",
                     body_bytes(document(r)))
                    for r in rows
                ],
            )  # fmt: skip
            await db.execute(
                "UPDATE webhook_endpoints SET enqueued_seq = $2 WHERE endpoint_id = $1",
                endpoint["endpoint_id"],
                rows[-1]["seq"],
            )
            created += len(rows)
    return created


class EndpointWorker:
    """Sends one endpoint's deliveries, one at a time, until it is disabled or stopped."""

    def __init__(
        self, pool: asyncpg.Pool, store: EventStore, endpoint_id: UUID, settings: PartnersSettings
    ) -> None:
        self.pool = pool
        self.store = store
        self.endpoint_id = endpoint_id
        self.settings = settings

    async def run(self, stop: asyncio.Event) -> None:
        timeout = httpx.Timeout(self.settings.webhook_timeout_seconds)
        async with httpx.AsyncClient(timeout=timeout, follow_redirects=False) as client:
            while not stop.is_set():
                try:
                    more = await self._send_next(client)
                except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
                    log.warning("endpoint %s: %r", self.endpoint_id, error)
                    more = None
                if more is None:
                    return_now = await self._disabled()
                    if return_now:
                        return
                    await _wait(stop, self.settings.poll_seconds)

    async def _disabled(self) -> bool:
        with contextlib.suppress(Exception):
            async with self.pool.acquire() as db:
                state = await db.fetchval(
                    "SELECT state FROM webhook_endpoints WHERE endpoint_id = $1", self.endpoint_id
                )
                return bool(state != "active")
        return False

    async def _send_next(self, client: httpx.AsyncClient) -> bool | None:
        async with self.pool.acquire() as db:
            row = await db.fetchrow(
                f"""SELECT d.*, p.url, p.secrets, {DELIVERABLE} AS deliverable
                    FROM webhook_deliveries d
                    JOIN webhook_endpoints p USING (endpoint_id)
                    JOIN feed_entries e ON e.seq = d.seq
                    WHERE d.endpoint_id = $1 AND d.state = 'pending' AND p.state = 'active'
                      AND d.next_attempt_at <= now()
                    ORDER BY d.next_attempt_at, d.seq LIMIT 1""",
                self.endpoint_id,
            )
            if row is None:
                return None
            if not row["deliverable"]:
                await db.execute(
                    "UPDATE webhook_deliveries SET state = 'stopped' WHERE delivery_id = $1",
                    row["delivery_id"],
                )
                return True
        body: bytes = bytes(row["body"])
        timestamp = int(time.time())
        headers = {
            "content-type": "application/json",
            "webhook-id": row["webhook_id"],
            "webhook-timestamp": str(timestamp),
            "webhook-signature": signature_header(
                list(row["secrets"]), row["webhook_id"], timestamp, body
            ),
        }
        started = time.monotonic()
        status: int | None = None
        error: str | None = None
        retry_after: str | None = None
        try:
            answer = await client.post(row["url"], content=body, headers=headers)
            status, retry_after = answer.status_code, answer.headers.get("retry-after")
        except httpx.HTTPError as failure:
            error = type(failure).__name__
        latency = int((time.monotonic() - started) * 1000)
        await self._record(row, status, retry_after, error, latency)
        return True

    async def _record(
        self, row: asyncpg.Record, status: int | None, retry_after: str | None,
        error: str | None, latency: int,
    ) -> None:  # fmt: skip
        attempts = row["attempts"] + 1
        verdict = judge(status, retry_after, attempts, self.settings.retry_scale)
        now = datetime.now(UTC)
        async with self.pool.acquire() as db, db.transaction():
            await db.execute(
                """INSERT INTO webhook_attempts (delivery_id, attempt, attempted_at, status,
                       latency_ms, error) VALUES ($1, $2, $3, $4, $5, $6)
                   ON CONFLICT DO NOTHING""",
                row["delivery_id"], attempts, now, status, latency, error,
            )  # fmt: skip
            state = {
                Outcome.DELIVERED: "delivered",
                Outcome.RETRY: "pending",
                Outcome.FAILED: "failed",
                Outcome.GONE: "stopped",
            }[verdict.outcome]
            await db.execute(
                """UPDATE webhook_deliveries SET attempts = $2, state = $3, last_status = $4,
                       next_attempt_at = $5, delivered_at = CASE WHEN $3 = 'delivered'
                       THEN $6 ELSE delivered_at END
                   WHERE delivery_id = $1""",
                row["delivery_id"], attempts, state, status, now + (verdict.delay or timedelta()),
                now,
            )  # fmt: skip
            if verdict.outcome is Outcome.DELIVERED:
                await db.execute(
                    "UPDATE webhook_endpoints SET failing_since = NULL WHERE endpoint_id = $1",
                    self.endpoint_id,
                )
                return
            failing_since = await db.fetchval(
                """UPDATE webhook_endpoints SET failing_since = COALESCE(failing_since, $2)
                   WHERE endpoint_id = $1 RETURNING failing_since""",
                self.endpoint_id,
                now,
            )
            threshold = timedelta(days=self.settings.disable_after_days)
            reason = disabling(verdict, failing_since, now, threshold)
            if reason is not None:
                await disable(db, self.store, self.endpoint_id, reason)


async def disable(
    db: asyncpg.Connection, store: EventStore, endpoint_id: UUID, reason: EndpointDisabledReason
) -> None:
    """Stop calling an endpoint; its pending deliveries wait, stopped, for a replay. The
    partner and its office are told by an event on the office's partners topic."""
    endpoint = await db.fetchrow(
        """UPDATE webhook_endpoints SET state = 'disabled', disabled_reason = $2,
               disabled_at = now() WHERE endpoint_id = $1 AND state = 'active'
           RETURNING partner_id, failing_since, disabled_at""",
        endpoint_id,
        reason.value,
    )
    if endpoint is None:
        return  # disabled already, and told then
    status = await db.execute(
        """UPDATE webhook_deliveries SET state = 'stopped'
           WHERE endpoint_id = $1 AND state = 'pending'""",
        endpoint_id,
    )
    home_office = await db.fetchval(
        "SELECT home_office FROM partners WHERE partner_id = $1", endpoint["partner_id"]
    )
    failing_since = endpoint["failing_since"]
    command = DisableEndpoint(
        endpoint_id=endpoint_id,
        partner_id=endpoint["partner_id"],
        reason=reason,
        failing_since=None if failing_since is None else failing_since.astimezone(UTC).date(),
        today=endpoint["disabled_at"].astimezone(UTC).date(),
        stopped_deliveries=int(status.split()[-1]),
    )
    work = UnitOfWork(db, store, EventContext.new(home_office, ACTOR))
    await work.execute(endpoints, endpoint_stream(endpoint_id), command)


WEBHOOK_DELIVERER_LOCK = 0x70617274_02


async def dispatch_webhooks(
    runtime: Runtime, stop: asyncio.Event, settings: PartnersSettings
) -> None:
    """Fan out new entries and keep one worker per active endpoint, until `stop` (on
    standby while another process of the service delivers)."""
    async with sole(_dsn(runtime), WEBHOOK_DELIVERER_LOCK, stop, settings.poll_seconds) as mine:
        if mine:
            await _dispatch(runtime, stop, settings)


async def _dispatch(runtime: Runtime, stop: asyncio.Event, settings: PartnersSettings) -> None:
    workers: dict[UUID, asyncio.Task[None]] = {}
    try:
        while not stop.is_set():
            try:
                async with runtime.pool.acquire() as db:
                    await fan_out(db)
                    rows = await db.fetch(
                        "SELECT endpoint_id FROM webhook_endpoints WHERE state = 'active'"
                    )
                active = [row["endpoint_id"] for row in rows]
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
                log.warning("webhook fan-out paused: %r", error)
                active = []
            for endpoint_id in active:
                task = workers.get(endpoint_id)
                if task is None or task.done():
                    worker = EndpointWorker(runtime.pool, runtime.store, endpoint_id, settings)
                    workers[endpoint_id] = asyncio.create_task(
                        worker.run(stop), name=f"webhook-{endpoint_id}"
                    )
            await _wait(stop, settings.poll_seconds)
    finally:
        for task in workers.values():
            task.cancel()
        for task in workers.values():
            with contextlib.suppress(BaseException):
                await task


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)


def _dsn(runtime: Runtime) -> str:
    return runtime.settings.database_dsn(runtime.service)
