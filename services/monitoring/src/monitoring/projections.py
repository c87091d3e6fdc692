"""Monitoring's read models, folded from every domain's events (its own included).

The same handlers run in a command's transaction (own events, so the API reads its writes),
through the inbox for what arrives on Kafka, and in a rebuild; the fold is idempotent, so an
event seen twice changes nothing.
"""

import asyncpg

from monitoring import files
from monitoring.casefile import FOLDED, apply, plan_id_of, returnee_ids_of
from monitoring.timeline import TIMELINE_EVENTS, entries_for
from reintegration_contracts import EventPayload
from reintegration_sdk import EventHandlers, EventMeta, EventStore

READ_MODEL_TABLES = (
    "case_files",
    "plan_files",
    "timeline_entries",
    "case_stages",
    "plan_stages",
    "open_visits",
    "case_completions",
)


async def on_case_event(db: asyncpg.Connection, event: EventPayload, meta: EventMeta) -> None:
    model = await files.lock_slice(
        db, meta.country_office, plan_id_of(event), returnee_ids_of(event)
    )
    apply(model, event, meta)
    await files.save(db, model)


async def on_timeline_event(db: asyncpg.Connection, event: EventPayload, meta: EventMeta) -> None:
    await db.executemany(
        """INSERT INTO timeline_entries (event_id, subject_id, country_office, occurred_on,
               recorded_at, domain, event_name, summary)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING""",
        [
            (
                e.event_id,
                e.subject_id,
                e.country_office,
                e.occurred_on,
                e.recorded_at,
                e.domain,
                e.event_name,
                e.summary,
            )
            for e in entries_for(event, meta)
        ],
    )


def read_models(name: str, tables: tuple[str, ...] = READ_MODEL_TABLES) -> EventHandlers:
    """A handler table folding every event monitoring reads into its read models."""
    handlers = EventHandlers(name, tables=tables)
    for payload_type in FOLDED:
        handlers.on(payload_type)(on_case_event)
    for payload_type in TIMELINE_EVENTS:
        handlers.on(payload_type)(on_timeline_event)
    return handlers


# The reactions own the tables: a rebuild replays every topic, this service's own included, from
# Kafka. Replaying only the event store over truncated tables would lose the upstream facts.
# Here they run in each command's transaction, so the API reads its writes.
projections = read_models("monitoring-projections", tables=())

store = EventStore(projections=[projections])
