"""One intake service for the session, on its own database and two random country offices,
against the real Kafka and PostgreSQL. Tests keep apart by unique people and returnee ids."""

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

# --import-mode=importlib leaves sys.path alone; the builders are shared by this folder's tests
# under a name no other service's tests use.
sys.path.insert(0, str(Path(__file__).parent))

from intake_builders import IntakeUnderTest

from intake.app import definition
from reintegration_sdk.testing.infrastructure import Infrastructure
from reintegration_sdk.testing.plugin import temporary_database
from reintegration_sdk.testing.service import (
    random_office,
    running_service,
    service_settings_for,
)


@pytest.fixture(scope="session")
async def intake_database(infrastructure: Infrastructure) -> AsyncIterator[str]:
    async with temporary_database(infrastructure, prefix="test_intake") as url:
        yield url


@pytest.fixture(scope="session")
async def intake(
    infrastructure: Infrastructure, intake_database: str
) -> AsyncIterator[IntakeUnderTest]:
    office = random_office()
    other_office = random_office()
    while other_office == office:
        other_office = random_office()
    settings = service_settings_for(infrastructure, intake_database, [office, other_office])
    async with running_service(definition, settings) as client:
        database = await asyncpg.connect(intake_database)
        try:
            yield IntakeUnderTest(client, office, other_office, infrastructure, database)
        finally:
            await database.close()
