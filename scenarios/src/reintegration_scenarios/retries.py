"""When the office's client tries a request again, and how long it waits first (no I/O here).

Three answers mean "try again": a refusal the script expects while a fact travels between
services ("not yet"), a 503 (the service is up but its database or broker is not; it may say
how long to wait in `Retry-After`), and no answer at all (connection refused while a service
restarts, a connection cut mid-answer, a timeout). Anything else is final. Pauses grow from
`first_pause` by `factor` up to `max_pause`, with jitter so that many waiting commands do not
return at the same instant; a `Retry-After` longer than the backoff is honoured. Nothing waits
past the command's patience deadline: the last attempt is made at the deadline itself.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from enum import Enum

import httpx

# No answer, or half of one: the request may or may not have been applied, so it is retried
# under the same Idempotency-Key. Local mistakes (an unsupported URL, a malformed request)
# are not in the list: retrying them cannot help.
TRANSIENT_ERRORS: tuple[type[Exception], ...] = (
    httpx.NetworkError,  # connect refused or reset, read and write errors
    httpx.TimeoutException,  # connect, read, write and pool timeouts
    httpx.RemoteProtocolError,  # the server closed the connection without a full answer
)

UNAVAILABLE_STATUS = 503


class Verdict(Enum):
    """What one answer (or its absence) means for the command."""

    ACCEPTED = "accepted"
    NOT_YET = "not_yet"  # a refusal the script waits out
    UNAVAILABLE = "unavailable"  # no answer, or 503
    REFUSED = "refused"  # final


def verdict(status: int | None, not_yet: bool = False) -> Verdict:
    """status None means no answer arrived; `not_yet` says the refusal is one to wait out."""
    if status is None or status == UNAVAILABLE_STATUS:
        return Verdict.UNAVAILABLE
    if status < 300:
        return Verdict.ACCEPTED
    return Verdict.NOT_YET if not_yet else Verdict.REFUSED


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """A `Retry-After` header in seconds: delta-seconds or an HTTP-date; None if absent or bad."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


@dataclass(frozen=True)
class RetryPolicy:
    """Capped exponential backoff with jitter, bounded by a deadline."""

    first_pause: float = 0.05
    factor: float = 2.0
    max_pause: float = 1.0
    jitter: float = 0.5  # the share of each pause that is random
    random: Callable[[], float] = field(default=random.random, compare=False, repr=False)

    def backoff(self, attempt: int) -> float:
        """The pause after failed attempt number `attempt` (0 for the first)."""
        capped = min(self.max_pause, self.first_pause * self.factor**attempt)
        return capped * (1 - self.jitter) + capped * self.jitter * self.random()

    def pause(
        self, attempt: int, now: float, deadline: float, retry_after: float | None = None
    ) -> float | None:
        """Seconds to wait before the next attempt, or None when the deadline has passed.

        A server's `Retry-After` wins over a shorter backoff (it knows when it will be back);
        no pause reaches past the deadline, so the last attempt is made at the deadline."""
        remaining = deadline - now
        if remaining <= 0:
            return None
        wanted = self.backoff(attempt)
        if retry_after is not None:
            wanted = max(wanted, retry_after)
        return min(wanted, remaining)
