"""What the committee learns from other services' events: a read model, applied once each
through the inbox and rebuilt from Kafka; and erasure, which deletes the words it keeps."""

import asyncpg

from committee.domain import completes_entrepreneurship
from committee.words import erase_returnee_words
from reintegration_contracts.events.intake import ReturneeErased
from reintegration_contracts.events.programme import ProgrammeConfigured
from reintegration_contracts.events.training import TrainingCompleted
from reintegration_sdk import EventHandlers, EventMeta

reactions = EventHandlers("committee", tables=["entrepreneurship_graduates", "plan_rules"])


@reactions.on(TrainingCompleted)
async def on_training_completed(
    db: asyncpg.Connection, event: TrainingCompleted, meta: EventMeta
) -> None:
    if not completes_entrepreneurship(event):
        return
    # A returnee who passed twice keeps the earliest completion, whichever arrives first.
    await db.execute(
        """INSERT INTO entrepreneurship_graduates AS g (country_office, returnee_id, cohort_id,
               completed_on)
           VALUES ($1, $2, $3, $4)
           ON CONFLICT (country_office, returnee_id) DO UPDATE
           SET cohort_id = excluded.cohort_id, completed_on = excluded.completed_on
           WHERE (excluded.completed_on, excluded.cohort_id) < (g.completed_on, g.cohort_id)""",
        meta.country_office,
        event.returnee_id,
        event.cohort_id,
        event.completed_on,
    )


@reactions.on(ReturneeErased)
async def on_returnee_erased(
    db: asyncpg.Connection, event: ReturneeErased, meta: EventMeta
) -> None:
    # The words of every plan naming them (activity, items and specifications in words, the
    # committee's notes) go; the plans' streams, codes and categories stay, naming no one.
    await erase_returnee_words(db, meta.country_office, event.returnee_id)


@reactions.on(ProgrammeConfigured)
async def on_programme_configured(
    db: asyncpg.Connection, event: ProgrammeConfigured, meta: EventMeta
) -> None:
    # Each version is the whole programme: the highest one is in force.
    await db.execute(
        """INSERT INTO plan_rules AS r (country_office, version, entrepreneurship_before_plan)
           VALUES ($1, $2, $3)
           ON CONFLICT (country_office) DO UPDATE
           SET version = excluded.version,
               entrepreneurship_before_plan = excluded.entrepreneurship_before_plan
           WHERE r.version < excluded.version""",
        meta.country_office,
        event.version,
        event.entrepreneurship_before_plan,
    )
