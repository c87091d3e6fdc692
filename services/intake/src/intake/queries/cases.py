"""Cases: the office's caseload, one case, its consents, and (for those granted it) the
vault's record of who the returnee is. Scoped to one country office."""

from typing import Any
from uuid import UUID

import asyncpg

from intake import vault
from intake.queries import paths
from intake.queries.rows import Db, json_value
from intake.queries.views import (
    CaseloadFilter,
    CaseSummary,
    CaseView,
    ConsentView,
    CounsellingEntry,
    IdentityDocumentView,
    InterviewNoteView,
    PersonalDataView,
    PsychosocialNoteView,
)
from reintegration_sdk import Gone, NotFound


async def caseload(
    db: Db, country_office: str, where: CaseloadFilter, caller: str
) -> list[CaseSummary]:
    """The office's cases; `assigned_to=me` is the caller's, `nobody` those no one holds."""
    assigned_to = caller if where.assigned_to == "me" else where.assigned_to
    rows = await db.fetch(
        """SELECT * FROM caseload
           WHERE country_office = $1
             AND ($2::text IS NULL OR stage = $2)
             AND ($3::text IS NULL OR $3 = ANY (vulnerabilities))
             AND ($4::text IS NULL OR sex = $4)
             AND ($5::text IS NULL OR age_band = $5)
             AND ($6::text IS NULL OR lower(commune) = lower($6))
             AND ($7::text IS NULL OR sub_office = $7)
             AND ($10::text IS NULL OR ($10 = 'nobody' AND caseworker IS NULL)
                  OR caseworker = $10)
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
        assigned_to,
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
        duplicate_override=json_value(row["duplicate_override"]),
        psychosocial=await paths.psychosocial(db, returnee_id),
        job_path=await paths.job_path(db, returnee_id),
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
        identity_document=IdentityDocumentView.model_validate(document.__dict__)
        if document
        else None,
        notes=person.notes,
        duplicate_override_note=await vault.override_note(db, returnee_id),
        interview_notes=[InterviewNoteView(**n.__dict__) for n in notes],
        psychosocial_notes=[
            PsychosocialNoteView(session_id=s, note=n)
            for s, n in await vault.psychosocial_notes(db, returnee_id)
        ],
    )


async def _case_row(
    db: Db, country_office: str, returnee_id: UUID, erased_is_gone: bool = False
) -> asyncpg.Record:
    row = await db.fetchrow("SELECT * FROM caseload WHERE returnee_id = $1", returnee_id)
    if row is None or row["country_office"] != country_office:
        # Another office's returnee is as unknown here as a random id: a 403 would tell that
        # the person is registered elsewhere.
        raise NotFound(f"returnee {returnee_id}")
    if erased_is_gone and row["erased_on"] is not None:
        raise Gone(f"personal data of returnee {returnee_id} (erased on {row['erased_on']})")
    return row


def _summary(row: asyncpg.Record) -> CaseSummary:
    values: dict[str, Any] = dict(row)
    return CaseSummary.model_validate(
        {
            **values,
            "community": {"region": row["region"], "commune": row["commune"]},
            "declared_trades": json_value(row["declared_trades"]),
            "erased": row["erased_on"] is not None,
        }
    )
