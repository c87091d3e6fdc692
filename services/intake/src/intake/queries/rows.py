"""What every read shares: the connection it reads through, and JSON columns as Python."""

import json
from typing import Any, TypeAlias

import asyncpg

Db: TypeAlias = asyncpg.Pool | asyncpg.Connection


def json_value(value: Any) -> Any:
    """A JSON column as Python: asyncpg hands jsonb over as text unless told otherwise."""
    return json.loads(value) if isinstance(value, str) else value
