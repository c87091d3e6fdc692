"""The office's side of the HTTP APIs: one client per service, a token per role, and patience.

Services learn each other's facts through Kafka, a few hundred milliseconds after the fact. A
command that depends on such a fact (training enrols only the counselled, the committee takes
plans only from the trained) may be refused until it arrives; `Waits` names those refusals, and
the client tries again until a deadline instead of treating them as errors.

Services also restart, and their database or broker may be away for a while: a request that
gets no answer (connection refused, cut, timed out) or a 503 is tried again too, honouring
`Retry-After` (see `retries`). Every command carries an `Idempotency-Key`, one per logical
command and the same on each of its attempts, so an attempt whose answer was lost and is sent
again is applied once: the service answers the retry with the first answer.
"""

import asyncio
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import uuid4

import httpx

from reintegration_scenarios.retries import (
    TRANSIENT_ERRORS,
    RetryPolicy,
    Verdict,
    retry_after_seconds,
    verdict,
)
from reintegration_sdk.auth import AuthSettings, Role, mint_token

IDEMPOTENCY_HEADER = "Idempotency-Key"

SERVICES = ("intake", "training", "committee", "procurement", "monitoring", "programme")
# 8106 is the partner service's (deploy/bus.toml), not in the tree yet.
DEFAULT_PORTS = {
    **{name: 8101 + i for i, name in enumerate(SERVICES[:5])},
    "programme": 8107,
}


def default_urls(host: str = "127.0.0.1") -> dict[str, str]:
    return {name: f"http://{host}:{port}" for name, port in DEFAULT_PORTS.items()}


class CommandRefused(Exception):
    """A service refused a command the script expected it to accept."""

    def __init__(self, service: str, method: str, path: str, status: int, body: str) -> None:
        super().__init__(f"{service} {method} {path} -> {status}: {body[:600]}")
        self.status = status
        self.body = body


class ServiceUnavailable(Exception):
    """A service gave no answer (or only 503s) until the request's patience ran out."""

    def __init__(self, service: str, method: str, path: str, seconds: float, last: str) -> None:
        super().__init__(
            f"{service} {method} {path}: no answer for {seconds:.0f} s (last: {last[:300]})"
        )
        self.service = service
        self.last = last


@dataclass(frozen=True)
class Waits:
    """Refusals that mean "not yet": (HTTP status, rule or error code) pairs."""

    refusals: frozenset[tuple[int, str]]

    @classmethod
    def on(cls, *pairs: tuple[int, str]) -> "Waits":
        return cls(frozenset(pairs))

    def matches(self, status: int, body: Mapping[str, Any]) -> bool:
        code = str(body.get("rule") or body.get("error") or "")
        return (status, code) in self.refusals


NO_WAIT = Waits(frozenset())


@dataclass
class Timings:
    """Accepted commands and how long each took (for the benchmark and the summary)."""

    latencies: list[float] = field(default_factory=list)
    retries: int = 0  # "not yet" refusals while facts travelled
    unavailable: int = 0  # attempts that got no answer or a 503
    accepted: int = 0


class Platform:
    """The services of one country office, as that office's staff reach them."""

    def __init__(
        self,
        urls: Mapping[str, str],
        office: str,
        concurrency: int = 16,
        patience_seconds: float = 60.0,
        auth: AuthSettings | None = None,
        on_accepted: Callable[[], None] | None = None,
        retry: RetryPolicy | None = None,
        request_timeout: float = 30.0,
    ) -> None:
        self.office = office
        self.urls = dict(urls)
        self.patience = patience_seconds
        self.retry = retry or RetryPolicy()
        self.timings = Timings()
        self.on_accepted = on_accepted or (lambda: None)
        self._gate = asyncio.Semaphore(concurrency)
        self._auth = auth or AuthSettings()
        self._tokens: dict[Role, str] = {}
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        self._clients = {
            name: httpx.AsyncClient(base_url=url, timeout=request_timeout, limits=limits)
            for name, url in self.urls.items()
        }

    async def __aenter__(self) -> "Platform":
        return self

    async def __aexit__(self, *_: object) -> None:
        await asyncio.gather(*(c.aclose() for c in self._clients.values()))

    def headers(self, role: Role) -> dict[str, str]:
        if role not in self._tokens:
            subject = f"{role.value.replace('_', '-')}-{self.office}-1"
            self._tokens[role] = mint_token(self._auth, subject, [role], [self.office])
        return {"authorization": f"Bearer {self._tokens[role]}"}

    async def send(
        self,
        service: str,
        method: str,
        path: str,
        role: Role,
        body: Any = None,
        waits: Waits = NO_WAIT,
    ) -> Any:
        """One command; returns the JSON answer, retrying while `waits` says "not yet" and
        while the service gives no answer or a 503, all under one Idempotency-Key."""
        headers = {**self.headers(role), IDEMPOTENCY_HEADER: str(uuid4())}
        response, elapsed = await self._until_answered(service, method, path, headers, body, waits)
        self.timings.accepted += 1
        self.timings.latencies.append(elapsed)
        self.on_accepted()
        return response.json() if response.content else None

    async def read(self, service: str, path: str, role: Role, **params: Any) -> Any:
        """One query; retried while the service gives no answer or a 503."""
        response, _ = await self._until_answered(
            service, "GET", path, self.headers(role), None, NO_WAIT, params or None
        )
        return response.json()

    async def _until_answered(
        self,
        service: str,
        method: str,
        path: str,
        headers: Mapping[str, str],
        body: Any,
        waits: Waits,
        params: Mapping[str, Any] | None = None,
    ) -> tuple[httpx.Response, float]:
        """The accepted answer and how long its attempt took; raises when none comes."""
        began = time.monotonic()
        deadline = began + self.patience
        attempt = 0
        while True:
            response, failure, elapsed = await self._attempt(
                service, method, path, headers, body, params
            )
            retry_after = None
            if response is None:
                outcome, last = Verdict.UNAVAILABLE, failure
            else:
                not_yet = waits.matches(response.status_code, _json(response))
                outcome = verdict(response.status_code, not_yet)
                if outcome is Verdict.ACCEPTED:
                    return response, elapsed
                if outcome is Verdict.REFUSED:
                    raise CommandRefused(service, method, path, response.status_code, response.text)
                last = f"{response.status_code} {response.text}"
                if outcome is Verdict.UNAVAILABLE:
                    retry_after = retry_after_seconds(response.headers.get("retry-after"))
            pause = self.retry.pause(attempt, time.monotonic(), deadline, retry_after)
            if pause is None:
                if outcome is Verdict.NOT_YET and response is not None:
                    raise CommandRefused(service, method, path, response.status_code, response.text)
                raise ServiceUnavailable(service, method, path, time.monotonic() - began, last)
            if outcome is Verdict.NOT_YET:
                self.timings.retries += 1
            else:
                self.timings.unavailable += 1
            await asyncio.sleep(pause)
            attempt += 1

    async def _attempt(
        self,
        service: str,
        method: str,
        path: str,
        headers: Mapping[str, str],
        body: Any,
        params: Mapping[str, Any] | None,
    ) -> tuple[httpx.Response | None, str, float]:
        """The answer (or None and why there was none) and the seconds it took."""
        async with self._gate:
            started = time.perf_counter()
            try:
                response = await self._clients[service].request(
                    method, path, json=body, headers=headers, params=params
                )
            except TRANSIENT_ERRORS as error:
                return None, f"{type(error).__name__}: {error}", time.perf_counter() - started
            return response, "", time.perf_counter() - started


def _json(response: httpx.Response) -> Mapping[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
