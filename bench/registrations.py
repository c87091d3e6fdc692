"""Registrations of one office against intake alone: do they take turns?

    python -m bench.registrations [--count 300] [--in-flight 16]

Starts intake as a process of its own (a fresh database, a free port, an office with no topic
yet), registers `count` returnees of the Burkina Faso scenario scaled up (the bodies the
scenarios runner sends) with `in-flight` requests at a time, and prints registrations/s, the
HTTP 201 latency and how many registrations were waiting on a registration lock (pg_locks
sampled every 50 ms). The database and the office's topic go at the end. Throughput is bound
by the CPU on a busy machine; the lock waits are not.
"""

import argparse
import asyncio
import os
import sys
import time
from datetime import date

import asyncpg
import httpx
from aiokafka.admin import AIOKafkaAdminClient

from bench.infra import Resources, Stack
from bench.services import unused_offices
from reintegration_scenarios import bodies, scenario, script
from reintegration_scenarios.report import percentile
from reintegration_scenarios.scaling import scaled
from reintegration_sdk.auth import AuthSettings, Role, mint_token
from reintegration_sdk.testing.infrastructure import free_port

WARM_UP = 50
WAITING = """SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database
             WHERE l.locktype = 'advisory' AND NOT l.granted AND d.datname = current_database()"""


async def measure(count: int, in_flight: int) -> str:
    stack = Stack.from_environment()
    # An office with no topic yet, whose topic goes at the end: the stack's own offices (bf on
    # a development stack) never see the bench's people.
    [office] = await unused_offices(stack.kafka_bootstrap_servers, 1)
    resources = Resources(stack)
    database = await resources.database("intake")
    port = free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": stack.database_url,
        "SERVICE_DATABASE": database.rsplit("/", 1)[-1],
        "KAFKA_BOOTSTRAP_SERVERS": stack.kafka_bootstrap_servers,
        "COUNTRY_OFFICES": office,
        "HTTP_PORT": str(port),
        "CONSUMER_GROUP": f"bench-{resources.run_id}-intake",
        "LOG_LEVEL": "WARNING",
    }
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "intake", env=environment)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
            await _ready(client, process)
            programme = scaled(scenario.load("burkina-faso"), count + WARM_UP)
            people = script.build(programme, date.today()).returnees
            token = mint_token(AuthSettings(), "bench-registrations", [Role.CASEWORKER], [office])
            headers = {"authorization": f"Bearer {token}"}
            path = f"/offices/{office}/returnees"
            for returnee in people[:WARM_UP]:
                await client.post(path, json=bodies.registration(returnee), headers=headers)
            queue = list(people[WARM_UP:])
            latencies: list[float] = []
            statuses: dict[int, int] = {}

            async def desk() -> None:
                while queue:
                    body = bodies.registration(queue.pop())
                    began = time.perf_counter()
                    answer = await client.post(path, json=body, headers=headers)
                    latencies.append((time.perf_counter() - began) * 1000)
                    statuses[answer.status_code] = statuses.get(answer.status_code, 0) + 1

            watcher = await asyncpg.connect(database)
            waiting: list[int] = []

            async def sample() -> None:
                while True:
                    waiting.append(await watcher.fetchval(WAITING))
                    await asyncio.sleep(0.05)

            sampler = asyncio.create_task(sample())
            load = os.getloadavg()[0]
            began = time.perf_counter()
            await asyncio.gather(*(desk() for _ in range(in_flight)))
            seconds = time.perf_counter() - began
            sampler.cancel()
            await watcher.close()
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), timeout=30)
        await resources.close()
        await _delete_topics(stack, office)
    return (
        f"{count} registrations, {in_flight} in flight: {count / seconds:.1f}/s; HTTP 201 p50 "
        f"{percentile(latencies, 0.5):.0f} ms, p99 {percentile(latencies, 0.99):.0f} ms; answers "
        f"{statuses}; waiting on a registration lock: {sum(waiting) / max(1, len(waiting)):.1f} "
        f"on average (max {max(waiting, default=0)}); load average {load:.1f} at the start"
    )


async def _ready(client: httpx.AsyncClient, process: asyncio.subprocess.Process) -> None:
    for _ in range(600):
        if process.returncode is not None:
            raise SystemExit("intake exited before it was ready")
        try:
            if (await client.get("/ready")).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        await asyncio.sleep(0.2)
    raise SystemExit("intake was not ready within 2 minutes")


async def _delete_topics(stack: Stack, office: str) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=stack.kafka_bootstrap_servers)
    await admin.start()
    try:
        ours = [t for t in await admin.list_topics() if t.startswith(f"reintegration.{office}.")]
        if ours:
            await admin.delete_topics(ours)
    finally:
        await admin.close()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.registrations", description=__doc__)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--in-flight", type=int, default=16)
    args = parser.parse_args()
    print(asyncio.run(measure(args.count, args.in_flight)))


if __name__ == "__main__":
    main()
