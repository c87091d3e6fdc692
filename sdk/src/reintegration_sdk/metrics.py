"""`/metrics` in Prometheus text format: what the relay published and still owes, what the
inbox applied, dead-lettered and skipped.

Counts that must survive a restart (dead letters, skipped events of unknown types, the
relay's lag) are read from the service database at scrape time; the rest are this process's
counters, which Prometheus expects to restart from zero with the process.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

import asyncpg
from fastapi import FastAPI, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from reintegration_sdk.outages import is_database_outage

_SCRAPE_TIMEOUT_SECONDS = 2.0


@dataclass
class Snapshot:
    """Every figure of one scrape, gathered before it is formatted."""

    service: str
    database_up: bool = False
    relay_up: bool | None = None
    published: int | None = None
    lag: int | None = None
    consumer: str | None = None
    inbox_up: bool | None = None
    applied: int | None = None
    dead_lettered: int | None = None
    skipped: dict[str, int] = field(default_factory=dict)


class _SnapshotCollector(Collector):
    def __init__(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot

    def collect(self) -> Iterator[Metric]:
        s = self._snapshot
        database = GaugeMetricFamily(
            "reintegration_database_up", "The service database answers", labels=["service"]
        )
        database.add_metric([s.service], float(s.database_up))
        yield database
        if s.relay_up is not None:
            up = GaugeMetricFamily(
                "reintegration_relay_up", "The relay is connected and making progress",
                labels=["service"],
            )  # fmt: skip
            up.add_metric([s.service], float(s.relay_up))
            yield up
        if s.published is not None:
            published = CounterMetricFamily(
                "reintegration_relay_published_events",
                "Events this process published to Kafka",
                labels=["service"],
            )
            published.add_metric([s.service], s.published)
            yield published
        if s.lag is not None:
            lag = GaugeMetricFamily(
                "reintegration_relay_lag_events",
                "Stored events not yet published (after the relay's checkpoint)",
                labels=["service"],
            )
            lag.add_metric([s.service], s.lag)
            yield lag
        yield from self._inbox(s)

    def _inbox(self, s: Snapshot) -> Iterator[Metric]:
        if s.consumer is None:
            return
        if s.inbox_up is not None:
            up = GaugeMetricFamily(
                "reintegration_inbox_up", "The inbox consumer is connected and consuming",
                labels=["consumer"],
            )  # fmt: skip
            up.add_metric([s.consumer], float(s.inbox_up))
            yield up
        if s.applied is not None:
            applied = CounterMetricFamily(
                "reintegration_inbox_applied_events",
                "Events this process applied from Kafka",
                labels=["consumer"],
            )
            applied.add_metric([s.consumer], s.applied)
            yield applied
        if s.dead_lettered is not None:
            dead = CounterMetricFamily(
                "reintegration_inbox_dead_lettered",
                "Records dead-lettered by this consumer, ever",
                labels=["consumer"],
            )
            dead.add_metric([s.consumer], s.dead_lettered)
            yield dead
        skipped = CounterMetricFamily(
            "reintegration_inbox_skipped_events",
            "Events of unknown types skipped by this consumer, ever, per type",
            labels=["consumer", "event_type"],
        )
        for event_type, count in sorted(s.skipped.items()):
            skipped.add_metric([s.consumer, event_type], count)
        yield skipped


async def snapshot(app: FastAPI) -> Snapshot:
    """The figures of `app`'s service now; database figures are left out while it is away."""
    state = app.state
    runtime = getattr(state, "runtime", None)
    figures = Snapshot(service=runtime.service if runtime is not None else "unknown")
    relay = getattr(state, "relay", None)
    if relay is not None:
        figures.relay_up = relay.health.ok
        figures.published = relay.published
    consumer = getattr(state, "consumer", None)
    if consumer is not None:
        figures.consumer = consumer.inbox.name
        figures.inbox_up = consumer.ok
        figures.applied = consumer.inbox.applied
    if runtime is None:
        return figures
    try:
        async with runtime.pool.acquire(timeout=_SCRAPE_TIMEOUT_SECONDS) as connection:
            await _database_figures(connection, figures)
        figures.database_up = True
    except Exception as error:
        if not is_database_outage(error):
            raise
    return figures


async def _database_figures(connection: asyncpg.Connection, figures: Snapshot) -> None:
    checkpoint = await connection.fetchrow(
        "SELECT transaction_id, position FROM relay_checkpoint WHERE name = 'relay'"
    )
    after = (int(checkpoint[0]), checkpoint[1]) if checkpoint else (0, 0)
    figures.lag = await connection.fetchval(
        "SELECT count(*) FROM events WHERE (transaction_id, position) > ($1::xid8, $2::bigint)",
        *after,
    )
    if figures.consumer is not None:
        figures.dead_lettered = await connection.fetchval(
            "SELECT count(*) FROM dead_letters WHERE consumer = $1", figures.consumer
        )
        rows = await connection.fetch(
            "SELECT event_type, count FROM skipped_events WHERE consumer = $1", figures.consumer
        )
        figures.skipped = {row["event_type"]: row["count"] for row in rows}


def render(figures: Snapshot) -> bytes:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_SnapshotCollector(figures))
    return generate_latest(registry)


def install_metrics(app: FastAPI) -> None:
    """Add `GET /metrics` (Prometheus text format) to a service's app."""

    @app.get("/metrics", tags=["operations"], include_in_schema=False)
    async def metrics(request: Request) -> Response:
        return Response(render(await snapshot(request.app)), media_type=CONTENT_TYPE_LATEST)
