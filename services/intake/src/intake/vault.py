"""The personal-data vault: intake's table of who a pseudonymous returnee id is (or a
community member's id: the same id space, the same duplicate check).

Written in the command's transaction, next to the events, so a registration never exists
without its person or the other way round. Erasure deletes the row; nothing else keeps it.
"""

import hashlib
from dataclasses import dataclass
from datetime import date
from uuid import UUID

import asyncpg

from intake.domain import IdentityDocument, KnownPerson, PersonalData, document_key, phone_tail


@dataclass(frozen=True)
class InterviewNote:
    interviewed_on: date
    note: str


async def hold_registrations_alike(
    db: asyncpg.Connection, country_office: str, person: PersonalData
) -> None:
    """Two caseworkers registering the same person at once must not both miss the other.

    Registrations that could be one person take turns until their transaction ends; the
    others run side by side. Two records are alike only if they share a birth date (the name
    rule needs it), the tail of a phone number (`same_phone` compares at least that) or a
    document key, so one lock per key this person has covers every pair the check can find.
    Taken in one order, so two registrations sharing two keys never wait on each other.
    """
    for lock in sorted({_lock_key(country_office, key) for key in _duplicate_keys(person)}):
        await db.execute("SELECT pg_advisory_xact_lock($1)", lock)


def _duplicate_keys(person: PersonalData) -> list[str]:
    keys = [f"birth_date:{person.birth_date.isoformat()}"]
    if person.phone and (tail := phone_tail(person.phone)):
        keys.append(f"phone_tail:{tail}")
    if person.identity_document and (key := document_key(person.identity_document.number)):
        keys.append(f"document_key:{key}")
    return keys


def _lock_key(country_office: str, key: str) -> int:
    """A signed 64-bit advisory lock id, the same in every process (unlike Python's hash)."""
    digest = hashlib.blake2b(f"intake.registration.{country_office}.{key}".encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "big", signed=True)


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


async def keep_psychosocial_note(
    db: asyncpg.Connection,
    country_office: str,
    session_id: UUID,
    participant_ids: tuple[UUID, ...],
    note: str,
) -> None:
    await db.execute(
        """INSERT INTO vault_psychosocial_notes (session_id, country_office, participant_ids,
               note)
           VALUES ($1, $2, $3, $4)""",
        session_id,
        country_office,
        list(participant_ids),
        note,
    )


async def psychosocial_notes(
    db: asyncpg.Connection | asyncpg.Pool, person_id: UUID
) -> list[tuple[UUID, str]]:
    """(session id, note) of the psychosocial sessions this person took part in."""
    rows = await db.fetch(
        """SELECT session_id, note FROM vault_psychosocial_notes
           WHERE participant_ids @> ARRAY[$1::uuid] ORDER BY recorded_at, session_id""",
        person_id,
    )
    return [(row["session_id"], row["note"]) for row in rows]


async def forget(db: asyncpg.Connection, returnee_id: UUID) -> None:
    """Erasure: the person and every note about them (ON DELETE CASCADE), and the notes of
    every psychosocial session they took part in: a group's note may speak of each member."""
    await db.execute("DELETE FROM vault WHERE returnee_id = $1", returnee_id)
    await db.execute(
        "DELETE FROM vault_psychosocial_notes WHERE participant_ids @> ARRAY[$1::uuid]",
        returnee_id,
    )
