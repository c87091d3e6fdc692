"""The faults, as a table: when each strikes, what it does, how long it lasts, how it ends.

A fault strikes once the scenario has had a share (`at`) of its commands accepted; `at=0`
strikes before the first command. `inject` does the damage, the fault then lasts `hold`
seconds, and `restore` undoes what a person would undo (starting the broker again, a slow
writer finally committing). Whatever the platform must repair by itself is left to it: the
supervisor restarts a killed service, relays and inboxes reconnect. The fault ends when
`restore` returns; recovery is measured from then.
"""

import asyncio
import contextlib
import json
import os
import re
import signal
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import asyncpg
from aiokafka import AIOKafkaProducer

from chaos.audit import Injected
from chaos.kafka_reader import KafkaRecord, Tail
from chaos.malformed import first_of_type, poisons
from chaos.site import Site
from reintegration_contracts.topics import topic_for

SLOW_COMMIT_SECONDS = 8.0
SOURCE_WAIT_SECONDS = 30.0


@dataclass
class FaultContext:
    """What a fault may reach: the site's processes and databases, the office, the tail."""

    site: Site
    office: str
    decoy: str
    tail: Tail
    injected: list[Injected] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    state: dict[str, Any] = field(default_factory=dict)


Step = Callable[[FaultContext], Awaitable[None]]


async def _nothing(_: FaultContext) -> None:
    return None


@dataclass(frozen=True)
class Fault:
    name: str
    description: str
    at: float
    inject: Step
    hold: float = 0.0
    restore: Step = _nothing
    short: bool = False  # one of the few `make test` runs

    @property
    def slug(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")


# Kafka -----------------------------------------------------------------------------------


async def kill_kafka(ctx: FaultContext) -> None:
    await asyncio.to_thread(ctx.site.stack.kill_kafka)


async def start_kafka(ctx: FaultContext) -> None:
    seconds = await _patiently(ctx.site.stack.start_kafka, "broker", ctx)
    ctx.notes.append(f"broker answered {seconds:.1f} s after its start")


# PostgreSQL ------------------------------------------------------------------------------


async def restart_postgres_fast(ctx: FaultContext) -> None:
    await asyncio.to_thread(ctx.site.stack.restart_postgres)


async def kill_postgres(ctx: FaultContext) -> None:
    await asyncio.to_thread(ctx.site.stack.kill_postgres)


async def start_postgres(ctx: FaultContext) -> None:
    seconds = await _patiently(ctx.site.stack.start_postgres, "server", ctx)
    ctx.notes.append(f"server answered {seconds:.1f} s after its start (crash recovery)")


async def _patiently(start: Callable[[], float], what: str, ctx: FaultContext) -> float:
    """Start, and if the process is slower than the stack's own limit, keep waiting once more.

    A broker recovering hundreds of partitions on a busy machine can take minutes; the fault
    ends when it answers, so that recovery is measured from there and not from a timeout."""
    began = time.monotonic()
    try:
        return await asyncio.to_thread(start)
    except Exception as error:  # stack.py's StackError: not importable as a class here
        ctx.notes.append(f"{what} not answering yet ({error}); waiting once more")
        await asyncio.to_thread(start)  # finds the process still starting, and waits for it
        return time.monotonic() - began


# Services --------------------------------------------------------------------------------


def kill_service(name: str) -> Step:
    async def kill(ctx: FaultContext) -> None:
        pid = ctx.site.platform.supervisor.pids().get(name)
        if pid is None:
            ctx.problems.append(f"{name} had no process to kill")
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)  # the service and anything it spawned, like a crash
        ctx.notes.append(f"killed {name} (pid {pid})")

    return kill


# A slow-committing writer ----------------------------------------------------------------


async def begin_slow_commit(ctx: FaultContext) -> None:
    """Append one event to intake's store and keep its transaction open.

    The event is a registration in the decoy office (a copy of a real one, under a new
    returnee id), so the scenario's own office is not changed; but positions and transaction
    ids are one sequence per database and cluster, so every relay must hold back behind it
    while later transactions commit past it, and publish it once it commits."""
    registration = await _first_record(ctx, "intake", "ReturneeRegistered")
    data = json.loads(registration.value or b"{}")
    data["returnee_id"] = str(uuid.uuid4())
    connection = await asyncpg.connect(ctx.site.database_url("intake"))
    transaction = connection.transaction()
    await transaction.start()
    event_id = uuid.uuid4()
    position = await connection.fetchval(
        """INSERT INTO events (stream_id, version, event_id, event_name, data_version, domain,
                               country_office, data, actor, correlation_id)
           VALUES ($1, 1, $2, 'ReturneeRegistered', $3, 'intake', $4, $5::jsonb,
                   'chaos-slow-writer', $6)
           RETURNING position""",
        f"returnee-{data['returnee_id']}",
        event_id,
        int(registration.text("ce_dataversion") or "1"),
        ctx.decoy,
        json.dumps(data),
        str(uuid.uuid4()),
    )
    ctx.state["slow"] = (connection, transaction, position)
    ctx.notes.append(f"slow writer took position {position} (event {event_id})")


async def commit_slow_commit(ctx: FaultContext) -> None:
    if "slow" not in ctx.state:
        return  # the writer never began (its failure is already a problem of the case)
    connection, transaction, position = ctx.state.pop("slow")
    try:
        overtaken = await _count_after(ctx.site.database_url("intake"), position)
        await transaction.commit()
    finally:
        await connection.close()
    ctx.notes.append(f"{overtaken} events committed past it before it committed")
    if overtaken == 0:
        ctx.problems.append("no transaction committed past the slow one: the fault did not bite")


async def _count_after(url: str, position: int) -> int:
    connection = await asyncpg.connect(url)
    try:
        count: int = await connection.fetchval(
            "SELECT count(*) FROM events WHERE position > $1", position
        )
        return count
    finally:
        await connection.close()


# Poison records --------------------------------------------------------------------------


async def inject_poison(ctx: FaultContext) -> None:
    """Every kind of malformed record, on the intake topic training and monitoring read."""
    source = await _first_record(ctx, "intake", "CounsellingAttended")
    producer = AIOKafkaProducer(
        bootstrap_servers=ctx.site.bootstrap,
        acks="all",
        max_request_size=2 * 1024 * 1024,  # the broker, not this client, must judge the size
        client_id="chaos-poisoner",
    )
    await producer.start()
    try:
        for poison in poisons(source, ctx.decoy):
            sent = await producer.send_and_wait(
                poison.topic, value=poison.value, key=poison.key, headers=list(poison.headers)
            )
            ctx.injected.append(Injected(poison, sent.partition, sent.offset))
    finally:
        await producer.stop()
    kinds = ", ".join(i.poison.kind for i in ctx.injected)
    ctx.notes.append(f"injected on {source.topic}: {kinds}")


async def _first_record(ctx: FaultContext, domain: str, event_name: str) -> KafkaRecord:
    topic = topic_for(ctx.office, domain)
    deadline = time.monotonic() + SOURCE_WAIT_SECONDS
    while (record := first_of_type(ctx.tail.records(topic), event_name)) is None:
        if time.monotonic() > deadline:
            raise TimeoutError(f"no {event_name} on {topic} to copy after {SOURCE_WAIT_SECONDS} s")
        await asyncio.sleep(0.2)
    return record


FAULTS: tuple[Fault, ...] = (
    Fault("kafka kill -9", "broker killed mid-run, started again 5 s later",
          at=0.45, inject=kill_kafka, hold=5.0, restore=start_kafka, short=True),
    Fault("kafka down before first publish", "broker killed before the office's first command, "
          "started again 8 s later", at=0.0, inject=kill_kafka, hold=8.0, restore=start_kafka),
    Fault("postgres fast restart", "pg_ctl -m fast restart mid-run",
          at=0.5, inject=restart_postgres_fast, short=True),
    Fault("postgres kill -9", "postmaster and backends killed mid-run, started 3 s later",
          at=0.55, inject=kill_postgres, hold=3.0, restore=start_postgres),
    Fault("kill -9 intake", "while returnees register", at=0.2, inject=kill_service("intake")),
    Fault("kill -9 training", "while cohorts train", at=0.6, inject=kill_service("training")),
    Fault("kill -9 committee", "as trainees complete", at=0.84, inject=kill_service("committee")),
    Fault("kill -9 procurement", "as plans are submitted", at=0.86,
          inject=kill_service("procurement"), short=True),
    Fault("kill -9 monitoring", "as kits are delivered", at=0.9,
          inject=kill_service("monitoring")),
    Fault("slow commit", f"a writer holds its position {SLOW_COMMIT_SECONDS:.0f} s while "
          "others commit past it", at=0.3, inject=begin_slow_commit, hold=SLOW_COMMIT_SECONDS,
          restore=commit_slow_commit),
    Fault("poison records", "every kind of malformed record on the intake topic",
          at=0.45, inject=inject_poison, short=True),
)  # fmt: skip
