"""One training service for the session on its own database and three random country
offices, against the real Kafka and PostgreSQL. Tests keep apart by unique centres, cohorts
and returnee ids."""

import sys
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import asyncpg
import pytest

# --import-mode=importlib leaves sys.path alone; the builders are shared by this folder's tests
# under a name no other service's tests use.
sys.path.insert(0, str(Path(__file__).parent))

from training_builders import DAILY_ALLOWANCE, TODAY, TrainingUnderTest

from reintegration_sdk import Role
from reintegration_sdk.testing.fixtures import (
    StartedService,
    connected,
    distinct_offices,
    service_fixtures,
)
from reintegration_sdk.testing.service import auth_headers
from training.app import definition
from training.domain.allowances import DEFAULT_DAILY_RATES

# Offices with no built-in allowance, so a test sees only the rate it sets; the third runs
# Mali's programme, so its rules change no other test's office.
training_service, training_database = service_fixtures(
    "training", definition, distinct_offices(3, lambda office: office not in DEFAULT_DAILY_RATES)
)


@pytest.fixture(scope="session")
async def training(training_service: StartedService) -> TrainingUnderTest:
    s = training_service
    office, other_office, mali_office = s.offices
    rate = {
        "daily_amount": DAILY_ALLOWANCE,
        "currency": "XOF",
        "effective_from": str(TODAY - timedelta(days=365)),
    }
    manager = auth_headers([Role.OFFICE_MANAGER], [office])
    response = await s.client.post(f"/offices/{office}/daily-allowance", json=rate, headers=manager)
    assert response.status_code == 201, response.text
    return TrainingUnderTest(s.client, office, other_office, s.infrastructure, mali_office)


@pytest.fixture(scope="session")
async def training_db(
    training: TrainingUnderTest, training_database: str
) -> AsyncIterator[asyncpg.Connection]:
    """The service's own database, for tests about its tables (rebuild, inbox)."""
    async with connected(training_database) as connection:
        yield connection
