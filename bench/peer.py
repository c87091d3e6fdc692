"""The peer: the `eventsourcing` library's PostgreSQL persistence (psycopg 3, threads).

An `Application` with PERSISTENCE_MODULE=eventsourcing.postgres saves one aggregate per writer
thread; each `save` is one transaction of 1 or 100 events (its recorder locks the table and
NOTIFYs, as the library does by default). The events carry the same payload as the SDK's.
"""

import asyncio
from concurrent.futures import ThreadPoolExecutor
from time import perf_counter
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from bench.measure import Counter, Role, progress
from bench.payloads import follow_up

if TYPE_CHECKING:
    from bench.append import Workload

WARM_UP = 10


class Visits(Aggregate):
    """One writer's stream: follow-up visits recorded one after another."""

    def __init__(self) -> None:
        self.recorded = 0

    @event("FollowUpRecorded")
    def record(self, data: dict[str, Any]) -> None:
        self.recorded += 1


class VisitLog(Application[UUID]):
    pass


def peer_environment(url: str, pool_size: int) -> dict[str, str]:
    parts = urlsplit(url)
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": parts.path.lstrip("/"),
        "POSTGRES_HOST": parts.hostname or "127.0.0.1",
        "POSTGRES_PORT": str(parts.port or 5432),
        "POSTGRES_USER": unquote(parts.username or ""),
        "POSTGRES_PASSWORD": unquote(parts.password or ""),
        "POSTGRES_POOL_SIZE": str(pool_size),
        "CREATE_TABLE": "y",
    }


class Peer:
    """The eventsourcing application on its own database, `writers` threads saving."""

    def __init__(self, app: VisitLog) -> None:
        self._app = app

    @classmethod
    async def open(cls, url: str, writers: int) -> "Peer":
        app = await asyncio.to_thread(VisitLog, env=peer_environment(url, writers))
        return cls(app)

    async def close(self) -> None:
        await asyncio.to_thread(self._app.close)

    def case(self, workload: "Workload") -> str:
        return f"eventsourcing {workload.batch} event{'s' if workload.batch > 1 else ''}/save"

    def role(self, workload: "Workload") -> Role:
        return "peer"

    async def measure(self, workload: "Workload", description: str) -> float:
        visits = [Visits() for _ in range(workload.writers)]
        data = [
            [follow_up().model_dump(mode="json") for _ in range(workload.per_writer)]
            for _ in range(workload.writers)
        ]
        await asyncio.to_thread(self._warm, visits)
        async with progress(description, workload.total) as counter:
            return await asyncio.to_thread(self._timed, visits, data, workload.batch, counter)

    def _warm(self, visits: list[Visits]) -> None:
        self._app.save(*visits)
        for _ in range(WARM_UP):
            for aggregate in visits:
                aggregate.record(follow_up().model_dump(mode="json"))
                self._app.save(aggregate)

    def _timed(
        self,
        visits: list[Visits],
        data: list[list[dict[str, Any]]],
        batch: int,
        counter: Counter,
    ) -> float:
        app = self._app

        def write(writer: int) -> None:
            aggregate, mine = visits[writer], data[writer]
            for start in range(0, len(mine), batch):
                for item in mine[start : start + batch]:
                    aggregate.record(item)
                app.save(aggregate)
                counter.n += batch

        with ThreadPoolExecutor(len(visits)) as threads:
            start = perf_counter()
            list(threads.map(write, range(len(visits))))
            return perf_counter() - start
