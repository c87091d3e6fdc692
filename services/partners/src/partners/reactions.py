"""What the partners service reads from the platform's topics, through the inbox (once each):
consent as intake records it, erasure, and every event about one returnee an agreement may
share. Each event updates the held facts, then releases to each partner's feed what consent
and agreements now allow (feedstore.release), so the feeds are a function of the set of
events, whatever order the topics interleave in."""

import json

import asyncpg

from partners import feedstore
from partners.domain.feeds import Observed, loses_consent
from partners.domain.registry import SUBJECT_FIELD, shareable_event_types
from reintegration_contracts import EventPayload
from reintegration_contracts.events.intake import ConsentRecorded, ConsentWithdrawn, ReturneeErased
from reintegration_contracts.registry import current_model
from reintegration_sdk import EventHandlers, EventMeta

reactions = EventHandlers(
    "partners-reactions", tables=["consents", "observed_events", "erased_returnees"]
)


@reactions.on(ConsentRecorded)
async def on_consent_recorded(
    db: asyncpg.Connection, event: ConsentRecorded, meta: EventMeta
) -> None:
    await db.execute(
        """INSERT INTO consents (returnee_id, purpose, partner_category, country_office, given_on)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (returnee_id, purpose, partner_category)
           DO UPDATE SET given_on = GREATEST(consents.given_on, EXCLUDED.given_on)""",
        event.returnee_id,
        event.purpose.value,
        event.partner_category.value,
        meta.country_office,
        event.given_on,
    )
    held = await feedstore.observed_about(db, event.returnee_id)
    await feedstore.release(db, held, await feedstore.all_terms(db))


@reactions.on(ConsentWithdrawn)
async def on_consent_withdrawn(
    db: asyncpg.Connection, event: ConsentWithdrawn, meta: EventMeta
) -> None:
    await db.execute(
        """INSERT INTO consents (returnee_id, purpose, partner_category, country_office,
               withdrawn_on)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (returnee_id, purpose, partner_category)
           DO UPDATE SET withdrawn_on = GREATEST(consents.withdrawn_on, EXCLUDED.withdrawn_on)""",
        event.returnee_id,
        event.purpose.value,
        event.partner_category.value,
        meta.country_office,
        event.withdrawn_on,
    )
    told = await _partners_holding(db, event)
    for terms in await feedstore.all_terms(db):
        if terms.partner_id in told and loses_consent(terms, event.purpose, event.partner_category):
            told.discard(terms.partner_id)  # one notice per partner
            await feedstore.append(
                db, terms.partner_id, "consent_withdrawn", "ConsentWithdrawn", meta.event_id,
                None, meta.country_office, event.returnee_id, meta.time,
                {"purpose": event.purpose.value, "withdrawn_on": event.withdrawn_on.isoformat()},
            )  # fmt: skip


async def _partners_holding(db: asyncpg.Connection, event: EventPayload) -> set[str]:
    rows = await db.fetch(
        "SELECT DISTINCT partner_id FROM feed_entries WHERE returnee_id = $1 AND kind = 'event'",
        getattr(event, SUBJECT_FIELD),
    )
    return {row["partner_id"] for row in rows}


@reactions.on(ReturneeErased)
async def on_returnee_erased(
    db: asyncpg.Connection, event: ReturneeErased, meta: EventMeta
) -> None:
    await db.execute(
        """INSERT INTO erased_returnees (returnee_id, erased_on) VALUES ($1, $2)
           ON CONFLICT (returnee_id) DO NOTHING""",
        event.returnee_id,
        event.erased_on,
    )
    await db.execute("DELETE FROM observed_events WHERE returnee_id = $1", event.returnee_id)
    told = await _partners_holding(db, event)
    # The partner's stored copies go (their webhook bytes and attempts with them); what is
    # left is a notice asking the partner to purge its own.
    await db.execute(
        "DELETE FROM feed_entries WHERE returnee_id = $1 AND kind <> 'returnee_erased'",
        event.returnee_id,
    )
    for partner_id in sorted(told):
        await feedstore.append(
            db, partner_id, "returnee_erased", "ReturneeErased", meta.event_id, None,
            meta.country_office, event.returnee_id, meta.time,
            {"erased_on": event.erased_on.isoformat()},
        )  # fmt: skip


async def on_event_about_a_returnee(
    db: asyncpg.Connection, event: EventPayload, meta: EventMeta
) -> None:
    returnee_id = getattr(event, SUBJECT_FIELD)
    if await feedstore.is_erased(db, returnee_id):
        return
    data = event.model_dump(mode="json", exclude={SUBJECT_FIELD})
    observed = Observed(
        meta.event_id, event.event_name, meta.country_office, returnee_id, meta.time, data
    )
    inserted = await db.fetchval(
        """INSERT INTO observed_events (event_id, event_type, country_office, returnee_id,
               occurred_at, data)
           VALUES ($1, $2, $3, $4, $5, $6::jsonb) ON CONFLICT (event_id) DO NOTHING RETURNING 1""",
        meta.event_id,
        event.event_name,
        meta.country_office,
        returnee_id,
        meta.time,
        json.dumps(data),
    )
    if inserted:
        await feedstore.release(db, [observed], await feedstore.all_terms(db))


for _event_type in sorted(shareable_event_types()):
    reactions.on(current_model(_event_type))(on_event_about_a_returnee)
