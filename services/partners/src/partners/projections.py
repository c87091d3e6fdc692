"""The registry's read models, written in the transaction of each command. Signing an
agreement also releases what it covers of the events already held."""

import json

import asyncpg

from partners import feedstore
from reintegration_contracts.events.partners import (
    AgreementRevoked,
    AgreementSigned,
    PartnerRegistered,
)
from reintegration_sdk import EventHandlers, EventMeta, EventStore

read_models = EventHandlers("partners-read-models", tables=["partners", "agreements"])


@read_models.on(PartnerRegistered)
async def on_partner_registered(
    db: asyncpg.Connection, event: PartnerRegistered, meta: EventMeta
) -> None:
    await db.execute(
        """INSERT INTO partners (partner_id, home_office, kind, category, offices, registered_on)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (partner_id) DO NOTHING""",
        event.partner_id,
        meta.country_office,
        event.kind.value,
        event.category.value,
        event.offices,
        event.registered_on,
    )


@read_models.on(AgreementSigned)
async def on_agreement_signed(
    db: asyncpg.Connection, event: AgreementSigned, meta: EventMeta
) -> None:
    shares = {share.event_type: share.fields for share in event.shares}
    inserted = await db.fetchval(
        """INSERT INTO agreements (agreement_id, partner_id, country_office, offices, purposes,
               shares, starts_on, ends_on, signed_on)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           ON CONFLICT (agreement_id) DO NOTHING RETURNING 1""",
        event.agreement_id,
        event.partner_id,
        meta.country_office,
        event.offices,
        [purpose.value for purpose in event.purposes],
        json.dumps(shares),
        event.starts_on,
        event.ends_on,
        event.signed_on,
    )
    if inserted:
        [terms] = [
            t for t in await feedstore.all_terms(db, event.partner_id)
            if t.agreement_id == event.agreement_id
        ]  # fmt: skip
        await feedstore.release(db, await feedstore.observed_for(db, terms), [terms])


@read_models.on(AgreementRevoked)
async def on_agreement_revoked(
    db: asyncpg.Connection, event: AgreementRevoked, meta: EventMeta
) -> None:
    await db.execute(
        """UPDATE agreements SET revoked_on = $2, revocation_reason = $3
           WHERE agreement_id = $1 AND revoked_on IS NULL""",
        event.agreement_id,
        event.revoked_on,
        event.reason.value,
    )


store = EventStore(projections=[read_models])
