"""Webhook delivery rules, pure: the Standard Webhooks signature, the retry schedule, and what
each answer of an endpoint means.

The body is made once, when the delivery is created, and every attempt sends those very bytes:
a retry that re-read the record could send something else under the same `webhook-id`. The
signature covers `{id}.{timestamp}.{body}` and is made at each attempt, because receivers
refuse a timestamp older than a few minutes.
"""

import base64
import hashlib
import hmac
import json
import random
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID

from reintegration_contracts.events.partners import EndpointDisabledReason, WebhookEndpointDisabled
from reintegration_sdk import Decider

SECRET_PREFIX = "whsec_"
# About three days in all, the way Standard Webhooks senders spread retries: quick ones for a
# blip, then hours apart for an endpoint that is down for the night or the weekend.
RETRY_SCHEDULE = tuple(
    timedelta(seconds=s)
    for s in (5, 30, 120, 600, 1800, 3600, 7200, 14400, 28800, 43200, 43200, 43200, 43200)
)
JITTER = 0.2
# By default, an endpoint failing without a single success this long is disabled (an office
# may set another threshold: PARTNERS_DISABLE_AFTER_DAYS).
DISABLE_AFTER = sum(RETRY_SCHEDULE, timedelta())
MAX_RETRY_AFTER = timedelta(hours=24)


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def body_bytes(document: dict[str, Any]) -> bytes:
    """The canonical bytes of a delivery: made once and stored."""
    return json.dumps(document, sort_keys=True, separators=(",", ":")).encode()


def signature(secret: str, webhook_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{webhook_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def signature_header(
    secrets_in_use: list[str], webhook_id: str, timestamp: int, body: bytes
) -> str:
    """One signature per secret in use, so a receiver rotating its secret verifies either."""
    return " ".join(signature(s, webhook_id, timestamp, body) for s in secrets_in_use)


class Outcome(StrEnum):
    DELIVERED = "delivered"
    RETRY = "retry"
    FAILED = "failed"  # the schedule is spent
    GONE = "gone"  # 410: the endpoint asks never to be called again


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    delay: timedelta | None = None


def retry_after(value: str | None) -> timedelta | None:
    if value is None or not value.strip().isdigit():
        return None
    return min(timedelta(seconds=int(value.strip())), MAX_RETRY_AFTER)


def judge(
    status: int | None,
    retry_after_header: str | None,
    attempts: int,
    scale: float = 1.0,
    rng: random.Random | None = None,
) -> Verdict:
    """What to do after attempt number `attempts` answered `status` (None: no answer)."""
    if status is not None and 200 <= status < 300:
        return Verdict(Outcome.DELIVERED)
    if status == 410:
        return Verdict(Outcome.GONE)
    if attempts > len(RETRY_SCHEDULE):
        return Verdict(Outcome.FAILED)
    base = RETRY_SCHEDULE[attempts - 1] * scale
    jitter = 1 + (rng or random).uniform(-JITTER, JITTER)
    delay = base * jitter
    if status in (429, 503):
        asked = retry_after(retry_after_header)
        if asked is not None:
            # The endpoint says when it can take more; sooner would only be refused again.
            delay = max(delay, asked)
    return Verdict(Outcome.RETRY, delay)


def disabling(
    verdict: Verdict, failing_since: datetime, now: datetime, threshold: timedelta
) -> EndpointDisabledReason | None:
    """Whether an endpoint is disabled after this answer, and why: at once on 410, and when
    it has failed without a success for longer than `threshold` (days, in the field: a
    partner's server down for a weekend still gets everything once it is back)."""
    if verdict.outcome is Outcome.GONE:
        return EndpointDisabledReason.GONE
    if verdict.outcome is not Outcome.DELIVERED and now - failing_since > threshold:
        return EndpointDisabledReason.FAILING
    return None


def endpoint_stream(endpoint_id: UUID) -> str:
    return f"webhook-endpoint-{endpoint_id}"


@dataclass(frozen=True)
class Endpoint:
    disablings: int = 0


@dataclass(frozen=True)
class DisableEndpoint:
    """Tell the partner and its office that an endpoint is no longer called."""

    endpoint_id: UUID
    partner_id: str
    reason: EndpointDisabledReason
    failing_since: date | None
    today: date
    stopped_deliveries: int


def decide_endpoint(state: Endpoint, command: DisableEndpoint) -> list[WebhookEndpointDisabled]:
    # A 410 may come at the first attempt; a failing endpoint has a first failure to name.
    failing_since = command.failing_since
    if command.reason is EndpointDisabledReason.GONE:
        failing_since = None
    return [
        WebhookEndpointDisabled(
            endpoint_id=command.endpoint_id,
            partner_id=command.partner_id,
            reason=command.reason,
            failing_since=failing_since,
            disabled_on=command.today,
            stopped_deliveries=command.stopped_deliveries,
        )
    ]


def evolve_endpoint(state: Endpoint, event: WebhookEndpointDisabled) -> Endpoint:
    return Endpoint(state.disablings + 1)


endpoints = Decider(initial=Endpoint(), evolve=evolve_endpoint, decide=decide_endpoint)
