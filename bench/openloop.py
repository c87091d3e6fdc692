"""Latency at a fixed rate, open loop: each request leaves on its schedule (t0 + i/rate)
whatever became of the ones before, so a slow platform shows up as latency, not as a lower
rate (no coordinated omission). Every latency runs from the scheduled time.

Three measurements at the same rate:
- registrations: intake accepts (HTTP 201), then the effect reaches monitoring's read model
  (its `case_files` row for the returnee, polled every POLL_SECONDS in monitoring's database);
- raw Kafka: an aiokafka producer (the SDK's settings) to a fresh topic, a consumer reading it;
- HTTP GET /health round trips to intake.
"""

import asyncio
import contextlib
import math
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from time import perf_counter
from typing import Any

import asyncpg
import httpx
from aiokafka import AIOKafkaConsumer, TopicPartition

from bench.infra import Resources
from reintegration_scenarios import bodies
from reintegration_scenarios.script import Returnee
from reintegration_sdk.auth import AuthSettings, Role, mint_token
from reintegration_sdk.kafka import idempotent_producer

POLL_SECONDS = 0.010
DRAIN_SECONDS = 20.0  # after the last send, how long stragglers may take
WARM_UP = 5
RTT_PARTITIONS = 3

Job = Callable[[int, float], Coroutine[Any, Any, None]]


@dataclass
class Latencies:
    """Seconds from each request's scheduled time to its outcome."""

    name: str
    scheduled: int = 0
    samples: list[float] = field(default_factory=list)
    sent_at: list[float] = field(default_factory=list)  # each sample's scheduled time
    refused: dict[str, int] = field(default_factory=dict)  # answered, not accepted: why
    lost: int = 0  # no outcome before the drain deadline
    send_lag: list[float] = field(default_factory=list)  # how late the load left on schedule

    def record(self, scheduled: float, latency: float) -> None:
        self.sent_at.append(scheduled)
        self.samples.append(latency)

    def refuse(self, why: str) -> None:
        self.refused[why] = self.refused.get(why, 0) + 1

    def summary_ms(self) -> dict[str, float | None]:
        return _summary_ms(self.samples)

    def per_second_ms(self) -> list[dict[str, float | None]]:
        """p50 and p99 of the requests scheduled in each second of the load."""
        if not self.samples:
            return []
        t0 = min(self.sent_at)
        seconds: dict[int, list[float]] = {}
        for at, latency in zip(self.sent_at, self.samples, strict=True):
            seconds.setdefault(int(at - t0), []).append(latency)
        return [
            {"second": second, "n": len(values), **_summary_ms(values, ("p50", "p99"))}
            for second, values in sorted(seconds.items())
        ]

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "scheduled": self.scheduled,
            "measured": len(self.samples),
            "refused": self.refused,
            "lost": self.lost,
            "latency_ms": self.summary_ms(),
            "send_lag_ms": _summary_ms(self.send_lag, ("p50", "p99", "max")),
            "per_second_ms": self.per_second_ms(),
        }


POINTS = {"p50": 0.5, "p95": 0.95, "p99": 0.99, "max": 1.0}


def _summary_ms(
    values: Sequence[float], points: Sequence[str] = tuple(POINTS)
) -> dict[str, float | None]:
    """Nearest-rank percentiles in milliseconds; None without values."""
    ordered = sorted(values)
    summary: dict[str, float | None] = {}
    for name in points:
        rank = math.ceil(POINTS[name] * len(ordered)) - 1
        summary[name] = round(ordered[max(0, rank)] * 1000, 1) if ordered else None
    return summary


async def _load_then_drain(
    rate: float,
    count: int,
    job: Job,
    lag: list[float],
    collector: "asyncio.Task[Any]",
    loaded: asyncio.Event | None = None,
) -> None:
    """The open-loop load, then up to DRAIN_SECONDS for `collector` to see the last effects;
    the collector never outlives this call."""
    try:
        await open_loop(rate, count, job, lag)
        if loaded is not None:
            loaded.set()
        await asyncio.wait_for(asyncio.shield(collector), DRAIN_SECONDS)
    except TimeoutError:
        pass
    finally:
        collector.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await collector


async def open_loop(rate: float, count: int, job: Job, lag: list[float]) -> None:
    """Start job(i, scheduled_time) at t0 + i/rate for i < count; wait for them all."""
    t0 = perf_counter() + 0.1
    tasks: list[asyncio.Task[None]] = []
    for i in range(count):
        at = t0 + i / rate
        delay = at - perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        lag.append(max(0.0, perf_counter() - at))
        tasks.append(asyncio.create_task(job(i, at)))
    await asyncio.gather(*tasks)


def _client(base_url: str) -> httpx.AsyncClient:
    # Open loop: no cap on requests in flight below what the rate can pile up.
    limits = httpx.Limits(max_connections=512, max_keepalive_connections=64)
    return httpx.AsyncClient(base_url=base_url, limits=limits, timeout=DRAIN_SECONDS)


async def registrations(
    intake_url: str,
    monitoring_database: str,
    office: str,
    returnees: Sequence[Returnee],
    rate: float,
) -> tuple[Latencies, Latencies]:
    """(HTTP accept latency, accepted -> monitoring read model latency) of registrations."""
    accept, visible = Latencies("registration accepted"), Latencies("accepted -> monitoring")
    token = mint_token(AuthSettings(), f"caseworker-{office}-bench", [Role.CASEWORKER], [office])
    headers = {"authorization": f"Bearer {token}"}
    path = f"/offices/{office}/returnees"
    accepted_at: dict[str, float] = {}
    scheduled_at: dict[str, float] = {}
    waiting: set[str] = set()
    seen_at: dict[str, float] = {}

    async with _client(intake_url) as client:

        async def register(returnee: Returnee) -> tuple[str, str | None]:
            """(why it was refused, or "" ; the returnee id if accepted)."""
            response = await client.post(path, json=bodies.registration(returnee), headers=headers)
            if response.status_code == 201:
                return "", str(response.json()["returnee_id"])
            return f"HTTP {response.status_code} {_code(response)}".rstrip(), None

        async def job(i: int, scheduled: float) -> None:
            try:
                why, returnee_id = await register(returnees[WARM_UP + i])
            except httpx.HTTPError:
                accept.lost += 1
                return
            now = perf_counter()
            if returnee_id is None:
                # e.g. namesakes born the same day: 409 likely_duplicate, as a caseworker sees it
                accept.refuse(why)
                return
            accept.record(scheduled, now - scheduled)
            accepted_at[returnee_id] = now
            scheduled_at[returnee_id] = scheduled
            waiting.add(returnee_id)

        connection = await asyncpg.connect(monitoring_database)
        try:
            # Warm-up, not measured: connections opened, monitoring's consumer assigned.
            warm = [await register(r) for r in returnees[:WARM_UP]]
            waiting.update(i for _, i in warm if i)
            await _poll(connection, waiting, {}, lambda: True, perf_counter() + 60)
            count = len(returnees) - WARM_UP
            accept.scheduled = visible.scheduled = count
            loaded = asyncio.Event()
            poller = asyncio.create_task(
                _poll(connection, waiting, seen_at, loaded.is_set, float("inf"))
            )
            await _load_then_drain(rate, count, job, accept.send_lag, poller, loaded)
        finally:
            await connection.close()
    for returnee_id, seen in seen_at.items():
        visible.record(scheduled_at[returnee_id], seen - accepted_at[returnee_id])
    visible.lost = len(accepted_at) - len(seen_at)
    return accept, visible


def _code(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    return str(body.get("rule") or body.get("error") or "") if isinstance(body, dict) else ""


async def _poll(
    connection: asyncpg.Connection,
    waiting: set[str],
    seen_at: dict[str, float],
    load_done: Callable[[], bool],
    deadline: float,
) -> None:
    """Until nothing waits and the load is done: which waiting returnees have a case file."""
    while (waiting or not load_done()) and perf_counter() < deadline:
        if waiting:
            ids = list(waiting)
            # Rows the query sees were committed before it started: the ask time bounds it.
            asked = perf_counter()
            rows = await connection.fetch(
                "SELECT returnee_id::text FROM case_files WHERE returnee_id = ANY($1::uuid[])",
                ids,
            )
            for (returnee_id,) in rows:
                seen_at[returnee_id] = asked
                waiting.discard(returnee_id)
        await asyncio.sleep(POLL_SECONDS)
    if waiting and deadline != float("inf"):
        raise TimeoutError(f"{len(waiting)} warm-up registrations never reached monitoring")


async def health(intake_url: str, rate: float, count: int) -> Latencies:
    """GET /health on intake at `rate`."""
    result = Latencies("HTTP GET /health", scheduled=count)
    async with _client(intake_url) as client:
        for _ in range(WARM_UP):
            await client.get("/health")

        async def job(_: int, scheduled: float) -> None:
            try:
                response = await client.get("/health")
            except httpx.HTTPError:
                result.lost += 1
                return
            if response.status_code == 200:
                result.record(scheduled, perf_counter() - scheduled)
            else:
                result.refuse(f"HTTP {response.status_code}")

        await open_loop(rate, count, job, result.send_lag)
    return result


async def kafka_round_trips(resources: Resources, rate: float, count: int) -> Latencies:
    """Produce -> consume through a fresh topic: the SDK's idempotent producer settings, a
    consumer polling with getmany as the services' subscribers do."""
    kafka = resources.stack.kafka_bootstrap_servers
    topic = await resources.topic("round-trip", RTT_PARTITIONS)
    result = Latencies("raw Kafka produce -> consume", scheduled=count)
    scheduled_at: dict[int, float] = {}
    received_at: dict[int, float] = {}
    producer = idempotent_producer(kafka, f"bench-{resources.run_id}-round-trip")
    consumer = AIOKafkaConsumer(bootstrap_servers=kafka, enable_auto_commit=False)
    await producer.start()
    await consumer.start()
    try:
        partitions = [TopicPartition(topic, p) for p in range(RTT_PARTITIONS)]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        for partition in partitions:
            await consumer.position(partition)

        async def receive(until: int) -> None:
            while len(received_at) < until:
                batch = await consumer.getmany(timeout_ms=100)
                now = perf_counter()
                for records in batch.values():
                    for record in records:
                        received_at[int(record.value or b"0")] = now

        async def send(i: int, scheduled: float) -> None:
            scheduled_at[i] = scheduled
            await producer.send(topic, value=str(i).encode(), key=str(i % 64).encode())

        # Warm-up, not measured: negative indexes.
        for i in range(-WARM_UP, 0):
            await send(i, perf_counter())
        await asyncio.wait_for(receive(WARM_UP), 30)
        receiver = asyncio.create_task(receive(WARM_UP + count))
        await _load_then_drain(rate, count, send, result.send_lag, receiver)
    finally:
        await consumer.stop()
        await producer.stop()
    for i in range(count):
        if i in received_at:
            result.record(scheduled_at[i], received_at[i] - scheduled_at[i])
    result.lost = count - len(result.samples)
    return result
