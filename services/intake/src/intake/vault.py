"""The personal-data vault: intake's table of who a pseudonymous returnee id is.

Written in the command's transaction, next to the events, so a registration never exists
without its person or the other way round. Erasure deletes the row; nothing else keeps it.
"""

from dataclasses import dataclass
from datetime import date
from uuid import UUID

import asyncpg

from intake.domain import IdentityDocument, KnownPerson, PersonalData, document_key, phone_tail


@dataclass(frozen=True)
class InterviewNote:
    interviewed_on: date
    note: str


async def lock_office_registrations(db: asyncpg.Connection, country_office: str) -> None:
    """Two caseworkers registering the same person at once must not both miss the other:
    registrations of one office take turns until their transaction ends."""
    await db.execute(
        "SELECT pg_advisory_xact_lock(hashtext('intake.registration.' || $1))", country_office
    )


async def people_alike(
    db: asyncpg.Connection, country_office: str, person: PersonalData
) -> tuple[KnownPerson, ...]:
    """People of the office sharing a birth date, a phone line or a document number."""
    document = person.identity_document
    rows = await db.fetch(
        """SELECT returnee_id, given_names, family_name, birth_date, phone, document_number
           FROM vault
           WHERE country_office = $1
             AND (birth_date = $2 OR phone_tail = $3 OR document_key = $4)""",
        country_office,
        person.birth_date,
        phone_tail(person.phone) if person.phone else None,
        document_key(document.number) if document else None,
    )
    return tuple(KnownPerson(**dict(row)) for row in rows)


async def keep(
    db: asyncpg.Connection,
    country_office: str,
    returnee_id: UUID,
    person: PersonalData,
    override_note: str | None = None,
) -> None:
    document = person.identity_document
    await db.execute(
        """INSERT INTO vault (returnee_id, country_office, given_names, family_name, birth_date,
                              phone, phone_tail, address, document_kind, document_number,
                              document_key, notes, duplicate_override_note)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)""",
        returnee_id,
        country_office,
        person.given_names,
        person.family_name,
        person.birth_date,
        person.phone,
        phone_tail(person.phone) if person.phone else None,
        person.address,
        document.kind if document else None,
        document.number if document else None,
        document_key(document.number) if document else None,
        person.notes,
        override_note,
    )


async def keep_interview_note(
    db: asyncpg.Connection, returnee_id: UUID, interviewed_on: date, note: str
) -> None:
    await db.execute(
        "INSERT INTO vault_interview_notes (returnee_id, interviewed_on, note) VALUES ($1, $2, $3)",
        returnee_id,
        interviewed_on,
        note,
    )


async def override_note(db: asyncpg.Connection | asyncpg.Pool, returnee_id: UUID) -> str | None:
    note: str | None = await db.fetchval(
        "SELECT duplicate_override_note FROM vault WHERE returnee_id = $1", returnee_id
    )
    return note


async def person(db: asyncpg.Connection | asyncpg.Pool, returnee_id: UUID) -> PersonalData | None:
    row = await db.fetchrow("SELECT * FROM vault WHERE returnee_id = $1", returnee_id)
    if row is None:
        return None
    document = (
        IdentityDocument(row["document_kind"], row["document_number"])
        if row["document_number"]
        else None
    )
    return PersonalData(
        given_names=row["given_names"],
        family_name=row["family_name"],
        birth_date=row["birth_date"],
        phone=row["phone"],
        address=row["address"],
        identity_document=document,
        notes=row["notes"],
    )


async def interview_notes(
    db: asyncpg.Connection | asyncpg.Pool, returnee_id: UUID
) -> list[InterviewNote]:
    rows = await db.fetch(
        """SELECT interviewed_on, note FROM vault_interview_notes
           WHERE returnee_id = $1 ORDER BY interviewed_on, id""",
        returnee_id,
    )
    return [InterviewNote(row["interviewed_on"], row["note"]) for row in rows]


async def forget(db: asyncpg.Connection, returnee_id: UUID) -> None:
    """Erasure: the person and every note about them (ON DELETE CASCADE)."""
    await db.execute("DELETE FROM vault WHERE returnee_id = $1", returnee_id)
