"""A service through outages: it starts without Kafka, answers 503 without its database, and
turns ready again by itself. The example service on a stack of this module's own."""

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from uuid import UUID, uuid4

import httpx
import pytest
from visits_desk.app import definition

from reintegration_contracts import topic_for
from reintegration_sdk.testing.faults import PrivateStack, private_stack
from reintegration_sdk.testing.infrastructure import Infrastructure, free_port
from reintegration_sdk.testing.plugin import temporary_database
from reintegration_sdk.testing.service import (
    auth_headers,
    random_office,
    read_topic,
    running_service,
    service_settings_for,
    wait_until_ready,
)

pytestmark = pytest.mark.integration
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(scope="module")
def stack() -> Iterator[PrivateStack]:
    with private_stack() as stack:
        yield stack


@pytest.fixture
async def database(stack: PrivateStack) -> AsyncIterator[str]:
    async with temporary_database(stack.infrastructure, prefix="service_faults") as url:
        yield url


async def a_known_returnee(client: httpx.AsyncClient, office: str) -> UUID:
    """A returnee the desk learnt of from intake's topic before the fault."""
    returnee = uuid4()
    pool = client.app.state.runtime.pool  # type: ignore[attr-defined]
    await pool.execute(
        """INSERT INTO registered_returnees (returnee_id, country_office, arrival_date)
           VALUES ($1, $2, '2018-05-02')""",
        returnee,
        office,
    )
    return returnee


async def record_visit(client: httpx.AsyncClient, office: str, returnee: UUID) -> httpx.Response:
    return await client.post(
        f"/offices/{office}/returnees/{returnee}/home-visits",
        json={
            "visited_on": "2018-10-02",
            "purpose": "psychosocial",
            "outcome": "needs_support",
            "referral_needed": True,
        },
        headers=auth_headers(["caseworker"], [office]),
    )


async def test_a_service_starts_without_kafka_and_turns_ready_by_itself_when_it_returns(
    stack: PrivateStack, database: str
) -> None:
    office = random_office()
    settings = service_settings_for(stack.infrastructure, database, [office])
    await asyncio.to_thread(stack.kill_kafka)
    try:
        async with running_service(definition, settings, ready_timeout=None) as client:
            returnee = await a_known_returnee(client, office)
            accepted = await record_visit(client, office, returnee)
            assert accepted.status_code == 201, "commands are stored while Kafka is away"
            ready = await client.get("/ready")
            assert ready.status_code == 503
            checks = ready.json()["checks"]
            assert checks["database"] is True
            assert checks["relay"] is False and checks["inbox"] is False
            assert ready.json()["status"]["relay"]["state"] in ("starting", "unavailable")
            await asyncio.to_thread(stack.start_kafka)
            seconds = await wait_until_ready(client, timeout=60)
            print(f"ready {seconds:.1f} s after Kafka answered")

            visit_id = accepted.json()["visit_id"]
            published = await read_topic(
                stack.infrastructure,
                topic_for(office, "home_visits"),
                until=lambda es: any(e.data.get("visit_id") == visit_id for e in es),
            )
            assert [e.data["visit_id"] for e in published] == [visit_id]
    finally:
        await asyncio.to_thread(stack.start_kafka)


async def test_requests_answer_503_while_postgres_is_away_and_none_fail_after_it_returns(
    stack: PrivateStack, database: str
) -> None:
    office = random_office()
    settings = service_settings_for(stack.infrastructure, database, [office])
    async with running_service(definition, settings) as client:
        returnee = await a_known_returnee(client, office)
        assert (await record_visit(client, office, returnee)).status_code == 201
        await asyncio.to_thread(stack.kill_postgres)
        try:
            during = await record_visit(client, office, returnee)
            assert during.status_code == 503
            assert during.headers["Retry-After"] == "1"
            assert during.json()["error"] == "service_unavailable"
            assert "database" in during.json()["detail"]
            ready = await client.get("/ready")
            assert ready.status_code == 503 and ready.json()["checks"]["database"] is False
        finally:
            await asyncio.to_thread(stack.start_postgres)
        await wait_until_ready(client, timeout=60)
        after = [(await record_visit(client, office, returnee)).status_code for _ in range(12)]
        assert after == [201] * 12, "stale pool connections must not fail requests"

        # A fast restart cuts every session while the server is back within a second.
        await asyncio.to_thread(stack.restart_postgres)
        statuses = [(await record_visit(client, office, returnee)).status_code for _ in range(12)]
        assert 500 not in statuses
        assert statuses.count(503) <= 1, statuses
        assert statuses[-10:] == [201] * 10, statuses
        await wait_until_ready(client, timeout=60)


BROKEN_RELAY = """
import sys
from reintegration_sdk import relay

async def broken(self, stop):
    raise ValueError("a bug in the relay")

relay.Relay.run = broken
from visits_desk.app import definition
from reintegration_sdk.service import serve
serve(definition)
"""


async def test_a_background_task_that_dies_takes_the_process_down_with_a_non_zero_exit(
    infrastructure: Infrastructure, fresh_database: str, tmp_path: Path
) -> None:
    script = tmp_path / "broken_relay.py"
    script.write_text(BROKEN_RELAY)
    env = {
        **os.environ,
        "PYTHONPATH": f"{EXAMPLES}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
        "KAFKA_BOOTSTRAP_SERVERS": infrastructure.kafka_bootstrap_servers,
        "DATABASE_URL": infrastructure.database_url,
        "SERVICE_DATABASE": fresh_database.rsplit("/", 1)[-1],
        "COUNTRY_OFFICES": random_office(),
        "HTTP_PORT": str(free_port()),
    }
    process = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, str(script)],
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert process.returncode == 1, process.stderr.decode()[-2000:]
    assert b"a bug in the relay" in process.stderr
