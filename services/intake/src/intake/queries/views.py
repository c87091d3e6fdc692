"""What intake's reads answer: cases without personal data, and the vault's record for those
granted it."""

from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, Field

from intake.domain import Stage
from reintegration_contracts.events.intake import (
    ConsentPurpose,
    DuplicateOverride,
    EmployerKind,
    ExpertPresence,
    Facilitator,
    OrganisationsPresent,
    PartnerCategory,
    PsychosocialAssistance,
    PsychosocialSessionKind,
    ReferralOutcome,
)
from reintegration_contracts.types import (
    AgeBand,
    DeclaredTrade,
    Locality,
    ReturnType,
    Sex,
    Track,
    Vulnerability,
)


class DocumentKind(StrEnum):
    NATIONAL_ID = "national_id"
    PASSPORT = "passport"
    CONSULAR_CARD = "consular_card"
    BIRTH_CERTIFICATE = "birth_certificate"
    LAISSEZ_PASSER = "laissez_passer"
    OTHER = "other"


class IdentityDocumentView(BaseModel):
    kind: DocumentKind
    number: str


class CaseSummary(BaseModel):
    """One line of an office's caseload: no personal data."""

    returnee_id: UUID
    sub_office: str | None
    arrival_date: date
    return_type: ReturnType
    community: Locality
    sex: Sex
    age_band: AgeBand
    is_minor: bool
    vulnerabilities: list[Vulnerability]
    declared_trades: list[DeclaredTrade]
    aspirations: list[str]
    household_size: int
    stage: Stage
    registered_at: datetime
    erased: bool
    caseworker: str | None = Field(description="Subject id of the caseworker in charge, if any")


class ConsentView(BaseModel):
    purpose: ConsentPurpose
    partner_category: PartnerCategory
    given_on: date


class CounsellingEntry(BaseModel):
    kind: str = Field(examples=["interview", "group_session"])
    happened_on: date
    session_id: UUID | None = None
    days_since_arrival: int | None = None
    intended_track: Track | None = None
    skills: list[str] = Field(default_factory=list)
    years_of_experience: int | None = None
    aspirations: list[str] = Field(default_factory=list)


class PsychosocialSessionEntry(BaseModel):
    session_id: UUID
    kind: PsychosocialSessionKind
    held_on: date
    facilitator: Facilitator


class AssistanceEntry(BaseModel):
    provided_on: date
    forms: list[PsychosocialAssistance]


class PsychosocialView(BaseModel):
    """Psychosocial support the returnee received (what was said stays in the vault)."""

    sessions: list[PsychosocialSessionEntry]
    assistance: list[AssistanceEntry]


class OutcomeEntry(BaseModel):
    outcome: ReferralOutcome
    recorded_on: date


class ReferralView(BaseModel):
    referral_id: UUID
    returnee_id: UUID
    referred_on: date
    to_kind: EmployerKind
    organisation_id: str | None
    sector: str
    fair_id: UUID | None
    outcomes: list[OutcomeEntry]
    outcome: ReferralOutcome | None = Field(description="The latest outcome, if any")


class FairAttended(BaseModel):
    fair_id: UUID
    held_on: date


class JobPathView(BaseModel):
    cv_supported_on: list[date]
    fairs: list[FairAttended]
    referrals: list[ReferralView]


class CaseView(CaseSummary):
    consents: list[ConsentView]
    counselling: list[CounsellingEntry]
    duplicate_override: DuplicateOverride | None
    psychosocial: PsychosocialView
    job_path: JobPathView


class MemberView(BaseModel):
    """A community member, without personal data."""

    member_id: UUID
    sub_office: str | None
    registered_on: date
    community: Locality
    sex: Sex
    age_band: AgeBand
    is_minor: bool
    vulnerabilities: list[Vulnerability]
    caseworker: str | None
    psychosocial_sessions: list[PsychosocialSessionEntry]


class PsychosocialNoteView(BaseModel):
    session_id: UUID
    note: str


class MemberPersonalDataView(BaseModel):
    member_id: UUID
    given_names: str
    family_name: str
    birth_date: date
    phone: str | None
    address: str | None
    identity_document: IdentityDocumentView | None
    notes: str | None
    duplicate_override_note: str | None
    psychosocial_notes: list[PsychosocialNoteView]


class FairView(BaseModel):
    fair_id: UUID
    held_on: date
    locality: Locality
    organisations: list[OrganisationsPresent]
    participant_ids: list[UUID]
    young_people_present: int


class ReferralFilter(BaseModel):
    returnee_id: UUID | None = None
    to_kind: EmployerKind | None = None
    limit: int = Field(default=100, ge=1, le=1000)
    offset: int = Field(default=0, ge=0)


class InterviewNoteView(BaseModel):
    interviewed_on: date
    note: str


class PersonalDataView(BaseModel):
    returnee_id: UUID
    given_names: str
    family_name: str
    birth_date: date
    phone: str | None
    address: str | None
    identity_document: IdentityDocumentView | None
    notes: str | None
    duplicate_override_note: str | None
    interview_notes: list[InterviewNoteView]
    psychosocial_notes: list[PsychosocialNoteView]


class Attendance(BaseModel):
    returnee_id: UUID
    days_since_arrival: int


class SessionView(BaseModel):
    session_id: UUID
    held_on: date
    community: Locality
    experts_present: list[ExpertPresence]
    local_authorities_present: int
    civil_society_present: int
    participants: list[Attendance]


class CaseloadFilter(BaseModel):
    stage: Stage | None = None
    vulnerability: Vulnerability | None = None
    sex: Sex | None = None
    age_band: AgeBand | None = None
    commune: str | None = Field(default=None, max_length=80)
    sub_office: str | None = Field(default=None, max_length=64)
    assigned_to: str | None = Field(
        default=None,
        min_length=1,
        max_length=255,
        description="A caseworker's subject id, `me` for the caller's own cases, `nobody` for "
        "cases no one holds",
    )
    limit: int = Field(default=100, ge=1, le=1000)
    offset: int = Field(default=0, ge=0)
