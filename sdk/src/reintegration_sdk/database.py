"""Connection pools and numbered SQL migrations applied on start."""

import re
from collections.abc import Sequence
from pathlib import Path

import asyncpg

SDK_MIGRATIONS = Path(__file__).parent / "migrations"
_NUMBERED = re.compile(r"^(\d{3,})_[a-z0-9_]+\.sql$")
# A fixed advisory-lock key: two processes of one service starting at once must not run the
# same migration twice.
_MIGRATION_LOCK = 7_310_472_221


async def create_pool(
    dsn: str, min_size: int = 2, max_size: int = 10, connect_timeout: float = 5.0
) -> asyncpg.Pool:
    """A pool of connections to `dsn`; a connection attempt gives up after `connect_timeout`
    (asyncpg's 60 s would hold a request that long while the server is away)."""
    pool = await asyncpg.create_pool(
        dsn, min_size=min_size, max_size=max_size, timeout=connect_timeout
    )
    if pool is None:  # pragma: no cover - asyncpg returns None only when not awaited
        raise RuntimeError("pool creation failed")
    return pool


def migration_files(folder: Path) -> list[tuple[int, Path]]:
    files = []
    for path in sorted(folder.glob("*.sql")):
        match = _NUMBERED.match(path.name)
        if match is None:
            raise ValueError(f"{path.name}: migrations are named NNN_description.sql")
        files.append((int(match.group(1)), path))
    numbers = [n for n, _ in files]
    if len(numbers) != len(set(numbers)):
        raise ValueError(f"{folder}: two migrations share a number")
    return files


async def apply_migrations(pool: asyncpg.Pool, folders: Sequence[tuple[str, Path]]) -> list[str]:
    """Apply each folder's numbered migrations once, in order; returns what was applied.

    `folders` pairs a source name ("sdk", "intake", ...) with its folder, so the SDK's tables
    and a service's own tables are numbered independently.
    """
    applied: list[str] = []
    async with pool.acquire() as connection, connection.transaction():
        await connection.execute("SELECT pg_advisory_xact_lock($1)", _MIGRATION_LOCK)
        await connection.execute(
            """CREATE TABLE IF NOT EXISTS schema_migrations (
                   source text NOT NULL, version int NOT NULL,
                   applied_at timestamptz NOT NULL DEFAULT now(),
                   PRIMARY KEY (source, version))"""
        )
        for source, folder in folders:
            done = {
                row["version"]
                for row in await connection.fetch(
                    "SELECT version FROM schema_migrations WHERE source = $1", source
                )
            }
            for number, path in migration_files(folder):
                if number in done:
                    continue
                await connection.execute(path.read_text())
                await connection.execute(
                    "INSERT INTO schema_migrations (source, version) VALUES ($1, $2)",
                    source,
                    number,
                )
                applied.append(f"{source}/{path.name}")
    return applied
