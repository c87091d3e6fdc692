"""Monitoring's tests: builders on the path; integration tests share one running service on its
own database, reading two country offices that no other test has used yet."""

import sys
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from aiokafka.admin import AIOKafkaAdminClient

# --import-mode=importlib leaves sys.path alone; the builders are shared by this folder's tests
# under a name no other service's tests use.
sys.path.insert(0, str(Path(__file__).parent))

from monitoring_builders import Programme, a_programme, programme_envelopes

from monitoring.app import definition
from reintegration_contracts.countries import COUNTRY_CODES
from reintegration_sdk.settings import ServiceSettings
from reintegration_sdk.testing.fixtures import StartedService, service_fixtures
from reintegration_sdk.testing.infrastructure import Infrastructure
from reintegration_sdk.testing.service import auth_headers, eventually, publish, random_office


@dataclass
class MonitoringUnderTest:
    client: httpx.AsyncClient
    office: str
    other_office: str
    infrastructure: Infrastructure
    database_url: str
    settings: ServiceSettings


async def unused_offices(infrastructure: Infrastructure, count: int) -> list[str]:
    """Offices with no topic yet: monitoring reads whole offices, so another engineer's test
    events in the same office would change the counts these tests check."""
    admin = AIOKafkaAdminClient(bootstrap_servers=infrastructure.kafka_bootstrap_servers)
    await admin.start()
    try:
        used = {
            t.split(".")[1] for t in await admin.list_topics() if t.startswith("reintegration.")
        }
    finally:
        await admin.close()
    chosen: list[str] = []
    while len(chosen) < count:
        office = random_office()
        if office not in used and office not in chosen and office in COUNTRY_CODES:
            chosen.append(office)
    return chosen


async def two_unused_offices(infrastructure: Infrastructure) -> list[str]:
    return await unused_offices(infrastructure, 2)


monitoring_service, monitoring_database = service_fixtures(
    "monitoring", definition, two_unused_offices
)


@pytest.fixture(scope="session")
def monitoring(monitoring_service: StartedService) -> MonitoringUnderTest:
    s = monitoring_service
    office, other_office = s.offices
    return MonitoringUnderTest(
        s.client, office, other_office, s.infrastructure, s.database_url, s.settings
    )


@pytest.fixture(scope="session")
async def programme(monitoring: MonitoringUnderTest) -> Programme:
    """The upstream programme on Kafka, once applied by monitoring's inbox."""
    p = a_programme()
    await publish(
        monitoring.infrastructure,
        programme_envelopes(p, monitoring.office, monitoring.other_office),
    )

    async def applied() -> None:
        overdue = await monitoring.client.get(
            f"/offices/{monitoring.office}/follow-ups/overdue",
            headers=auth_headers(["monitoring_officer"], [monitoring.office]),
        )
        assert len(overdue.json()) == 8  # 15, 30, 60 and 90 days after delivery, for two
        report = await monitoring.client.get(
            f"/offices/{monitoring.office}/report",
            headers=auth_headers(["monitoring_officer"], [monitoring.office]),
        )
        funnel = {s["stage"]: s["returnees"] for s in report.json()["funnel"]}
        assert funnel["registered"] == 4
        assert funnel["counselled"] == 3

    await eventually(applied, timeout=40)
    return p
