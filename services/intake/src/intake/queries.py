"""Reads of intake's read models and vault, scoped to one country office."""

import json
from typing import Any, TypeAlias
from uuid import UUID

import asyncpg

from intake import vault
from intake.models import (
    Attendance,
    CaseloadFilter,
    CaseSummary,
    CaseView,
    ConsentView,
    CounsellingEntry,
    IdentityDocumentIn,
    InterviewNoteView,
    PersonalDataView,
    SessionView,
)
from reintegration_contracts.types import Locality
from reintegration_sdk.auth import AuthorizationError
from reintegration_sdk.errors import Gone, NotFound

Db: TypeAlias = asyncpg.Pool | asyncpg.Connection


async def caseload(db: Db, country_office: str, where: CaseloadFilter) -> list[CaseSummary]:
    rows = await db.fetch(
        """SELECT * FROM caseload
           WHERE country_office = $1
             AND ($2::text IS NULL OR stage = $2)
             AND ($3::text IS NULL OR $3 = ANY (vulnerabilities))
             AND ($4::text IS NULL OR sex = $4)
             AND ($5::text IS NULL OR age_band = $5)
             AND ($6::text IS NULL OR lower(commune) = lower($6))
             AND ($7::text IS NULL OR sub_office = $7)
           ORDER BY registered_at, returnee_id
           LIMIT $8 OFFSET $9""",
        country_office,
        where.stage,
        where.vulnerability,
        where.sex,
        where.age_band,
        where.commune,
        where.sub_office,
        where.limit,
        where.offset,
    )
    return [_summary(row) for row in rows]


async def case(db: Db, country_office: str, returnee_id: UUID) -> CaseView:
    row = await _case_row(db, country_office, returnee_id)
    consents = await current_consents(db, country_office, returnee_id)
    history = await db.fetch(
        "SELECT * FROM counselling_history WHERE returnee_id = $1 ORDER BY recorded_at, event_id",
        returnee_id,
    )
    return CaseView(
        **_summary(row).model_dump(),
        consents=consents,
        counselling=[CounsellingEntry.model_validate(dict(h)) for h in history],
        duplicate_override=_json(row["duplicate_override"]),
    )


async def current_consents(db: Db, country_office: str, returnee_id: UUID) -> list[ConsentView]:
    await _case_row(db, country_office, returnee_id)
    rows = await db.fetch(
        """SELECT purpose, partner_category, given_on FROM current_consents
           WHERE returnee_id = $1 ORDER BY purpose, partner_category""",
        returnee_id,
    )
    return [ConsentView.model_validate(dict(row)) for row in rows]


async def personal_data(db: Db, country_office: str, returnee_id: UUID) -> PersonalDataView:
    await _case_row(db, country_office, returnee_id, erased_is_gone=True)
    person = await vault.person(db, returnee_id)
    if person is None:
        raise Gone(f"personal data of returnee {returnee_id}")
    document = person.identity_document
    notes = await vault.interview_notes(db, returnee_id)
    return PersonalDataView(
        returnee_id=returnee_id,
        given_names=person.given_names,
        family_name=person.family_name,
        birth_date=person.birth_date,
        phone=person.phone,
        address=person.address,
        identity_document=IdentityDocumentIn.model_validate(document.__dict__)
        if document
        else None,
        notes=person.notes,
        duplicate_override_note=await vault.override_note(db, returnee_id),
        interview_notes=[InterviewNoteView(**n.__dict__) for n in notes],
    )


async def session(db: Db, country_office: str, session_id: UUID) -> SessionView:
    row = await db.fetchrow("SELECT * FROM counselling_sessions WHERE session_id = $1", session_id)
    if row is None:
        raise NotFound(f"counselling session {session_id}")
    if row["country_office"] != country_office:
        raise AuthorizationError(f"session {session_id} belongs to another country office")
    attended = await db.fetch(
        """SELECT returnee_id, days_since_arrival FROM counselling_history
           WHERE session_id = $1 ORDER BY recorded_at, event_id""",
        session_id,
    )
    return SessionView(
        session_id=session_id,
        held_on=row["held_on"],
        community=Locality(region=row["region"], commune=row["commune"]),
        experts_present=_json(row["experts_present"]),
        local_authorities_present=row["local_authorities_present"],
        civil_society_present=row["civil_society_present"],
        participants=[Attendance.model_validate(dict(a)) for a in attended],
    )


async def _case_row(
    db: Db, country_office: str, returnee_id: UUID, erased_is_gone: bool = False
) -> asyncpg.Record:
    row = await db.fetchrow("SELECT * FROM caseload WHERE returnee_id = $1", returnee_id)
    if row is None:
        raise NotFound(f"returnee {returnee_id}")
    if row["country_office"] != country_office:
        raise AuthorizationError(f"returnee {returnee_id} belongs to another country office")
    if erased_is_gone and row["erased_on"] is not None:
        raise Gone(f"personal data of returnee {returnee_id} (erased on {row['erased_on']})")
    return row


def _summary(row: asyncpg.Record) -> CaseSummary:
    values: dict[str, Any] = dict(row)
    return CaseSummary.model_validate(
        {
            **values,
            "community": {"region": row["region"], "commune": row["commune"]},
            "declared_trades": _json(row["declared_trades"]),
            "erased": row["erased_on"] is not None,
        }
    )


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value
