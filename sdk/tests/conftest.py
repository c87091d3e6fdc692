from collections.abc import AsyncIterator

import asyncpg
import pytest

from reintegration_sdk.database import SDK_MIGRATIONS, apply_migrations, create_pool


@pytest.fixture
async def pool(fresh_database: str) -> AsyncIterator[asyncpg.Pool]:
    """A pool on a fresh database holding the SDK's tables and a test `effects` table."""
    pool = await create_pool(fresh_database)
    await apply_migrations(pool, [("sdk", SDK_MIGRATIONS)])
    await pool.execute("CREATE TABLE effects (event_id uuid NOT NULL, jobs int NOT NULL)")
    yield pool
    await pool.close()
