"""One programme service for the session on its own database and a random country office,
against the real Kafka and PostgreSQL."""

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from programme_builders import ProgrammeUnderTest

from programme.app import definition
from reintegration_sdk.testing.infrastructure import Infrastructure
from reintegration_sdk.testing.plugin import temporary_database
from reintegration_sdk.testing.service import random_office, running_service, service_settings_for


@pytest.fixture(scope="session")
async def programme(infrastructure: Infrastructure) -> AsyncIterator[ProgrammeUnderTest]:
    offices = tuple(dict.fromkeys(random_office() for _ in range(8)))[:4]
    async with temporary_database(infrastructure, prefix="test_programme") as url:
        settings = service_settings_for(infrastructure, url, offices)
        async with running_service(definition, settings) as client:
            yield ProgrammeUnderTest(client, infrastructure, offices)
