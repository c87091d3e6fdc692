"""Where chaos cases run: a private Kafka and PostgreSQL with the five services on it.

The stack is sdk.testing.faults.private_stack() (real processes on free ports, purged after);
the services run under deploy/local's supervisor, configured for a few offices so that several
cases can share one site (the short suite) or each have their own (the full one), and for a
decoy office that no scenario plays. The site also reads what an outsider may read to judge a
case: each service's event store and inbox, and each service's /ready.
"""

import asyncio
import contextlib
import functools
import importlib
import json
import shutil
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from chaos.audit import Consumer, StoredEvent
from reintegration_sdk.testing.faults import PrivateStack, private_stack
from reintegration_sdk.testing.infrastructure import load_services_module
from reintegration_sdk.testing.platform import LocalPlatform
from reintegration_sdk.testing.plugin import database_url_for

SERVICES: tuple[str, ...] = tuple(load_services_module().SERVICES)
READY_LIMIT_S = 180.0  # a first start on a busy machine: imports, migrations, topics, groups


@functools.cache
def consumers() -> tuple[Consumer, ...]:
    """Each service's inbox as its definition declares it (reactions and any policies)."""
    found = []
    for name in SERVICES:
        definition = importlib.import_module(f"{name}.app").definition
        handles: set[str] = set()
        for handlers in (definition.reactions, getattr(definition, "policies", None)):
            if handlers is not None:
                handles |= set(handlers.event_names)
        domains = frozenset(str(d) for d in definition.consumes)
        if handles and domains:
            found.append(Consumer(name, domains, frozenset(handles)))
    return tuple(found)


class Site:
    """A private stack and the five services on it, for `offices` and one decoy office."""

    def __init__(self, offices: Sequence[str], decoy: str, log_dir: Path) -> None:
        self.offices = list(offices)
        self.decoy = decoy
        self.log_dir = log_dir
        self._free = list(offices)
        self._stack_context: Any = None
        self.stack: PrivateStack
        self.platform: LocalPlatform

    @property
    def bootstrap(self) -> str:
        return self.stack.infrastructure.kafka_bootstrap_servers

    @property
    def urls(self) -> dict[str, str]:
        return self.platform.urls

    def database_url(self, service: str) -> str:
        return database_url_for(
            self.stack.infrastructure.database_url, self.platform.databases[service]
        )

    def take_office(self) -> str:
        return self._free.pop(0)

    async def __aenter__(self) -> "Site":
        self._stack_context = private_stack()
        self.stack = await asyncio.to_thread(self._stack_context.__enter__)
        try:
            databases = await self._create_databases()
            self.platform = LocalPlatform(
                self.stack.infrastructure,
                [*self.offices, self.decoy],
                databases,
                self.log_dir,
                prefix="chaos",
            )
            await self.platform.start(READY_LIMIT_S)
        except BaseException:
            await self.__aexit__()
            raise
        return self

    async def __aexit__(self, *_: object) -> None:
        # The stack is purged with its databases: nothing to drop, even if PostgreSQL is down.
        with contextlib.suppress(Exception):
            if getattr(self, "platform", None) is not None:
                await self.platform.stop()
        if self._stack_context is not None:
            context, self._stack_context = self._stack_context, None
            # Kafka's and PostgreSQL's logs go with the stack's purge; keep them by the services'.
            with contextlib.suppress(OSError, AttributeError):  # AttributeError: never started
                shutil.copytree(
                    self.stack.state_dir / "logs", self.log_dir / "stack", dirs_exist_ok=True
                )
            await asyncio.to_thread(context.__exit__, None, None, None)

    async def _create_databases(self) -> dict[str, str]:
        admin = await asyncpg.connect(
            database_url_for(self.stack.infrastructure.database_url, "postgres")
        )
        try:
            for name in SERVICES:
                await admin.execute(f'CREATE DATABASE "chaos_{name}"')
        finally:
            await admin.close()
        return {name: f"chaos_{name}" for name in SERVICES}

    async def not_ready(self) -> dict[str, str]:
        """Services whose /ready is not 200, with what they said."""
        async with httpx.AsyncClient(timeout=2.0) as client:
            answers = await asyncio.gather(
                *(_ready(client, url) for url in self.urls.values()), return_exceptions=False
            )
        return {name: why for name, why in zip(self.urls, answers, strict=True) if why}

    async def well_within(self, seconds: float) -> dict[str, str]:
        deadline = time.monotonic() + seconds
        while (sick := await self.not_ready()) and time.monotonic() < deadline:
            await asyncio.sleep(0.5)
        return sick

    async def restart_services(self) -> None:
        await self.platform.stop()
        await self.platform.start(READY_LIMIT_S)

    async def stored(self, offices: Sequence[str]) -> list[StoredEvent]:
        """Every event the five stores hold for `offices`."""
        found: list[StoredEvent] = []
        for name in SERVICES:
            rows = await _fetch(
                self.database_url(name),
                """SELECT event_id::text AS event_id, stream_id, version, event_name, domain,
                          country_office, causation_id, data::text AS data
                   FROM events WHERE country_office = ANY($1::text[])""",
                list(offices),
            )
            found.extend(
                StoredEvent(
                    name,
                    r["event_id"],
                    r["stream_id"],
                    r["version"],
                    r["event_name"],
                    r["domain"],
                    r["country_office"],
                    r["causation_id"],
                    _json_object(r["data"]),
                )
                for r in rows
            )
        return found

    async def stored_when_answering(self, offices: Sequence[str]) -> list[StoredEvent]:
        """The stores' events, waiting out a database that is still starting (bounded)."""
        deadline = time.monotonic() + 30
        while True:
            try:
                return await self.stored(offices)
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.5)

    async def inboxes(self, names: Sequence[str]) -> dict[str, set[str]]:
        found = {}
        for name in names:
            rows = await _fetch(
                self.database_url(name),
                "SELECT event_id::text AS event_id FROM inbox WHERE consumer = $1",
                name,
            )
            found[name] = {r["event_id"] for r in rows}
        return found


async def _ready(client: httpx.AsyncClient, url: str) -> str:
    try:
        response = await client.get(f"{url}/ready")
    except httpx.HTTPError as error:
        return f"no answer ({type(error).__name__})"
    return "" if response.status_code == 200 else f"{response.status_code} {response.text[:200]}"


async def _fetch(url: str, query: str, *args: object) -> list[asyncpg.Record]:
    connection = await asyncpg.connect(url, timeout=10)
    try:
        rows: list[asyncpg.Record] = await connection.fetch(query, *args)
        return rows
    finally:
        await connection.close()


def _json_object(text: str) -> dict[str, Any]:
    value = json.loads(text)
    return value if isinstance(value, dict) else {}
