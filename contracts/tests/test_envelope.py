"""The CloudEvents binary-mode binding round-trips and rejects what it cannot read."""

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from reintegration_contracts import (
    EnvelopeError,
    EventEnvelope,
    parse_topic,
    read_event,
    to_kafka_headers,
    to_kafka_value,
    topic_for,
)
from reintegration_contracts.events.training import SkillCertified
from reintegration_contracts.topics import Domain, TopicError

pytestmark = pytest.mark.unit


def certified_envelope() -> EventEnvelope:
    payload = SkillCertified(
        returnee_id=uuid4(),
        trade="welding",
        level="basic",  # type: ignore[arg-type]
        route="assessment",  # type: ignore[arg-type]
        centre_id=uuid4(),
        certified_on="2018-06-01",  # type: ignore[arg-type]
    )
    return EventEnvelope(
        id=uuid4(),
        source="/reintegration/bf/training",
        type=SkillCertified.ce_type(),
        time=datetime(2018, 6, 1, 10, tzinfo=UTC),
        subject=f"certification-{payload.returnee_id}",
        countryoffice="bf",
        correlationid=str(uuid4()),
        actor="trainer-7",
        dataversion=SkillCertified.event_version,
        traceparent="00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        data=payload.model_dump(mode="json"),
    )


def test_round_trip_through_headers_and_value() -> None:
    envelope = certified_envelope()
    headers = to_kafka_headers(envelope)
    assert ("ce_specversion", b"1.0") in headers
    read, payload = read_event(headers, to_kafka_value(envelope))
    assert read == envelope
    assert isinstance(payload, SkillCertified)
    assert read.topic == "reintegration.bf.training"


def test_missing_headers_and_bad_bodies_are_explained() -> None:
    envelope = certified_envelope()
    headers = [h for h in to_kafka_headers(envelope) if h[0] != "ce_actor"]
    with pytest.raises(EnvelopeError, match="ce_actor"):
        read_event(headers, to_kafka_value(envelope))
    with pytest.raises(EnvelopeError, match="not JSON"):
        read_event(to_kafka_headers(envelope), b"{nope")
    with pytest.raises(EnvelopeError, match="trade"):
        read_event(to_kafka_headers(envelope), b'{"trade": "Not A Slug"}')


def test_topic_naming() -> None:
    assert topic_for("bf", Domain.COMMITTEE) == "reintegration.bf.committee"
    assert parse_topic("reintegration.sn.intake") == ("sn", Domain.INTAKE)
    with pytest.raises(TopicError):
        topic_for("BF", Domain.INTAKE)
    with pytest.raises(TopicError):
        topic_for("xx", Domain.INTAKE)
