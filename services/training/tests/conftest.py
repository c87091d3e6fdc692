"""One training service for the session on its own database and two random country offices,
against the real Kafka and PostgreSQL. Tests keep apart by unique centres, cohorts and
returnee ids."""

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
from reintegration_sdk.testing.infrastructure import Infrastructure
from reintegration_sdk.testing.plugin import temporary_database
from reintegration_sdk.testing.service import (
    auth_headers,
    random_office,
    running_service,
    service_settings_for,
)
from training.app import definition
from training.domain.allowances import DEFAULT_DAILY_RATES


def office_without_default(besides: str = "") -> str:
    """A random office with no built-in allowance, so a test sees only the rate it sets."""
    while True:
        office = random_office()
        if office not in DEFAULT_DAILY_RATES and office != besides:
            return office


@pytest.fixture(scope="session")
async def training_database(infrastructure: Infrastructure) -> AsyncIterator[str]:
    async with temporary_database(infrastructure, prefix="test_training") as url:
        yield url


@pytest.fixture(scope="session")
async def training(
    infrastructure: Infrastructure, training_database: str
) -> AsyncIterator[TrainingUnderTest]:
    office = office_without_default()
    other_office = office_without_default(besides=office)
    # A third office runs Mali's programme, so its rules change no other test's office.
    mali_office = office_without_default(besides=office)
    while mali_office == other_office:
        mali_office = office_without_default(besides=office)
    offices = [office, other_office, mali_office]
    settings = service_settings_for(infrastructure, training_database, offices)
    async with running_service(definition, settings) as client:
        under_test = TrainingUnderTest(client, office, other_office, infrastructure, mali_office)
        rate = {
            "daily_amount": DAILY_ALLOWANCE,
            "currency": "XOF",
            "effective_from": str(TODAY - timedelta(days=365)),
        }
        manager = auth_headers([Role.OFFICE_MANAGER], [office])
        response = await client.post(
            f"/offices/{office}/daily-allowance", json=rate, headers=manager
        )
        assert response.status_code == 201, response.text
        yield under_test


@pytest.fixture(scope="session")
async def training_db(
    training: TrainingUnderTest, training_database: str
) -> AsyncIterator[asyncpg.Connection]:
    """The service's own database, for tests about its tables (rebuild, inbox)."""
    connection = await asyncpg.connect(training_database)
    try:
        yield connection
    finally:
        await connection.close()
