"""Traces and structured logs.

One trace runs from the HTTP request through the append (the traceparent is stored with each
event), the relay (which forwards it in Kafka headers) into the consumer's handler. Spans are
exported over OTLP only when an endpoint is configured; by default nothing leaves the process.
"""

import functools
import json
import logging
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanLimits, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import Link, NonRecordingSpan, Span, SpanContext, SpanKind, TraceFlags
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

_propagator = TraceContextTextMapPropagator()
_provider: TracerProvider | None = None
# A batch span links every distinct trace of its batch; OpenTelemetry's default limit (128)
# would silently drop the links of a full relay or inbox batch (500).
MAX_LINKS = 2048


def configure_tracing(
    service_name: str, otlp_endpoint: str | None = None, extra: SpanProcessor | None = None
) -> TracerProvider:
    """Install a tracer provider once per process; later calls add processors only."""
    global _provider
    if _provider is None:
        _provider = TracerProvider(
            resource=Resource.create({"service.name": service_name}),
            span_limits=SpanLimits(max_links=MAX_LINKS),
        )
        trace.set_tracer_provider(_provider)
        if otlp_endpoint:
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            _provider.add_span_processor(
                BatchSpanProcessor(OTLPSpanExporter(endpoint=otlp_endpoint))
            )
    if extra is not None:
        _provider.add_span_processor(extra)
    return _provider


@functools.cache
def tracer(name: str = "reintegration") -> trace.Tracer:
    # Cached: looking the tracer up costs more than a span on the relay's hot path.
    return trace.get_tracer(name)


def current_traceparent() -> str | None:
    """The W3C traceparent of the active span, if one is recording."""
    carrier: dict[str, str] = {}
    _propagator.inject(carrier)
    return carrier.get("traceparent")


def context_from_traceparent(traceparent: str | None) -> otel_context.Context:
    return _propagator.extract({"traceparent": traceparent} if traceparent else {})


@contextmanager
def span_following(
    name: str,
    traceparent: str | None,
    kind: SpanKind = SpanKind.INTERNAL,
    attributes: dict[str, Any] | None = None,
) -> Iterator[Span]:
    """A span whose parent is the span named by `traceparent` (a new trace when None)."""
    with tracer().start_as_current_span(
        name, context=context_from_traceparent(traceparent), kind=kind, attributes=attributes
    ) as span:
        yield span


def span_context_of(traceparent: str | None) -> SpanContext | None:
    """The remote span a W3C traceparent names, or None if it names none.

    A plain split instead of the propagator's regex and context: on a batch of 500 events the
    propagator's extract alone cost more than the whole batch span."""
    if not traceparent:
        return None
    parts = traceparent.split("-")
    if len(parts) < 4 or len(parts[0]) != 2 or parts[0] == "ff":
        return None
    version, trace_hex, span_hex, flags_hex = parts[:4]
    if len(trace_hex) != 32 or len(span_hex) != 16 or len(flags_hex) != 2:
        return None
    if version == "00" and len(parts) != 4:
        return None
    try:
        trace_id, span_id, flags = int(trace_hex, 16), int(span_hex, 16), int(flags_hex, 16)
    except ValueError:
        return None
    if not trace_id or not span_id:
        return None
    return SpanContext(trace_id, span_id, is_remote=True, trace_flags=TraceFlags(flags))


def traceparent_of(span: Span) -> str | None:
    """The W3C traceparent naming `span` (None if it is not a valid span)."""
    context = span.get_span_context()
    if not context.is_valid:
        return None
    return f"00-{context.trace_id:032x}-{context.span_id:016x}-{context.trace_flags:02x}"


@contextmanager
def batch_span(
    name: str,
    traceparents: Iterable[str | None],
    kind: SpanKind = SpanKind.INTERNAL,
    attributes: dict[str, Any] | None = None,
) -> Iterator[tuple[Span, str | None]]:
    """One span for a batch of events: a child of the first event's trace, linked to every
    other trace of the batch, so each trace still reaches it (and, when the batch holds one
    trace, as the usual live batch does, that trace stays one tree).

    Yields the span and the traceparent it was made a child of (None for a new trace)."""
    parent: str | None = None
    context = otel_context.Context()  # empty: no parent unless an event names one
    links: list[Link] = []
    for traceparent in dict.fromkeys(traceparents):
        span_context = span_context_of(traceparent)
        if span_context is None:
            continue
        if parent is None:
            parent = traceparent
            context = trace.set_span_in_context(NonRecordingSpan(span_context))
        else:
            links.append(Link(span_context))
    with tracer().start_as_current_span(
        name, context=context, kind=kind, attributes=attributes, links=links
    ) as span:
        yield span, parent


class JsonLogFormatter(logging.Formatter):
    """One JSON object per line, with the trace and span ids of the active span."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        span_context = trace.get_current_span().get_span_context()
        if span_context.is_valid:
            entry["trace_id"] = format(span_context.trace_id, "032x")
            entry["span_id"] = format(span_context.span_id, "016x")
        for key in ("service", "event_id", "stream_id", "topic"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(level: str = "INFO") -> None:
    """Structured JSON logs on stderr for the whole process."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLogFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("aiokafka", "kafka"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
