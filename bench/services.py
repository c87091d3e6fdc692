"""The five real services for the pipeline bench: fresh databases, unused offices, free ports.

They run under deploy/local/services.py's supervisor (loaded by path: it is a stdlib script,
not a package), each in a database of its own created for the run, each in a consumer group
of its own, configured with every office the run will use. Offices are country codes with no
topic on the broker yet: a fresh consumer group reads its topics from the beginning, so an
office used before would replay old events into the new databases and spoil the funnel.
"""

import asyncio
import contextlib
import logging
import os
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import asyncpg
from aiokafka.admin import AIOKafkaAdminClient

from bench.infra import Resources
from reintegration_contracts.countries import COUNTRY_CODES
from reintegration_sdk.testing.infrastructure import free_port, load_services_module
from reintegration_sdk.testing.service import RESERVED_OFFICES, offices_with_topics

log = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parents[1]
SERVICES = ("intake", "training", "committee", "procurement", "monitoring")
READY_TIMEOUT_SECONDS = 120.0
PURGE_HINT = "python3 deploy/local/stack.py down --purge"


class NoFreeOffice(SystemExit):
    pass


async def unused_offices(kafka: str, how_many: int) -> list[str]:
    """Country codes none of whose `reintegration.<cc>.` topics exists on the broker."""
    free = sorted(COUNTRY_CODES - RESERVED_OFFICES - await offices_with_topics(kafka))
    if len(free) < how_many:
        raise NoFreeOffice(
            f"The pipeline bench needs {how_many} country offices with no topic on the broker "
            f"yet, and only {len(free)} of {len(COUNTRY_CODES)} codes are free: earlier runs and "
            f"tests used the others, and their old events would flow into the bench's fresh "
            f"databases. Purge the dev stack and start it again: `{PURGE_HINT}` then `make up` "
            f"(the SDK cases alone need no office: --phase append --phase relay --phase inbox)."
        )
    return random.sample(free, how_many)


class Platform:
    """The five services of one bench run, on the stack `resources` points at."""

    def __init__(self, resources: Resources, offices: Sequence[str]) -> None:
        self.resources = resources
        self.offices = list(offices)
        self.databases: dict[str, str] = {}  # service -> database URL
        self.urls: dict[str, str] = {}
        self.log_dir = Path(tempfile.mkdtemp(prefix=f"bench-pipeline-{resources.run_id}-"))
        self.ready_seconds = 0.0
        self._script = load_services_module(REPO)
        self._supervisor: Any = None

    async def start(self) -> None:
        """Databases, then the processes, then wait until every /ready answers 200."""
        names = {}
        for service in SERVICES:
            self.databases[service] = await self.resources.database(service)
            names[service] = self.databases[service].rsplit("/", 1)[-1]
        stack = self.resources.stack
        specs = self._script.default_specs(
            {
                "KAFKA_BOOTSTRAP_SERVERS": stack.kafka_bootstrap_servers,
                "DATABASE_URL": stack.database_url,
            },
            offices=self.offices,
            ports={service: free_port() for service in SERVICES},
            databases=names,
            consumer_groups={s: f"bench-{self.resources.run_id}-{s}" for s in SERVICES},
        )
        self.urls = {spec.name: spec.url for spec in specs}
        self._supervisor = self._script.Supervisor(specs, self.log_dir, python=sys.executable)
        began = time.perf_counter()
        # The supervisor prints what it does to stdout; the bench's stdout is its tables.
        with contextlib.redirect_stdout(sys.stderr):
            await asyncio.to_thread(self._supervisor.start)
            try:
                await asyncio.to_thread(self._supervisor.wait_ready, READY_TIMEOUT_SECONDS)
            except self._script.ServicesError as error:
                raise RuntimeError(f"the services did not get ready: {error}") from None
        self.ready_seconds = time.perf_counter() - began

    async def stop(self) -> None:
        """Stop the processes (SIGTERM, then SIGKILL after the grace period); idempotent."""
        if self._supervisor is not None:
            with contextlib.redirect_stdout(sys.stderr):
                await asyncio.to_thread(self._supervisor.stop)

    async def delete_office_topics(self) -> None:
        """The run's `reintegration.<cc>.*` topics: the codes are free again for the next run."""
        prefixes = tuple(f"reintegration.{office}." for office in self.offices)
        admin = AIOKafkaAdminClient(bootstrap_servers=self.resources.stack.kafka_bootstrap_servers)
        await admin.start()
        try:
            ours = [t for t in await admin.list_topics() if t.startswith(prefixes)]
            if ours:
                await admin.delete_topics(ours)
        except Exception as error:  # leftovers only use up office codes; say so and go on
            log.warning("could not delete the bench's office topics: %s", error)
        finally:
            await admin.close()

    def memory(self) -> dict[str, dict[str, float | int | None]]:
        """Peak (VmHWM) and current (VmRSS) resident memory of each service, in MiB."""
        restarts = {s["name"]: s["restarts"] for s in self._supervisor.status()}
        found: dict[str, dict[str, float | int | None]] = {}
        for service, pid in self._supervisor.pids().items():
            status = {k: round(v, 1) for k, v in self._script.memory_mib(pid).items()}
            found[service] = {
                "pid": pid,
                "peak_mib": status.get("VmHWM"),
                "rss_mib": status.get("VmRSS"),
                "restarts": restarts.get(service, 0),
            }
        return found

    def cpu_seconds(self) -> dict[str, float]:
        """CPU time (user + system) each service process and this bench process used so far."""
        used = {service: _cpu_seconds(pid) for service, pid in self._supervisor.pids().items()}
        mine = os.times()
        used["bench client"] = mine.user + mine.system
        return used

    async def events_appended(self, office: str) -> dict[str, int]:
        """Rows of each service's event store (its `events` table) for `office`."""
        counts = {}
        for service, url in self.databases.items():
            connection = await asyncpg.connect(url)
            try:
                counts[service] = await connection.fetchval(
                    "SELECT count(*) FROM events WHERE country_office = $1", office
                )
            finally:
                await connection.close()
        return counts

    async def events_settled(
        self, office: str, quiet: float = 1.0, limit: float = 10.0
    ) -> dict[str, int]:
        """The counts once no service has appended for `quiet` seconds (or after `limit`)."""
        deadline = time.monotonic() + limit
        last = await self.events_appended(office)
        while time.monotonic() < deadline:
            await asyncio.sleep(quiet)
            now = await self.events_appended(office)
            if now == last:
                break
            last = now
        return last


def _cpu_seconds(pid: int | None) -> float:
    if pid is None:
        return 0.0
    try:
        # Fields after the command name (which may hold spaces): utime and stime are 12 and 13.
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0
