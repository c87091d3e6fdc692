"""The repository's five services as processes for a test, each on a fresh database.

The processes run under deploy/local/services.py's supervisor, the one `make demo` uses; each
service gets a database of its own (dropped afterwards) and a consumer group of its own.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any
from uuid import uuid4

from reintegration_sdk.testing.infrastructure import (
    Infrastructure,
    free_port,
    load_services_module,
)
from reintegration_sdk.testing.plugin import temporary_database


class LocalPlatform:
    """Specs, databases and the supervisor of one test's five services."""

    def __init__(
        self,
        infrastructure: Infrastructure,
        offices: Sequence[str],
        databases: dict[str, str],
        log_dir: Path,
        prefix: str,
    ) -> None:
        self.module = load_services_module()
        self.offices = list(offices)
        self.databases = databases  # service -> database name
        self.log_dir = log_dir
        self.stack_env = {
            "KAFKA_BOOTSTRAP_SERVERS": infrastructure.kafka_bootstrap_servers,
            "DATABASE_URL": infrastructure.database_url,
        }
        run = uuid4().hex[:8]
        self.specs: list[Any] = self.module.default_specs(
            self.stack_env,
            offices=self.offices,
            ports={name: free_port() for name in self.module.SERVICES},
            databases=databases,
            consumer_groups={name: f"{prefix}-{name}-{run}" for name in self.module.SERVICES},
        )
        self.supervisor: Any = None

    @property
    def urls(self) -> dict[str, str]:
        return {spec.name: spec.url for spec in self.specs}

    async def start(self, ready_timeout: float = 90) -> None:
        """Start the processes (a new supervisor each time) and wait until all are ready."""
        self.supervisor = self.module.Supervisor(self.specs, self.log_dir)
        await asyncio.to_thread(self.supervisor.start)
        await asyncio.to_thread(self.supervisor.wait_ready, ready_timeout)

    async def stop(self) -> None:
        if self.supervisor is not None:
            await asyncio.to_thread(self.supervisor.stop)
            self.supervisor = None

    def service_env(self, service: str) -> dict[str, str]:
        """What an operator's command for this service needs (its database, the offices)."""
        return {
            **self.stack_env,
            "SERVICE_DATABASE": self.databases[service],
            "COUNTRY_OFFICES": ",".join(self.offices),
        }


@contextlib.asynccontextmanager
async def local_platform(
    infrastructure: Infrastructure,
    offices: Sequence[str],
    log_dir: Path,
    prefix: str = "test",
    ready_timeout: float = 90,
) -> AsyncIterator[LocalPlatform]:
    """The five services, stopped before their databases are dropped, even on failure."""
    names = load_services_module().SERVICES
    async with contextlib.AsyncExitStack() as cleanup:
        databases = {}
        for name in names:
            url = await cleanup.enter_async_context(
                temporary_database(infrastructure, prefix=f"{prefix}_{name}")
            )
            databases[name] = url.rsplit("/", 1)[-1]
        platform = LocalPlatform(infrastructure, offices, databases, log_dir, prefix)
        cleanup.push_async_callback(platform.stop)
        await platform.start(ready_timeout)
        yield platform
