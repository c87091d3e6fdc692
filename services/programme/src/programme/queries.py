"""The configuration an office manager reads back."""

import json
from datetime import date

import asyncpg
from pydantic import Field

from programme.domain import Settings
from reintegration_sdk import NotFound


class Configuration(Settings):
    version: int = Field(description="1 for the office's first configuration, then +1")
    configured_on: date


async def configuration(db: asyncpg.Connection, office: str) -> Configuration:
    row = await db.fetchrow(
        """SELECT version, configured_on, configuration FROM programme_configurations
           WHERE country_office = $1""",
        office,
    )
    if row is None:
        raise NotFound("configuration")
    return Configuration(
        version=row["version"],
        configured_on=row["configured_on"],
        **json.loads(row["configuration"]),
    )
