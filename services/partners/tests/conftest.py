"""One partners service for the session on its own database and ten untouched country
offices, against the real Kafka and PostgreSQL, with a retry schedule shrunk from days to
seconds. Tests keep apart by partner and returnee ids of their own."""

import sys
from pathlib import Path

import pytest

# --import-mode=importlib leaves sys.path alone; the builders are shared by this folder's tests
# under a name no other service's tests use.
sys.path.insert(0, str(Path(__file__).parent))

from partners_builders import DISABLE_AFTER_SECONDS, PartnersUnderTest

from partners.app import make_definition
from partners.settings import PartnersSettings
from reintegration_sdk.testing.fixtures import StartedService, service_fixtures, untouched_offices

OFFICES = 12
FAST = PartnersSettings(
    _env_file=None, retry_scale=0.0005, webhook_timeout_seconds=1.0, poll_seconds=0.1,
    disable_after_days=DISABLE_AFTER_SECONDS / 86400,
)  # fmt: skip

# An office per test: an agreement shares what was held before it was signed, so two tests in
# one office would see each other's consented returnees. And untouched: an office an earlier
# run used still has that run's events on its topics.
partners_service, partners_database = service_fixtures(
    "partners", make_definition(FAST), untouched_offices(OFFICES)
)


@pytest.fixture(scope="session")
def partners(partners_service: StartedService) -> PartnersUnderTest:
    s = partners_service
    return PartnersUnderTest(s.client, s.offices[0], s.infrastructure, list(s.offices))
