"""A contracts event survives the real broker and the real database unchanged."""

import json
from datetime import UTC, date, datetime
from uuid import uuid4

import asyncpg
import pytest
from kafka import KafkaAdminClient

from reintegration_contracts import (
    EventEnvelope,
    read_event,
    read_payload,
    to_kafka_headers,
    to_kafka_value,
)
from reintegration_contracts.events.committee import PlanApproved
from reintegration_sdk.testing.infrastructure import Infrastructure
from reintegration_sdk.testing.service import publish, random_office, read_topic_records

pytestmark = pytest.mark.integration


def approved_plan(office: str) -> EventEnvelope:
    payload = PlanApproved(
        plan_id=uuid4(),
        session_id=uuid4(),
        kind="collective",  # type: ignore[arg-type]
        beneficiary_ids=[uuid4(), uuid4()],
        trade="poultry",
        locality={"region": "Centre-Est", "commune": "Tenkodogo"},  # type: ignore[arg-type]
        approved_on=date(2018, 11, 20),
        approved_budget=[{"item": "laying_hens", "quantity": 200, "unit_cost": 3500}],  # type: ignore[list-item]
        approved_total=700_000,
        currency="XOF",
    )
    return EventEnvelope(
        id=uuid4(),
        source=f"/reintegration/{office}/committee",
        type=PlanApproved.ce_type(),
        time=datetime.now(UTC),
        subject=f"plan-{payload.plan_id}",
        countryoffice=office,
        correlationid=str(uuid4()),
        actor="secretary-1",
        dataversion=PlanApproved.event_version,
        data=payload.model_dump(mode="json"),
    )


async def test_an_event_round_trips_through_kafka_and_postgresql(
    infrastructure: Infrastructure, fresh_database: str
) -> None:
    envelope = approved_plan(random_office())
    await publish(infrastructure, [envelope])
    records = await read_topic_records(
        infrastructure,
        envelope.topic,
        until=lambda rs: any(dict(r.headers)["ce_id"] == str(envelope.id).encode() for r in rs),
    )
    [record] = [r for r in records if dict(r.headers)["ce_id"] == str(envelope.id).encode()]
    consumed, payload = read_event(record.headers, record.value)
    assert consumed == envelope
    assert isinstance(payload, PlanApproved)
    assert record.key == envelope.subject.encode()

    connection = await asyncpg.connect(fresh_database)
    try:
        await connection.execute("CREATE TABLE received (id uuid PRIMARY KEY, data jsonb)")
        await connection.execute(
            "INSERT INTO received VALUES ($1, $2::jsonb)", consumed.id, json.dumps(consumed.data)
        )
        stored = await connection.fetchval("SELECT data::text FROM received")
    finally:
        await connection.close()
    assert read_payload("PlanApproved", 1, json.loads(stored)) == payload
    assert to_kafka_value(consumed) == record.value
    assert to_kafka_headers(consumed)[0] == ("ce_id", str(envelope.id).encode())


def test_the_broker_answers_an_independent_kafka_client(infrastructure: Infrastructure) -> None:
    admin = KafkaAdminClient(
        bootstrap_servers=infrastructure.kafka_bootstrap_servers, client_id="independent"
    )
    try:
        cluster = admin.describe_cluster()
        assert len(cluster["brokers"]) == 1
        assert isinstance(admin.list_topics(), list)
    finally:
        admin.close()
