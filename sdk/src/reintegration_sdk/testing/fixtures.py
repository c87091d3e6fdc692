"""One fixture factory for every service's integration tests: the service running for the
session (or per test) on a database of its own, in country offices chosen for it.

    committee_service, committee_database = service_fixtures(
        "committee", definition, distinct_offices(2)
    )

gives the fixtures `committee_service` (a `StartedService`) and `committee_database` (its
database's URL); a conftest then only shapes what its tests hold (`CommitteeUnderTest`).
"""

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import asyncpg
import httpx
import pytest

from reintegration_sdk.service import ServiceDefinition
from reintegration_sdk.settings import ServiceSettings
from reintegration_sdk.testing.infrastructure import Infrastructure
from reintegration_sdk.testing.plugin import temporary_database
from reintegration_sdk.testing.service import (
    random_office,
    running_service,
    service_settings_for,
    untouched_office,
)

OfficeChoice = Callable[[Infrastructure], Awaitable[Sequence[str]]]
Scope = Literal["session", "function"]


def distinct_offices(count: int, allowed: Callable[[str], bool] = lambda _: True) -> OfficeChoice:
    """`count` different random offices that `allowed` accepts."""

    async def choose(infrastructure: Infrastructure) -> Sequence[str]:
        chosen: list[str] = []
        while len(chosen) < count:
            office = random_office()
            if office not in chosen and allowed(office):
                chosen.append(office)
        return chosen

    return choose


def untouched_offices(count: int) -> OfficeChoice:
    """Offices no earlier run put events on the broker for (their topics do not exist)."""

    async def choose(infrastructure: Infrastructure) -> Sequence[str]:
        chosen: list[str] = []
        while len(chosen) < count:
            office = await untouched_office(infrastructure)
            if office not in chosen:
                chosen.append(office)
        return chosen

    return choose


@dataclass(frozen=True)
class StartedService:
    """A service running against the real broker, on a database of its own."""

    client: httpx.AsyncClient
    offices: tuple[str, ...]
    infrastructure: Infrastructure
    database_url: str
    settings: ServiceSettings


def service_fixtures(
    name: str,
    definition: ServiceDefinition,
    offices: OfficeChoice,
    scope: Scope = "session",
) -> tuple[Any, Any]:
    """The fixtures `<name>_service` and `<name>_database`, to assign in a conftest."""

    @pytest.fixture(scope=scope, name=f"{name}_service")
    async def started(infrastructure: Infrastructure) -> AsyncIterator[StartedService]:
        chosen = tuple(await offices(infrastructure))
        async with temporary_database(infrastructure, prefix=f"test_{name}") as url:
            settings = service_settings_for(infrastructure, url, chosen)
            async with running_service(definition, settings) as client:
                yield StartedService(client, chosen, infrastructure, url, settings)

    @pytest.fixture(scope=scope, name=f"{name}_database")
    def database(request: pytest.FixtureRequest) -> str:
        service: StartedService = request.getfixturevalue(f"{name}_service")
        return service.database_url

    return started, database


@contextlib.asynccontextmanager
async def connected(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    """A connection of the test's own to a service's database (to read its tables)."""
    connection = await asyncpg.connect(database_url)
    try:
        yield connection
    finally:
        await connection.close()
