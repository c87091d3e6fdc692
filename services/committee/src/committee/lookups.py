"""What a command needs to know from outside its own stream, read inside its transaction."""

from collections.abc import Sequence
from uuid import UUID

import asyncpg

from committee.store import session_stream, store
from reintegration_contracts.events.committee import CommitteeSessionHeld


async def trained_among(
    db: asyncpg.Connection, country_office: str, returnee_ids: Sequence[UUID]
) -> frozenset[UUID]:
    """Those who passed the entrepreneurship training in this office."""
    rows = await db.fetch(
        """SELECT returnee_id FROM entrepreneurship_graduates
           WHERE country_office = $1 AND returnee_id = ANY($2::uuid[])""",
        country_office,
        list(returnee_ids),
    )
    return frozenset(row["returnee_id"] for row in rows)


async def in_open_plans_among(
    db: asyncpg.Connection, country_office: str, returnee_ids: Sequence[UUID]
) -> frozenset[UUID]:
    """Those already in a pending or approved plan."""
    rows = await db.fetch(
        """SELECT returnee_id FROM plan_beneficiaries
           WHERE country_office = $1 AND active AND returnee_id = ANY($2::uuid[])""",
        country_office,
        list(returnee_ids),
    )
    return frozenset(row["returnee_id"] for row in rows)


async def session_held_in(
    db: asyncpg.Connection, country_office: str, session_id: UUID
) -> CommitteeSessionHeld | None:
    """The session, if one with this id was held in this office."""
    for event in await store.load(db, session_stream(session_id)):
        payload = event.payload()
        if event.country_office == country_office and isinstance(payload, CommitteeSessionHeld):
            return payload
    return None
