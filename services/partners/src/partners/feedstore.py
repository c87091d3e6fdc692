"""The feeds in the database: agreements and consents as the rules need them, and the
append-only feed of each partner.

Every writer of `feed_entries` takes one transaction-scoped advisory lock first, so sequence
numbers are handed out in commit order: a reader asking for "after seq N" (the pull feed, the
Kafka publisher, the webhook fan-out) can never skip an entry whose transaction committed late
(the relay's pitfall, DESIGN.md "Known pitfalls", avoided here by serialising the few writers).
"""

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any
from uuid import UUID, uuid5

import asyncpg

from partners.domain.feeds import Consent, Observed, Terms, pseudonym, pseudonym_key, shared_data
from partners.settings import PartnersSettings
from reintegration_contracts.events.intake import ConsentPurpose, PartnerCategory

_ENTRY_NAMESPACE = UUID("6f0b6f5e-9a55-4c8e-a5a3-2b1f3c1d7e21")
_FEED_LOCK = 0x7061727472  # "partr": one lock for every feed writer


@lru_cache(maxsize=1)
def settings() -> PartnersSettings:
    return PartnersSettings()


@lru_cache(maxsize=256)
def _key(partner_id: str) -> bytes:
    return pseudonym_key(settings().pseudonym_secret, partner_id)


def subject_for(partner_id: str, returnee_id: UUID) -> str:
    return pseudonym(_key(partner_id), returnee_id)


def _terms(row: asyncpg.Record) -> Terms:
    shares: dict[str, list[str]] = json.loads(row["shares"])
    return Terms(
        agreement_id=row["agreement_id"],
        partner_id=row["partner_id"],
        category=PartnerCategory(row["category"]),
        offices=frozenset(row["offices"]),
        purposes=frozenset(ConsentPurpose(p) for p in row["purposes"]),
        fields={event_type: tuple(fields) for event_type, fields in shares.items()},
        starts_on=row["starts_on"],
        ends_on=row["ends_on"],
        revoked=row["revoked_on"] is not None,
    )


async def all_terms(db: asyncpg.Connection, partner_id: str | None = None) -> list[Terms]:
    rows = await db.fetch(
        """SELECT a.*, p.category FROM agreements a JOIN partners p USING (partner_id)
           WHERE $1::text IS NULL OR a.partner_id = $1""",
        partner_id,
    )
    return [_terms(row) for row in rows]


async def consents_of(db: asyncpg.Connection, returnee_id: UUID) -> list[Consent]:
    rows = await db.fetch(
        "SELECT * FROM consents WHERE returnee_id = $1 AND given_on IS NOT NULL", returnee_id
    )
    return [
        Consent(
            ConsentPurpose(r["purpose"]),
            PartnerCategory(r["partner_category"]),
            r["given_on"],
            r["withdrawn_on"],
        )
        for r in rows
    ]


async def is_erased(db: asyncpg.Connection, returnee_id: UUID) -> bool:
    return bool(
        await db.fetchval("SELECT 1 FROM erased_returnees WHERE returnee_id = $1", returnee_id)
    )


def _observed(row: asyncpg.Record) -> Observed:
    return Observed(
        row["event_id"],
        row["event_type"],
        row["country_office"],
        row["returnee_id"],
        row["occurred_at"],
        json.loads(row["data"]),
    )


async def observed_about(db: asyncpg.Connection, returnee_id: UUID) -> list[Observed]:
    rows = await db.fetch(
        "SELECT * FROM observed_events WHERE returnee_id = $1 ORDER BY occurred_at, event_id",
        returnee_id,
    )
    return [_observed(row) for row in rows]


async def observed_for(db: asyncpg.Connection, terms: Terms) -> list[Observed]:
    rows = await db.fetch(
        """SELECT * FROM observed_events
           WHERE event_type = ANY($1::text[]) AND country_office = ANY($2::text[])
             AND occurred_at >= $3::date AND occurred_at < ($4::date + 1)
           ORDER BY occurred_at, event_id""",
        list(terms.fields),
        list(terms.offices),
        terms.starts_on,
        terms.ends_on,
    )
    return [_observed(row) for row in rows]


async def _lock(db: asyncpg.Connection) -> None:
    await db.execute("SELECT pg_advisory_xact_lock($1)", _FEED_LOCK)


async def append(
    db: asyncpg.Connection,
    partner_id: str,
    kind: str,
    event_type: str,
    source_event_id: UUID,
    agreement_id: UUID | None,
    country_office: str,
    returnee_id: UUID,
    occurred_at: datetime,
    data: dict[str, Any],
) -> None:
    """Append one entry to a partner's feed; the same source and kind again changes nothing."""
    await _lock(db)
    await db.execute(
        """INSERT INTO feed_entries (entry_id, partner_id, kind, event_type, source_event_id,
               agreement_id, country_office, returnee_id, subject, occurred_at, data)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
           ON CONFLICT (partner_id, source_event_id, kind) DO NOTHING""",
        uuid5(_ENTRY_NAMESPACE, f"{partner_id}:{source_event_id}:{kind}"),
        partner_id,
        kind,
        event_type,
        source_event_id,
        agreement_id,
        country_office,
        returnee_id,
        subject_for(partner_id, returnee_id),
        occurred_at,
        json.dumps(data),
    )


async def release(
    db: asyncpg.Connection, events: Sequence[Observed], terms: Iterable[Terms]
) -> None:
    """Append to each partner's feed what its agreements share of `events`."""
    terms = list(terms)
    by_returnee: dict[UUID, list[Consent]] = {}
    for event in events:
        if event.returnee_id not in by_returnee:
            by_returnee[event.returnee_id] = await consents_of(db, event.returnee_id)
        erased = await is_erased(db, event.returnee_id)
        for agreement in terms:
            data = shared_data(agreement, by_returnee[event.returnee_id], event, erased)
            if data is None:
                continue
            await append(
                db, agreement.partner_id, "event", event.event_type, event.event_id,
                agreement.agreement_id, event.country_office, event.returnee_id,
                event.occurred_at, data,
            )  # fmt: skip
