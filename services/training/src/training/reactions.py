"""What training learns from other services: from intake, who the office registered and who
attended job counselling or an interview; from programme, the office's rules."""

import asyncpg

from reintegration_contracts.events.intake import (
    CounsellingAttended,
    CounsellingInterviewRecorded,
    ReturneeRegistered,
)
from reintegration_contracts.events.programme import ProgrammeConfigured
from reintegration_sdk import EventHandlers, EventMeta

reactions = EventHandlers(
    "training",
    tables=[
        "counselled_returnees",
        "registered_returnees",
        "interviewed_returnees",
        "programme_configurations",
    ],
)


@reactions.on(CounsellingAttended)
async def on_counselling_attended(
    db: asyncpg.Connection, event: CounsellingAttended, meta: EventMeta
) -> None:
    # A returnee attends several sessions; the first one opens the door to training.
    await db.execute(
        """INSERT INTO counselled_returnees (country_office, returnee_id, first_attended_on)
           VALUES ($1, $2, $3)
           ON CONFLICT (country_office, returnee_id) DO UPDATE
           SET first_attended_on = least(counselled_returnees.first_attended_on,
                                         excluded.first_attended_on)""",
        meta.country_office,
        event.returnee_id,
        event.attended_on,
    )


@reactions.on(ReturneeRegistered)
async def on_returnee_registered(
    db: asyncpg.Connection, event: ReturneeRegistered, meta: EventMeta
) -> None:
    await db.execute(
        """INSERT INTO registered_returnees (country_office, returnee_id, sex, arrival_date)
           VALUES ($1, $2, $3, $4) ON CONFLICT (country_office, returnee_id) DO NOTHING""",
        meta.country_office,
        event.returnee_id,
        event.sex.value,
        event.arrival_date,
    )


@reactions.on(CounsellingInterviewRecorded)
async def on_counselling_interview_recorded(
    db: asyncpg.Connection, event: CounsellingInterviewRecorded, meta: EventMeta
) -> None:
    await db.execute(
        """INSERT INTO interviewed_returnees (country_office, returnee_id, first_interviewed_on)
           VALUES ($1, $2, $3)
           ON CONFLICT (country_office, returnee_id) DO UPDATE
           SET first_interviewed_on = least(interviewed_returnees.first_interviewed_on,
                                            excluded.first_interviewed_on)""",
        meta.country_office,
        event.returnee_id,
        event.interviewed_on,
    )


@reactions.on(ProgrammeConfigured)
async def on_programme_configured(
    db: asyncpg.Connection, event: ProgrammeConfigured, meta: EventMeta
) -> None:
    # Each version is the whole programme: the highest one is in force.
    await db.execute(
        """INSERT INTO programme_configurations (country_office, version, configuration)
           VALUES ($1, $2, $3::jsonb)
           ON CONFLICT (country_office) DO UPDATE
           SET version = excluded.version, configuration = excluded.configuration
           WHERE programme_configurations.version < excluded.version""",
        meta.country_office,
        event.version,
        event.model_dump_json(),
    )
