"""What a running service holds: its settings, database pool and event store."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from uuid import uuid4

import asyncpg

from reintegration_sdk.auth import Principal
from reintegration_sdk.eventstore import EventContext, EventStore
from reintegration_sdk.settings import ServiceSettings


@dataclass
class Runtime:
    """Handed to routes through `http.RuntimeDep`."""

    service: str
    settings: ServiceSettings
    pool: asyncpg.Pool
    store: EventStore

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[asyncpg.Connection]:
        """One connection in one transaction: committed on success, rolled back on error."""
        async with self.pool.acquire() as connection, connection.transaction():
            yield connection

    def context(
        self, principal: Principal, country_office: str, correlation_id: str | None = None
    ) -> EventContext:
        """The envelope facts of events caused by `principal` in `country_office`."""
        return EventContext(
            country_office=country_office,
            actor=principal.subject,
            correlation_id=correlation_id or str(uuid4()),
        )
