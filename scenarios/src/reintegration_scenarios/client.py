"""The office's side of the HTTP APIs: one client per service, a token per role, and patience.

Services learn each other's facts through Kafka, a few hundred milliseconds after the fact. A
command that depends on such a fact (training enrols only the counselled, the committee takes
plans only from the trained) may be refused until it arrives; `Waits` names those refusals, and
the client tries again until a deadline instead of treating them as errors.
"""

import asyncio
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from reintegration_sdk.auth import AuthSettings, Role, mint_token

SERVICES = ("intake", "training", "committee", "procurement", "monitoring")
DEFAULT_PORTS = {name: 8101 + i for i, name in enumerate(SERVICES)}


def default_urls(host: str = "127.0.0.1") -> dict[str, str]:
    return {name: f"http://{host}:{port}" for name, port in DEFAULT_PORTS.items()}


class CommandRefused(Exception):
    """A service refused a command the script expected it to accept."""

    def __init__(self, service: str, method: str, path: str, status: int, body: str) -> None:
        super().__init__(f"{service} {method} {path} -> {status}: {body[:600]}")
        self.status = status
        self.body = body


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
    retries: int = 0
    accepted: int = 0


class Platform:
    """The five services of one country office, as that office's staff reach them."""

    def __init__(
        self,
        urls: Mapping[str, str],
        office: str,
        concurrency: int = 16,
        patience_seconds: float = 60.0,
        auth: AuthSettings | None = None,
        on_accepted: Callable[[], None] | None = None,
    ) -> None:
        self.office = office
        self.urls = dict(urls)
        self.patience = patience_seconds
        self.timings = Timings()
        self.on_accepted = on_accepted or (lambda: None)
        self._gate = asyncio.Semaphore(concurrency)
        self._auth = auth or AuthSettings()
        self._tokens: dict[Role, str] = {}
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        self._clients = {
            name: httpx.AsyncClient(base_url=url, timeout=30.0, limits=limits)
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
        """One command; returns the JSON answer, retrying while `waits` says "not yet"."""
        deadline = time.monotonic() + self.patience
        pause = 0.05
        while True:
            async with self._gate:
                started = time.perf_counter()
                response = await self._clients[service].request(
                    method, path, json=body, headers=self.headers(role)
                )
                elapsed = time.perf_counter() - started
            if response.status_code < 300:
                self.timings.accepted += 1
                self.timings.latencies.append(elapsed)
                self.on_accepted()
                return response.json() if response.content else None
            answer = _json(response)
            if waits.matches(response.status_code, answer) and time.monotonic() < deadline:
                self.timings.retries += 1
                await asyncio.sleep(pause)
                pause = min(pause * 2, 1.0)
                continue
            raise CommandRefused(service, method, path, response.status_code, response.text)

    async def read(self, service: str, path: str, role: Role, **params: Any) -> Any:
        async with self._gate:
            response = await self._clients[service].get(
                path, params=params or None, headers=self.headers(role)
            )
        if response.status_code >= 300:
            raise CommandRefused(service, "GET", path, response.status_code, response.text)
        return response.json()


def _json(response: httpx.Response) -> Mapping[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
