"""pytest fixtures: a session's real broker and server, and a fresh database per test."""

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Iterator

import asyncpg
import pytest

from reintegration_sdk.testing.infrastructure import Infrastructure, provide


@pytest.fixture(scope="session")
def infrastructure() -> Iterator[Infrastructure]:
    """The real Kafka and PostgreSQL this test session runs against."""
    with provide() as infrastructure:
        yield infrastructure


def database_url_for(server_url: str, database: str) -> str:
    return (
        server_url.rstrip("/").rsplit("/", 1)[0] + "/" + database
        if _has_path(server_url)
        else server_url.rstrip("/") + "/" + database
    )


def _has_path(url: str) -> bool:
    after_scheme = url.split("://", 1)[-1]
    return "/" in after_scheme


@contextlib.asynccontextmanager
async def temporary_database(
    infrastructure: Infrastructure, prefix: str = "test"
) -> AsyncIterator[str]:
    """URL of a brand-new empty database, dropped (connections forced off) on exit."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = database_url_for(infrastructure.database_url, "postgres")
    connection = await asyncpg.connect(admin)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    yield database_url_for(infrastructure.database_url, name)
    connection = await asyncpg.connect(admin)
    try:
        await asyncio.wait_for(
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'), timeout=30
        )
    finally:
        await connection.close()


@pytest.fixture
async def fresh_database(infrastructure: Infrastructure) -> AsyncIterator[str]:
    """URL of a brand-new empty database, dropped after the test."""
    async with temporary_database(infrastructure) as url:
        yield url
