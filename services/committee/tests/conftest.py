"""One committee service for the session, on its own database and two random country
offices, against the real Kafka and PostgreSQL. Tests keep apart by unique ids and communes."""

from collections.abc import AsyncIterator

import asyncpg
import pytest

from committee.app import definition
from reintegration_sdk.testing.infrastructure import Infrastructure
from reintegration_sdk.testing.plugin import temporary_database
from reintegration_sdk.testing.service import random_office, running_service, service_settings_for

from .builders import CommitteeUnderTest


@pytest.fixture(scope="session")
async def committee_database(infrastructure: Infrastructure) -> AsyncIterator[str]:
    async with temporary_database(infrastructure, prefix="test_committee") as url:
        yield url


@pytest.fixture(scope="session")
async def committee(
    infrastructure: Infrastructure, committee_database: str
) -> AsyncIterator[CommitteeUnderTest]:
    office, other_office = random_office(), random_office()
    while other_office == office:
        other_office = random_office()
    settings = service_settings_for(infrastructure, committee_database, [office, other_office])
    async with running_service(definition, settings) as client:
        database = await asyncpg.connect(committee_database)
        try:
            yield CommitteeUnderTest(client, office, other_office, infrastructure, database)
        finally:
            await database.close()
