"""The example mission service end to end: its own domain and topic, HTTP -> append -> relay
-> Kafka -> a second service that knows it only by its contract, in one trace."""

import asyncio
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from uuid import UUID, uuid4

import asyncpg
import httpx
import pytest
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from visits_desk.app import definition
from visits_desk.contract import DOMAIN, HomeVisitRecorded
from visits_desk.projections import read_models

from reintegration_contracts import topic_for
from reintegration_contracts.events.intake import ReturneeRegistered
from reintegration_contracts.types import AgeBand, Locality, ReturnType, Sex
from reintegration_sdk import EventHandlers, EventMeta, EventStore, ServiceDefinition
from reintegration_sdk.projections import rebuild_from_store, table_snapshot
from reintegration_sdk.telemetry import configure_tracing
from reintegration_sdk.testing.infrastructure import Infrastructure
from reintegration_sdk.testing.plugin import temporary_database
from reintegration_sdk.testing.service import (
    auth_headers,
    eventually,
    publish,
    random_office,
    read_topic,
    running_service,
    service_settings_for,
    upstream_event,
)

pytestmark = pytest.mark.integration
spans = InMemorySpanExporter()
configure_tracing("sdk-tests", extra=SimpleSpanProcessor(spans))
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "visits_desk"

# A second service that reads the desk's events knowing nothing but `visits_desk.contract`.
digest = EventHandlers("visits-digest", tables=["visits_seen"])


@digest.on(HomeVisitRecorded)
async def on_home_visit_recorded(
    db: asyncpg.Connection, event: HomeVisitRecorded, meta: EventMeta
) -> None:
    await db.execute(
        "INSERT INTO visits_seen (visit_id, trace) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        event.visit_id,
        meta.traceparent,
    )


def digest_definition(migrations: Path) -> ServiceDefinition:
    return ServiceDefinition(
        name="visits_digest",
        domain="home_visits",  # it publishes nothing; its store stays empty
        routers=[],
        store=EventStore(),
        migrations=migrations,
        reactions=digest,
        consumes=[DOMAIN],
    )


@pytest.fixture
def office() -> str:
    return random_office()


@pytest.fixture
async def desk(
    infrastructure: Infrastructure, fresh_database: str, office: str
) -> AsyncIterator[httpx.AsyncClient]:
    settings = service_settings_for(infrastructure, fresh_database, [office])
    async with running_service(definition, settings) as client:
        yield client


@pytest.fixture
async def seen(
    infrastructure: Infrastructure, office: str, tmp_path: Path
) -> AsyncIterator[asyncpg.Pool]:
    (tmp_path / "001_seen.sql").write_text(
        "CREATE TABLE visits_seen (visit_id uuid PRIMARY KEY, trace text);"
    )
    async with temporary_database(infrastructure, prefix="test_digest") as url:
        settings = service_settings_for(infrastructure, url, [office])
        async with running_service(digest_definition(tmp_path), settings) as client:
            yield client.app.state.runtime.pool  # type: ignore[attr-defined]


async def registered(infrastructure: Infrastructure, office: str) -> UUID:
    """A returnee as intake would have published them; the desk learns them from Kafka."""
    returnee_id = uuid4()
    event = ReturneeRegistered(
        returnee_id=returnee_id,
        arrival_date=date(2018, 5, 2),
        return_type=ReturnType.ASSISTED_VOLUNTARY,
        community=Locality(region="Kayes", commune="Kayes"),
        sex=Sex.FEMALE,
        age_band=AgeBand.AGE_25_34,
        is_minor=False,
        household_size=4,
    )
    await publish(infrastructure, [upstream_event(event, office, f"returnee-{returnee_id}")])
    return returnee_id


def a_visit(**changes: object) -> dict[str, object]:
    return {
        "visited_on": "2018-10-02",
        "purpose": "psychosocial",
        "outcome": "needs_support",
        "referral_needed": True,
        **changes,
    }


async def record(
    client: httpx.AsyncClient, office: str, returnee: UUID, **changes: object
) -> httpx.Response:
    url = f"/offices/{office}/returnees/{returnee}/home-visits"
    headers = auth_headers(["caseworker"], [office])

    async def accepted() -> httpx.Response:
        response = await client.post(url, json=a_visit(**changes), headers=headers)
        # The desk hears of the returnee from intake's topic a moment after it is published.
        assert response.json().get("rule") != "returnee_not_registered"
        return response

    return await eventually(accepted)


async def test_the_desk_publishes_on_its_own_domain_and_a_contract_reader_applies_it_in_one_trace(
    desk: httpx.AsyncClient, seen: asyncpg.Pool, office: str, infrastructure: Infrastructure
) -> None:
    returnee = await registered(infrastructure, office)
    response = await record(desk, office, returnee)
    assert response.status_code == 201, response.text
    visit_id = response.json()["visit_id"]

    published = await read_topic(
        infrastructure,
        topic_for(office, "home_visits"),
        until=lambda es: any(e.data.get("visit_id") == visit_id for e in es),
    )
    [envelope] = [e for e in published if e.data.get("visit_id") == visit_id]
    assert envelope.type == "org.reintegration.home_visits.HomeVisitRecorded"
    assert envelope.subject == f"home-visits-{returnee}"

    async def applied() -> None:
        assert await seen.fetchval(
            "SELECT trace FROM visits_seen WHERE visit_id = $1", UUID(visit_id)
        )

    await eventually(applied)
    event_id = str(envelope.id)
    by_name = {
        span.name: span
        for span in spans.get_finished_spans()
        if span.attributes and span.attributes.get("event.id") == event_id
    }
    # The last POST is the accepted one (the first may have come before intake's event).
    server = [
        s for s in spans.get_finished_spans() if s.name.startswith("POST /offices/" + office)
    ][-1]
    assert {"publish HomeVisitRecorded", "consume HomeVisitRecorded"} <= set(by_name)
    traces = {s.context.trace_id for s in [server, *by_name.values()]}
    assert len(traces) == 1, "HTTP, relay and consumer spans must share one trace"


async def test_the_rules_answer_with_their_codes_and_fields(
    desk: httpx.AsyncClient, office: str, infrastructure: Infrastructure
) -> None:
    caseworker = auth_headers(["caseworker"], [office])
    stranger = await desk.post(
        f"/offices/{office}/returnees/{uuid4()}/home-visits", json=a_visit(), headers=caseworker
    )
    assert (stranger.status_code, stranger.json()["rule"]) == (409, "returnee_not_registered")
    returnee = await registered(infrastructure, office)
    early = await record(desk, office, returnee, visited_on="2018-01-01", outcome="not_at_home")
    assert early.status_code == 422
    assert [f["field"] for f in early.json()["fields"]] == [
        "body.visited_on",
        "body.referral_needed",
    ]
    url = f"/offices/{office}/returnees/{returnee}/home-visits"
    assert (await desk.post(url, json=a_visit())).status_code == 401
    other = auth_headers(["caseworker"], ["zz" if office != "zz" else "zw"])
    assert (await desk.post(url, json=a_visit(), headers=other)).status_code == 403


async def test_two_visits_racing_on_one_returnee_never_both_take_one_version(
    desk: httpx.AsyncClient, office: str, infrastructure: Infrastructure
) -> None:
    returnee = await registered(infrastructure, office)
    assert (await record(desk, office, returnee)).status_code == 201
    url = f"/offices/{office}/returnees/{returnee}/home-visits"
    headers = auth_headers(["caseworker"], [office])
    answers = await asyncio.gather(
        *(desk.post(url, json=a_visit(), headers=headers) for _ in range(8))
    )
    statuses = sorted(a.status_code for a in answers)
    assert set(statuses) <= {201, 409} and 201 in statuses
    conflicts = [a.json() for a in answers if a.status_code == 409]
    assert all(c["error"] == "concurrency_conflict" for c in conflicts)
    pool = desk.app.state.runtime.pool  # type: ignore[attr-defined]
    versions = await pool.fetch(
        "SELECT version FROM events WHERE stream_id = $1 ORDER BY version",
        f"home-visits-{returnee}",
    )
    assert [r[0] for r in versions] == list(range(1, 2 + statuses.count(201)))


async def test_rebuild_equals_the_incrementally_built_read_model(
    desk: httpx.AsyncClient, office: str, infrastructure: Infrastructure
) -> None:
    returnees = [await registered(infrastructure, office) for _ in range(3)]
    for index in range(9):
        response = await record(desk, office, returnees[index % 3], purpose="housing")
        assert response.status_code == 201
    runtime = desk.app.state.runtime  # type: ignore[attr-defined]
    incremental = await table_snapshot(runtime.pool, ["home_visits"])
    assert len(incremental["home_visits"]) == 9
    await rebuild_from_store(runtime.pool, runtime.store, read_models, progress=False)
    assert await table_snapshot(runtime.pool, ["home_visits"]) == incremental
    listed = await desk.get(
        f"/offices/{office}/home-visits?format=csv",
        headers=auth_headers(["monitoring_officer"], [office]),
    )
    assert listed.headers["content-type"].startswith("text/csv")
    assert len(listed.text.strip().splitlines()) == 1 + 9


def test_the_missions_schemas_are_checked_like_the_platforms() -> None:
    check = subprocess.run(
        [
            sys.executable,
            "-m",
            "reintegration_contracts.schemas",
            "check",
            "--module",
            "visits_desk.contract",
            "--dir",
            str(EXAMPLE / "schemas"),
        ],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(EXAMPLE.parent)},
        timeout=60,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "schemas up to date" in check.stdout
