"""One partners service for the session on its own database and a random country office,
against the real Kafka and PostgreSQL, with a retry schedule shrunk from days to seconds.
Tests keep apart by partner and returnee ids of their own."""

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

# --import-mode=importlib leaves sys.path alone; the builders are shared by this folder's tests
# under a name no other service's tests use.
sys.path.insert(0, str(Path(__file__).parent))

from partners_builders import PartnersUnderTest

from partners.app import make_definition
from partners.settings import PartnersSettings
from reintegration_sdk.testing.infrastructure import Infrastructure
from reintegration_sdk.testing.plugin import temporary_database
from reintegration_sdk.testing.service import (
    running_service,
    service_settings_for,
    untouched_office,
)

OFFICES = 10
FAST = PartnersSettings(
    _env_file=None, retry_scale=0.0005, webhook_timeout_seconds=1.0, poll_seconds=0.1
)


@pytest.fixture(scope="session")
async def partners_database(infrastructure: Infrastructure) -> AsyncIterator[str]:
    async with temporary_database(infrastructure, prefix="test_partners") as url:
        yield url


@pytest.fixture(scope="session")
async def partners(
    infrastructure: Infrastructure, partners_database: str
) -> AsyncIterator[PartnersUnderTest]:
    # An office per test: an agreement shares what was held before it was signed, so two
    # tests in one office would see each other's consented returnees.
    # And untouched: an office an earlier run used still has that run's events on its topics.
    offices = [await untouched_office(infrastructure) for _ in range(OFFICES)]
    settings = service_settings_for(infrastructure, partners_database, offices)
    async with running_service(make_definition(FAST), settings) as client:
        yield PartnersUnderTest(client, offices[0], infrastructure, offices)
