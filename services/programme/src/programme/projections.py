"""The configuration in force per office, written in the transaction that appends it."""

import asyncpg

from reintegration_contracts.events.programme import ProgrammeConfigured
from reintegration_sdk import EventHandlers, EventMeta

read_models = EventHandlers("programme-read-models", tables=["programme_configurations"])


@read_models.on(ProgrammeConfigured)
async def on_programme_configured(
    db: asyncpg.Connection, event: ProgrammeConfigured, meta: EventMeta
) -> None:
    # A snapshot: the highest version is the whole truth, an older one changes nothing.
    await db.execute(
        """INSERT INTO programme_configurations
               (country_office, version, configured_on, configuration)
           VALUES ($1, $2, $3, $4::jsonb)
           ON CONFLICT (country_office) DO UPDATE
           SET version = excluded.version, configured_on = excluded.configured_on,
               configuration = excluded.configuration
           WHERE programme_configurations.version < excluded.version""",
        meta.country_office,
        event.version,
        event.configured_on,
        event.model_dump_json(exclude={"version", "configured_on"}),
    )
