"""Psychosocial support and the job path, per case; community members; the office's job
referrals. Scoped to one country office: another office's id reads as unknown."""

from uuid import UUID

import asyncpg

from intake import vault
from intake.queries.rows import Db, json_value
from intake.queries.views import (
    AssistanceEntry,
    FairAttended,
    FairView,
    IdentityDocumentView,
    JobPathView,
    MemberPersonalDataView,
    MemberView,
    PsychosocialNoteView,
    PsychosocialSessionEntry,
    PsychosocialView,
    ReferralFilter,
    ReferralView,
)
from reintegration_contracts.types import Locality
from reintegration_sdk import Gone, NotFound


async def psychosocial(db: Db, person_id: UUID) -> PsychosocialView:
    assistance = await db.fetch(
        """SELECT provided_on, forms FROM psychosocial_assistance
           WHERE returnee_id = $1 ORDER BY provided_on, event_id""",
        person_id,
    )
    return PsychosocialView(
        sessions=await psychosocial_sessions(db, person_id),
        assistance=[AssistanceEntry.model_validate(dict(a)) for a in assistance],
    )


async def psychosocial_sessions(db: Db, person_id: UUID) -> list[PsychosocialSessionEntry]:
    rows = await db.fetch(
        """SELECT session_id, kind, held_on, facilitator FROM psychosocial_sessions
           WHERE participant_ids @> ARRAY[$1::uuid] ORDER BY held_on, session_id""",
        person_id,
    )
    return [PsychosocialSessionEntry.model_validate(dict(r)) for r in rows]


async def job_path(db: Db, returnee_id: UUID) -> JobPathView:
    cvs = await db.fetch(
        "SELECT supported_on FROM cv_support WHERE returnee_id = $1 ORDER BY supported_on",
        returnee_id,
    )
    fairs = await db.fetch(
        """SELECT fair_id, held_on FROM job_fairs
           WHERE participant_ids @> ARRAY[$1::uuid] ORDER BY held_on, fair_id""",
        returnee_id,
    )
    referrals = await db.fetch(
        "SELECT * FROM job_referrals WHERE returnee_id = $1 ORDER BY referred_on, referral_id",
        returnee_id,
    )
    return JobPathView(
        cv_supported_on=[c["supported_on"] for c in cvs],
        fairs=[FairAttended.model_validate(dict(f)) for f in fairs],
        referrals=[_referral(r) for r in referrals],
    )


async def job_referrals(db: Db, country_office: str, where: ReferralFilter) -> list[ReferralView]:
    rows = await db.fetch(
        """SELECT * FROM job_referrals
           WHERE country_office = $1
             AND ($2::uuid IS NULL OR returnee_id = $2)
             AND ($3::text IS NULL OR to_kind = $3)
           ORDER BY referred_on, referral_id
           LIMIT $4 OFFSET $5""",
        country_office,
        where.returnee_id,
        where.to_kind,
        where.limit,
        where.offset,
    )
    return [_referral(r) for r in rows]


def _referral(row: asyncpg.Record) -> ReferralView:
    values = dict(row)
    outcomes = json_value(values["outcomes"])
    return ReferralView.model_validate(
        {**values, "outcomes": outcomes, "outcome": outcomes[-1]["outcome"] if outcomes else None}
    )


async def member(db: Db, country_office: str, member_id: UUID) -> MemberView:
    row = await _member_row(db, country_office, member_id)
    return MemberView.model_validate(
        {
            **dict(row),
            "community": Locality(region=row["region"], commune=row["commune"]),
            "psychosocial_sessions": await psychosocial_sessions(db, member_id),
        }
    )


async def member_personal_data(
    db: Db, country_office: str, member_id: UUID
) -> MemberPersonalDataView:
    await _member_row(db, country_office, member_id)
    person = await vault.person(db, member_id)
    if person is None:
        raise Gone(f"personal data of community member {member_id}")
    document = person.identity_document
    notes = await vault.psychosocial_notes(db, member_id)
    return MemberPersonalDataView(
        member_id=member_id,
        given_names=person.given_names,
        family_name=person.family_name,
        birth_date=person.birth_date,
        phone=person.phone,
        address=person.address,
        identity_document=IdentityDocumentView.model_validate(document.__dict__)
        if document
        else None,
        notes=person.notes,
        duplicate_override_note=await vault.override_note(db, member_id),
        psychosocial_notes=[PsychosocialNoteView(session_id=s, note=n) for s, n in notes],
    )


async def fair(db: Db, country_office: str, fair_id: UUID) -> FairView:
    row = await db.fetchrow("SELECT * FROM job_fairs WHERE fair_id = $1", fair_id)
    if row is None or row["country_office"] != country_office:
        raise NotFound(f"job fair {fair_id}")
    return FairView.model_validate(
        {
            **dict(row),
            "locality": Locality(region=row["region"], commune=row["commune"]),
            "organisations": json_value(row["organisations"]),
        }
    )


async def _member_row(db: Db, country_office: str, member_id: UUID) -> asyncpg.Record:
    row = await db.fetchrow("SELECT * FROM community_members WHERE member_id = $1", member_id)
    if row is None or row["country_office"] != country_office:
        # As for returnees: another office's member is as unknown as a random id.
        raise NotFound(f"community member {member_id}")
    return row
