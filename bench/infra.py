"""The bench's own databases and topics on the stack's server and broker, removed at the end."""

import asyncio
import contextlib
import logging
import os
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import asyncpg
from aiokafka.admin import AIOKafkaAdminClient

from reintegration_sdk.kafka import ensure_topics

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Stack:
    """Addresses of the PostgreSQL server (any database on it) and the Kafka broker."""

    database_url: str
    kafka_bootstrap_servers: str

    @classmethod
    def from_environment(cls) -> "Stack":
        database = os.environ.get("DATABASE_URL")
        kafka = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
        if not database or not kafka:
            raise SystemExit(
                "DATABASE_URL and KAFKA_BOOTSTRAP_SERVERS must be set "
                "(`make bench` loads them from .env; or `set -a; source .env; set +a`)"
            )
        return cls(database, kafka)

    def url_of(self, database: str) -> str:
        """The server URL pointing at `database` instead."""
        parts = urlsplit(self.database_url)
        return urlunsplit(parts._replace(path="/" + database))


class Resources:
    """Databases `bench_<run>_<purpose>` and topics `bench.<run>.<purpose>` of one run."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.run_id = secrets.token_hex(4)
        self._databases: list[str] = []
        self._topics: list[str] = []

    async def database(self, purpose: str) -> str:
        """Create a fresh empty database; returns its URL."""
        name = f"bench_{self.run_id}_{purpose}"
        connection = await asyncpg.connect(self.stack.url_of("postgres"))
        try:
            await connection.execute(f'CREATE DATABASE "{name}"')
        finally:
            await connection.close()
        self._databases.append(name)
        return self.stack.url_of(name)

    async def topic(self, purpose: str, partitions: int = 3) -> str:
        """Create a fresh topic; returns its name."""
        name = f"bench.{self.run_id}.{purpose}"
        await ensure_topics(self.stack.kafka_bootstrap_servers, [name], partitions)
        self._topics.append(name)
        await self._until_known(name, partitions)
        return name

    async def _until_known(self, topic: str, partitions: int) -> None:
        """Wait until the broker's metadata lists the new topic with all its partitions."""
        admin = AIOKafkaAdminClient(bootstrap_servers=self.stack.kafka_bootstrap_servers)
        await admin.start()
        try:
            for _ in range(100):
                [described] = await admin.describe_topics([topic])
                if described["error_code"] == 0 and len(described["partitions"]) == partitions:
                    return
                await asyncio.sleep(0.1)
            raise RuntimeError(f"topic {topic} did not appear in the broker's metadata")
        finally:
            await admin.close()

    async def checkpoint(self) -> None:
        """Flush dirty pages so one measurement does not pay for the previous one's writes."""
        with contextlib.suppress(asyncpg.PostgresError):
            connection = await asyncpg.connect(self.stack.url_of("postgres"))
            try:
                await connection.execute("CHECKPOINT")
            finally:
                await connection.close()

    async def close(self) -> None:
        """Drop every database and delete every topic this run created."""
        if self._databases:
            connection = await asyncpg.connect(self.stack.url_of("postgres"))
            try:
                for name in self._databases:
                    await asyncio.wait_for(
                        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'),
                        timeout=60,
                    )
            finally:
                await connection.close()
        if self._topics:
            admin = AIOKafkaAdminClient(bootstrap_servers=self.stack.kafka_bootstrap_servers)
            await admin.start()
            try:
                await admin.delete_topics(self._topics)
            except Exception as error:  # leftovers are harmless; say so and go on
                log.warning("could not delete bench topics %s: %s", self._topics, error)
            finally:
                await admin.close()
