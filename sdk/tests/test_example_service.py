"""The example service end to end: HTTP -> append -> relay -> Kafka -> inbox, one trace."""

from collections.abc import AsyncIterator
from uuid import uuid4

import httpx
import pytest
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from sdk_builders import follow_up
from visits_desk.app import definition, seen_on_kafka, visits

from reintegration_contracts import Domain, to_kafka_headers, to_kafka_value, topic_for
from reintegration_sdk.projections import rebuild_from_kafka, rebuild_from_store, table_snapshot
from reintegration_sdk.service import event_topics
from reintegration_sdk.telemetry import configure_tracing
from reintegration_sdk.testing.infrastructure import Infrastructure
from reintegration_sdk.testing.service import (
    auth_headers,
    eventually,
    publish_raw,
    random_office,
    running_service,
    service_settings_for,
    upstream_event,
)

pytestmark = pytest.mark.integration
spans = InMemorySpanExporter()
configure_tracing("sdk-tests", extra=SimpleSpanProcessor(spans))


@pytest.fixture
def office() -> str:
    return random_office()


@pytest.fixture
async def client(
    infrastructure: Infrastructure, fresh_database: str, office: str
) -> AsyncIterator[httpx.AsyncClient]:
    settings = service_settings_for(infrastructure, fresh_database, [office])
    async with running_service(definition, settings) as client:
        yield client


def visit(jobs: int = 1) -> dict[str, object]:
    return {
        "returnee_id": str(uuid4()),
        "visited_on": "2018-10-02",
        "activity_running": True,
        "jobs_created": jobs,
        "satisfaction": 4,
    }


async def test_one_trace_spans_the_request_the_relay_and_the_consumer(
    client: httpx.AsyncClient, office: str
) -> None:
    returnee = uuid4()
    response = await client.post(
        f"/offices/{office}/returnees/{returnee}/visits",
        json=visit(),
        headers=auth_headers(["caseworker"], [office]),
    )
    assert response.status_code == 201, response.text
    event_id = response.json()["event_id"]
    pool = client.app.state.runtime.pool  # type: ignore[attr-defined]

    async def consumed() -> str:
        trace = await pool.fetchval("SELECT trace FROM visits_seen WHERE event_id = $1", event_id)
        assert trace is not None
        return str(trace)

    await eventually(consumed)
    by_name = {}
    for span in spans.get_finished_spans():
        if span.attributes and span.attributes.get("event.id") == event_id:
            by_name[span.name] = span
    server = next(
        s for s in spans.get_finished_spans() if s.name.startswith("POST /offices/" + office)
    )
    assert set(by_name) == {"publish FollowUpRecorded", "consume FollowUpRecorded"}
    trace_ids = {s.context.trace_id for s in [server, *by_name.values()]}
    assert len(trace_ids) == 1, "HTTP, relay and consumer spans must share one trace"
    consume = by_name["consume FollowUpRecorded"]
    assert consume.parent is not None
    assert consume.parent.span_id == by_name["publish FollowUpRecorded"].context.span_id


async def test_errors_are_json_naming_what_is_wrong(client: httpx.AsyncClient, office: str) -> None:
    caseworker = auth_headers(["caseworker"], [office])
    path = f"/offices/{office}/returnees/{uuid4()}/visits"
    assert (await client.post(path, json=visit(), headers=caseworker)).status_code == 201
    stale = await client.post(path + "?expected_version=0", json=visit(), headers=caseworker)
    assert stale.status_code == 409
    assert stale.json()["error"] == "concurrency_conflict"
    assert stale.json()["actual_version"] == 1
    bad = await client.post(path, json={**visit(), "satisfaction": 9}, headers=caseworker)
    assert bad.status_code == 422
    assert bad.json()["fields"][0]["field"] == "body.satisfaction"
    assert (await client.post(path, json=visit())).status_code == 401
    other_office = auth_headers(["caseworker"], ["zz" if office != "zz" else "zw"])
    forbidden = await client.post(path, json=visit(), headers=other_office)
    assert forbidden.status_code == 403
    assert office in forbidden.json()["detail"]
    ready = await client.get("/ready")
    assert ready.json()["ready"] is True
    assert ready.json()["checks"] == {
        "started": True,
        "database": True,
        "relay": True,
        "inbox": True,
    }


async def test_rebuild_equals_the_incrementally_built_read_models(
    client: httpx.AsyncClient, office: str, infrastructure: Infrastructure
) -> None:
    headers = auth_headers(["caseworker"], [office])
    returnees = [uuid4() for _ in range(4)]
    for index in range(12):
        returnee = returnees[index % 4]
        response = await client.post(
            f"/offices/{office}/returnees/{returnee}/visits", json=visit(index), headers=headers
        )
        assert response.status_code == 201
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    pool = runtime.pool

    async def all_seen() -> None:
        assert await pool.fetchval("SELECT count(*) FROM visits_seen") >= 12

    await eventually(all_seen)
    incremental = await table_snapshot(pool, ["visits_per_returnee", "visits_seen"])
    assert len(incremental["visits_per_returnee"]) == 4
    await client.app.state.consumer.stop()  # type: ignore[attr-defined]  # as the CLI asks
    await rebuild_from_store(pool, runtime.store, visits, progress=False)
    await rebuild_from_kafka(
        pool,
        infrastructure.kafka_bootstrap_servers,
        event_topics(runtime.settings, definition.consumes),
        seen_on_kafka,
        consumer="visits_desk",
        progress=False,
    )
    assert await table_snapshot(pool, ["visits_per_returnee", "visits_seen"]) == incremental


async def test_metrics_show_what_was_published_applied_dead_lettered_and_skipped(
    client: httpx.AsyncClient, office: str, infrastructure: Infrastructure
) -> None:
    response = await client.post(
        f"/offices/{office}/returnees/{uuid4()}/visits",
        json=visit(),
        headers=auth_headers(["caseworker"], [office]),
    )
    assert response.status_code == 201
    topic = topic_for(office, Domain.MONITORING)
    unknown = upstream_event(follow_up(), office).model_copy(
        update={"type": "org.reintegration.monitoring.NotYetInvented"}
    )
    await publish_raw(infrastructure, topic, to_kafka_value(unknown), to_kafka_headers(unknown))
    garbled = upstream_event(follow_up(), office)
    await publish_raw(infrastructure, topic, b"{not json", to_kafka_headers(garbled))

    async def all_counted() -> str:
        metrics = await client.get("/metrics")
        assert metrics.status_code == 200
        assert metrics.headers["content-type"].startswith("text/plain")
        text = metrics.text
        assert 'reintegration_relay_published_events_total{service="visits_desk"} 1.0' in text
        assert 'reintegration_relay_lag_events{service="visits_desk"} 0.0' in text
        assert 'reintegration_relay_up{service="visits_desk"} 1.0' in text
        assert 'reintegration_inbox_applied_events_total{consumer="visits_desk"} 1.0' in text
        assert 'reintegration_inbox_dead_lettered_total{consumer="visits_desk"} 1.0' in text
        skipped = (
            'reintegration_inbox_skipped_events_total{consumer="visits_desk",'
            'event_type="org.reintegration.monitoring.NotYetInvented"} 1.0'
        )
        assert skipped in text
        assert 'reintegration_database_up{service="visits_desk"} 1.0' in text
        return text

    await eventually(all_counted)
