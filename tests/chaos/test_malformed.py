"""The poison records are what they claim to be: each broken in its one way, and only that."""

import json
import uuid
from datetime import date

import pytest

from chaos.kafka_reader import KafkaRecord
from chaos.malformed import BROKER_LIMIT, PRODUCER_LIMIT, Poison, batch_size, poisons
from reintegration_contracts import EnvelopeError, read_event, to_kafka_headers, to_kafka_value
from reintegration_contracts.events.intake import CounsellingAttended
from reintegration_sdk.inbox import dead_letter_headers
from reintegration_sdk.testing.service import upstream_event

pytestmark = pytest.mark.unit

TOPIC = "reintegration.ml.intake"


def counselling_record() -> KafkaRecord:
    payload = CounsellingAttended(
        returnee_id=uuid.uuid4(),
        session_id=uuid.uuid4(),
        attended_on=date(2026, 3, 2),
        days_since_arrival=31,
    )
    envelope = upstream_event(payload, "ml", stream_id="returnee-1")
    value = to_kafka_value(envelope)
    headers = tuple(to_kafka_headers(envelope))
    return KafkaRecord(TOPIC, 1, 40, b"returnee-1", headers, value, len(value))


SOURCE = counselling_record()
POISONS = {p.kind: p for p in poisons(SOURCE, decoy_office="cv")}


def test_there_is_one_poison_of_every_kind_the_issue_names_and_a_plain_redelivery() -> None:
    assert set(POISONS) == {
        "non_json",
        "wrong_schema",
        "missing_headers",
        "non_utf8_header",
        "near_limit",
        "wrong_office",
        "reused_id",
        "redelivery",
    }
    assert all(p.topic == TOPIC and p.key == SOURCE.key for p in POISONS.values())


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("non_json", "body is not JSON"),
        ("wrong_schema", "CounsellingAttended v1"),
        ("missing_headers", "missing CloudEvents headers"),
        ("non_utf8_header", "header ce_source is not UTF-8"),
        ("near_limit", "body is not JSON"),
    ],
)
def test_an_undecodable_poison_fails_to_read_for_its_own_reason(kind: str, reason: str) -> None:
    poison = POISONS[kind]
    with pytest.raises(EnvelopeError) as refused:
        read_event(poison.headers, poison.value)
    assert reason in refused.value.reason


def test_the_wrong_office_poison_is_a_valid_event_of_another_office_than_its_topic() -> None:
    envelope, _ = read_event(POISONS["wrong_office"].headers, POISONS["wrong_office"].value)
    assert envelope.countryoffice == "cv" and envelope.source == "/reintegration/cv/intake"
    assert TOPIC.split(".")[1] == "ml"


def test_the_reused_id_poison_is_a_valid_event_under_an_id_already_applied() -> None:
    poison = POISONS["reused_id"]
    envelope, payload = read_event(poison.headers, poison.value)
    assert str(envelope.id) == SOURCE.event_id
    assert poison.value != SOURCE.value and isinstance(payload, CounsellingAttended)
    assert json.loads(poison.value)["returnee_id"] == json.loads(SOURCE.value or b"")["returnee_id"]


def test_the_redelivery_is_the_same_record_byte_for_byte_and_is_not_to_be_dead_lettered() -> None:
    poison = POISONS["redelivery"]
    assert (poison.key, poison.value, poison.headers) == (SOURCE.key, SOURCE.value, SOURCE.headers)
    assert not poison.dead_letter


def test_poisons_with_an_id_of_their_own_never_share_it() -> None:
    fresh = [p.event_id for p in POISONS.values() if p.fresh_id]
    assert len(fresh) == 5 and len(set(fresh)) == 5 and SOURCE.event_id not in fresh


def test_the_near_limit_poison_fits_the_broker_but_its_dead_letter_copy_fits_no_producer() -> None:
    poison = POISONS["near_limit"]
    assert BROKER_LIMIT - 1024 < poison.batch_size <= BROKER_LIMIT
    copy = dead_letter_headers(as_record(poison), "body is not JSON: Expecting value", "training")
    assert batch_size(poison.key, poison.value, copy) > PRODUCER_LIMIT


def as_record(poison: Poison) -> KafkaRecord:
    return KafkaRecord(poison.topic, 1, 99, poison.key, poison.headers, poison.value, 0)
