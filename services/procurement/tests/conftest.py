import sys
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from procurement.app import definition
from reintegration_sdk.testing.fixtures import StartedService, distinct_offices, service_fixtures
from reintegration_sdk.testing.infrastructure import Infrastructure

# The builders module sits beside the tests; importlib mode does not put this folder on the path.
sys.path.insert(0, str(Path(__file__).parent))


@dataclass(frozen=True)
class Procurement:
    """A running procurement service for one random country office."""

    client: httpx.AsyncClient
    office: str
    infrastructure: Infrastructure

    def url(self, path: str, office: str | None = None) -> str:
        return f"/offices/{office or self.office}{path}"


# A service and a database per test.
procurement_service, procurement_database = service_fixtures(
    "procurement", definition, distinct_offices(1), scope="function"
)


@pytest.fixture
def procurement(procurement_service: StartedService) -> Procurement:
    s = procurement_service
    return Procurement(s.client, s.offices[0], s.infrastructure)
