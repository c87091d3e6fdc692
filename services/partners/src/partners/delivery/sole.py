"""One deliverer per database: a second process of the service waits on standby.

Two processes sending the same feed would each send every delivery: the receiver would see
each `webhook-id` twice and Kafka each entry twice. A session advisory lock held on a
connection of its own makes the second wait; a killed process's lock goes with its connection.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator

import asyncpg


@contextlib.asynccontextmanager
async def sole(dsn: str, key: int, stop: asyncio.Event, poll: float) -> AsyncIterator[bool]:
    """Yields True once this process holds `key`, False if `stop` came first. The lock's
    connection is its own, outside the service's pool."""
    while not stop.is_set():
        try:
            connection = await asyncpg.connect(dsn, timeout=5)
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError):
            await _wait(stop, poll)
            continue
        try:
            if await connection.fetchval("SELECT pg_try_advisory_lock($1)", key):
                try:
                    yield True
                finally:
                    with contextlib.suppress(Exception):
                        await connection.execute("SELECT pg_advisory_unlock($1)", key)
                return
        finally:
            with contextlib.suppress(Exception):
                await connection.close()
        await _wait(stop, poll)
    yield False


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
