"""The batch paths without I/O: batch handlers keep each stream's order, the relay's encoding
equals the contract's, one span per batch still reaches every event's trace."""

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any
from uuid import uuid4

import pytest
from opentelemetry.sdk.trace import SpanLimits, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from reintegration_contracts import source_for, to_kafka_headers, to_kafka_value
from reintegration_contracts.events.monitoring import (
    FollowUpRecorded,
    FollowUpScheduleConfigured,
    IncomeBand,
)
from reintegration_sdk import telemetry
from reintegration_sdk.dispatch import EventHandlers
from reintegration_sdk.events import EventMeta, StoredEvent


def a_follow_up(jobs: int = 1) -> FollowUpRecorded:
    return FollowUpRecorded(
        visit_id=uuid4(),
        returnee_id=uuid4(),
        visited_on=date(2018, 9, 1),
        activity_running=True,
        monthly_revenue_band=IncomeBand.MEDIUM,
        monthly_profit_band=IncomeBand.LOW,
        jobs_created=jobs,
        support_needed=False,
        satisfaction=4,
        caseworker="cw-1",
    )


def a_schedule() -> FollowUpScheduleConfigured:
    return FollowUpScheduleConfigured(offsets_days=[30, 90], configured_on=date(2018, 1, 1))


def meta(stream: str, traceparent: str | None = None) -> EventMeta:
    return EventMeta(
        event_id=uuid4(),
        event_name="x",
        stream_id=stream,
        country_office="bf",
        actor="a",
        correlation_id="c",
        causation_id=None,
        traceparent=traceparent,
        time=datetime.now(UTC),
    )


def recording() -> tuple[EventHandlers, list[tuple[str, Any]]]:
    """Follow-ups have a batch form, schedules a per-event one; calls are recorded."""
    handlers = EventHandlers("t")
    calls: list[tuple[str, Any]] = []

    @handlers.on_batch(FollowUpRecorded)
    async def follow_ups(db: Any, events: Sequence[tuple[FollowUpRecorded, EventMeta]]) -> None:
        calls.append(("batch", [(m.stream_id, e.jobs_created) for e, m in events]))

    @handlers.on(FollowUpScheduleConfigured)
    async def schedule(db: Any, event: FollowUpScheduleConfigured, m: EventMeta) -> None:
        calls.append(("one", m.stream_id))

    return handlers, calls


async def test_a_run_of_one_type_goes_to_the_batch_handler_at_once() -> None:
    handlers, calls = recording()
    events = [(a_follow_up(i), meta(f"s{i % 3}")) for i in range(6)]
    await handlers.apply_batch(None, events)
    assert calls == [("batch", [(f"s{i % 3}", i) for i in range(6)])]


async def test_a_per_event_handler_cuts_the_run_where_its_event_stands() -> None:
    handlers, calls = recording()
    events = [
        (a_follow_up(1), meta("a")),
        (a_follow_up(2), meta("b")),
        (a_schedule(), meta("a")),
        (a_follow_up(3), meta("a")),
    ]
    await handlers.apply_batch(None, events)
    assert calls == [("batch", [("a", 1), ("b", 2)]), ("one", "a"), ("batch", [("a", 3)])]


async def test_a_stream_changing_type_cuts_the_run_so_its_order_holds() -> None:
    handlers = EventHandlers("t")
    order: list[str] = []

    @handlers.on_batch(FollowUpRecorded)
    async def follow_ups(db: Any, events: Sequence[tuple[Any, EventMeta]]) -> None:
        order.extend(f"visit:{m.stream_id}" for _, m in events)

    @handlers.on_batch(FollowUpScheduleConfigured)
    async def schedules(db: Any, events: Sequence[tuple[Any, EventMeta]]) -> None:
        order.extend(f"schedule:{m.stream_id}" for _, m in events)

    events = [
        (a_schedule(), meta("a")),
        (a_follow_up(), meta("b")),
        (a_schedule(), meta("c")),
        (a_follow_up(), meta("a")),  # stream a changes type: a new run
        (a_follow_up(), meta("c")),
    ]
    await handlers.apply_batch(None, events)
    assert order == ["schedule:a", "schedule:c", "visit:b", "visit:a", "visit:c"]
    for stream in "ac":
        mine = [step for step in order if step.endswith(f":{stream}")]
        assert mine == [f"schedule:{stream}", f"visit:{stream}"]


async def test_a_batch_handler_also_serves_a_single_event() -> None:
    handlers, calls = recording()
    await handlers.apply(None, a_follow_up(7), meta("a"))
    assert calls == [("batch", [("a", 7)])]


@pytest.mark.parametrize("causation", [None, "cause-1"])
@pytest.mark.parametrize("traceparent", [None, f"00-{'a' * 32}-{'b' * 16}-01"])
@pytest.mark.parametrize("forwarded", [None, f"00-{'c' * 32}-{'d' * 16}-00"])
def test_the_relay_encoding_is_the_contracts_byte_for_byte(
    causation: str | None, traceparent: str | None, forwarded: str | None
) -> None:
    payload = a_follow_up()
    event = StoredEvent(
        position=3,
        stream_id="visit-1",
        version=2,
        event_id=uuid4(),
        event_name=payload.event_name,
        data_version=payload.event_version,
        domain="monitoring",
        country_office="bf",
        data=payload.model_dump(mode="json"),
        actor="cw-1",
        correlation_id=str(uuid4()),
        causation_id=causation,
        traceparent=traceparent,
        recorded_at=datetime.now(UTC),
    )
    source = source_for("bf", "monitoring")
    envelope = event.to_envelope(source, forwarded)
    assert event.kafka_headers(source, forwarded) == to_kafka_headers(envelope)
    assert event.kafka_value() == to_kafka_value(envelope)


def test_traceparents_are_read_as_the_propagator_reads_them() -> None:
    good = f"00-{'0af7651916cd43dd8448eb211c80319c'}-{'b7ad6b7169203331'}-01"
    context = telemetry.span_context_of(good)
    assert context is not None and context.is_remote
    assert (context.trace_id, context.span_id) == (
        0x0AF7651916CD43DD8448EB211C80319C,
        0xB7AD6B7169203331,
    )
    for bad in (None, "", "garbage", f"00-{'0' * 32}-{'b' * 16}-01", f"ff-{'a' * 32}-{'b' * 16}-01",
                f"00-{'a' * 31}-{'b' * 16}-01", f"00-{'g' * 32}-{'b' * 16}-01"):  # fmt: skip
        assert telemetry.span_context_of(bad) is None, bad


def test_one_batch_span_is_a_child_of_the_first_trace_and_links_every_other() -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider(span_limits=SpanLimits(max_links=telemetry.MAX_LINKS))
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    traces = [f"00-{uuid4().hex}-{uuid4().hex[:16]}-01" for _ in range(300)]
    tracer = provider.get_tracer("t")
    original = telemetry.tracer
    telemetry.tracer = lambda name="reintegration": tracer  # type: ignore[assignment]
    try:
        with telemetry.batch_span("consume X", [*traces, traces[0], None], SpanKind.CONSUMER) as (
            span,
            parent,
        ):
            assert parent == traces[0]
            assert telemetry.traceparent_of(span) is not None
    finally:
        telemetry.tracer = original
    [finished] = exporter.get_finished_spans()
    first = telemetry.span_context_of(traces[0])
    assert first is not None and finished.parent is not None
    assert finished.context.trace_id == first.trace_id
    assert finished.parent.span_id == first.span_id
    linked = [link.context.trace_id for link in finished.links]
    assert linked == [c.trace_id for tp in traces[1:] if (c := telemetry.span_context_of(tp))]
