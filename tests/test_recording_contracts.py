"""The recorded events of the small scenario still read through the current contracts.

The services' read-model property tests replay tests/recordings/small.jsonl; a contract change
that no longer reads an event a service once published (a field made required, a type
narrowed, an upcaster lost) fails here, naming the event, instead of passing silently in
tests that would skip what they cannot parse. Regenerate the recording with `make recording`
after an intended change to what the services publish.
"""

from collections import Counter
from pathlib import Path

import pytest

from reintegration_contracts import Domain, EnvelopeError, read_event, topic_for
from reintegration_contracts.registry import latest_version
from reintegration_sdk.testing.recording import (
    RecordedRecord,
    free_text_on_the_wire,
    read_recording,
)

pytestmark = pytest.mark.unit

RECORDING = Path(__file__).parent / "recordings" / "small.jsonl"
RECORDS = read_recording(RECORDING)


def _read(record: RecordedRecord) -> str:
    try:
        envelope, payload = read_event(record.headers, record.value)
    except EnvelopeError as error:
        return f"{record.topic}[{record.partition}]@{record.offset}: {error.reason}"
    if envelope.topic != record.topic:
        return f"{envelope.id}: labelled for {envelope.topic}, recorded on {record.topic}"
    if payload.event_version != latest_version(envelope.event_name):
        return f"{envelope.id}: read as {envelope.event_name} v{payload.event_version}"
    return ""


def test_every_recorded_event_reads_through_the_current_contracts() -> None:
    problems = [problem for record in RECORDS if (problem := _read(record))]
    assert problems == []


def test_the_recording_is_one_office_running_the_whole_pipeline() -> None:
    envelopes = [record.envelope() for record in RECORDS]
    offices = {envelope.countryoffice for envelope in envelopes}
    assert len(offices) == 1
    office = offices.pop()
    topics = Counter(record.topic for record in RECORDS)
    # The five pipeline domains, and the office's programme configuration the scenario sets.
    assert set(topics) == {topic_for(office, domain) for domain in (*Domain, "programme")}
    assert len({envelope.id for envelope in envelopes}) == len(envelopes)


def test_a_record_comes_back_byte_for_byte() -> None:
    for record in RECORDS[:50]:
        assert RecordedRecord.from_json(record.to_json()) == record


def test_no_recorded_event_carries_free_text() -> None:
    # The small scenario as the services published it: no field classified free text, no
    # unclassified field, no string outside its field's pattern or categories.
    assert free_text_on_the_wire(RECORDS) == []
