"""One programme service for the session on its own database and four random country
offices, against the real Kafka and PostgreSQL."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from programme_builders import ProgrammeUnderTest

from programme.app import definition
from reintegration_sdk.testing.fixtures import StartedService, distinct_offices, service_fixtures

programme_service, programme_database = service_fixtures(
    "programme", definition, distinct_offices(4)
)


@pytest.fixture(scope="session")
def programme(programme_service: StartedService) -> ProgrammeUnderTest:
    s = programme_service
    return ProgrammeUnderTest(s.client, s.infrastructure, s.offices)
