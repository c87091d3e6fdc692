"""One intake service for the session, on its own database and two random country offices,
against the real Kafka and PostgreSQL. Tests keep apart by unique people and returnee ids."""

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

# --import-mode=importlib leaves sys.path alone; the builders are shared by this folder's tests
# under a name no other service's tests use.
sys.path.insert(0, str(Path(__file__).parent))

from intake_builders import IntakeUnderTest

from intake.app import definition
from reintegration_sdk.testing.fixtures import (
    StartedService,
    connected,
    distinct_offices,
    service_fixtures,
)

intake_service, intake_database = service_fixtures("intake", definition, distinct_offices(2))


@pytest.fixture(scope="session")
async def intake(intake_service: StartedService) -> AsyncIterator[IntakeUnderTest]:
    s = intake_service
    async with connected(s.database_url) as database:
        yield IntakeUnderTest(s.client, s.offices[0], s.offices[1], s.infrastructure, database)
