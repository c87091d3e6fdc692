"""One committee service for the session, on its own database and three random country
offices (the third for a programme without the entrepreneurship course first), against the
real Kafka and PostgreSQL. Tests keep apart by unique ids and communes."""

from collections.abc import AsyncIterator

import pytest

from committee.app import definition
from reintegration_sdk.testing.fixtures import (
    StartedService,
    connected,
    distinct_offices,
    service_fixtures,
)

from .builders import CommitteeUnderTest

committee_service, committee_database = service_fixtures(
    "committee", definition, distinct_offices(3)
)


@pytest.fixture(scope="session")
async def committee(committee_service: StartedService) -> AsyncIterator[CommitteeUnderTest]:
    s = committee_service
    async with connected(s.database_url) as database:
        yield CommitteeUnderTest(
            s.client, s.offices[0], s.offices[1], s.infrastructure, database, s.offices[2]
        )
