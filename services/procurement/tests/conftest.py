import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from procurement.app import definition
from reintegration_sdk.testing.infrastructure import Infrastructure
from reintegration_sdk.testing.service import (
    random_office,
    running_service,
    service_settings_for,
)

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


@pytest.fixture
async def procurement(
    infrastructure: Infrastructure, fresh_database: str
) -> AsyncIterator[Procurement]:
    office = random_office()
    settings = service_settings_for(infrastructure, fresh_database, [office])
    async with running_service(definition, settings) as client:
        yield Procurement(client, office, infrastructure)
