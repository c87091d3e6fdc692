"""What intake's HTTP API accepts and answers. Requests turn into domain commands here; every
schema-level mistake (type, range, pattern, unknown field) is a 422 naming the field."""

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from intake.domain import (
    HoldCounsellingSession,
    IdentityDocument,
    PersonalData,
    RecordConsent,
    RecordInterview,
    RegisterReturnee,
    Stage,
    WithdrawConsent,
)
from reintegration_contracts.events.intake import (
    ConsentPurpose,
    DuplicateOverride,
    ExpertPresence,
    OverrideReason,
    PartnerCategory,
)
from reintegration_contracts.types import (
    AgeBand,
    DeclaredTrade,
    Locality,
    ReturnType,
    Sex,
    Slug,
    Track,
    Vulnerability,
)

Name = Annotated[str, Field(min_length=1, max_length=120)]


class Request(BaseModel):
    # A misspelt field ("phone_number") would otherwise be dropped without a word.
    model_config = ConfigDict(extra="forbid", frozen=True)


class DocumentKind(StrEnum):
    NATIONAL_ID = "national_id"
    PASSPORT = "passport"
    CONSULAR_CARD = "consular_card"
    BIRTH_CERTIFICATE = "birth_certificate"
    LAISSEZ_PASSER = "laissez_passer"
    OTHER = "other"


class IdentityDocumentIn(Request):
    kind: DocumentKind
    number: str = Field(min_length=3, max_length=40, pattern=r"^[0-9A-Za-z][0-9A-Za-z \-/.]*$")


class PersonIn(Request):
    """Personal data: goes to the vault only."""

    given_names: Name = Field(examples=["Aminata"])
    family_name: Name = Field(examples=["Ouédraogo"])
    birth_date: date
    phone: str | None = Field(
        default=None, pattern=r"^\+?[0-9][0-9 ().\-]{5,23}$", examples=["+226 70 12 34 56"]
    )
    address: str | None = Field(default=None, min_length=1, max_length=300)
    identity_document: IdentityDocumentIn | None = None
    notes: str | None = Field(default=None, min_length=1, max_length=4000)

    def personal_data(self) -> PersonalData:
        document = self.identity_document
        return PersonalData(
            given_names=self.given_names.strip(),
            family_name=self.family_name.strip(),
            birth_date=self.birth_date,
            phone=self.phone,
            address=self.address,
            identity_document=IdentityDocument(document.kind.value, document.number)
            if document
            else None,
            notes=self.notes,
        )


class DuplicateOverrideIn(Request):
    reason: OverrideReason
    note: str | None = Field(
        default=None, min_length=1, max_length=1000, description="Kept in the vault only"
    )


class RegistrationRequest(Request):
    sub_office: Slug | None = None
    arrival_date: date
    return_type: ReturnType
    community: Locality
    sex: Sex
    person: PersonIn
    vulnerabilities: list[Vulnerability] = Field(default_factory=list, max_length=6)
    declared_trades: list[DeclaredTrade] = Field(default_factory=list, max_length=10)
    aspirations: list[Slug] = Field(default_factory=list, max_length=10)
    household_size: int = Field(ge=1, le=60)
    duplicate_override: DuplicateOverrideIn | None = Field(
        default=None,
        description="Register although likely duplicates were reported (kept in the event)",
    )

    def command(self, returnee_id: UUID, today: date) -> RegisterReturnee:
        override = self.duplicate_override
        return RegisterReturnee(
            returnee_id=returnee_id,
            registered_on=today,
            arrival_date=self.arrival_date,
            return_type=self.return_type,
            community=self.community,
            sex=self.sex,
            person=self.person.personal_data(),
            household_size=self.household_size,
            vulnerabilities=tuple(dict.fromkeys(self.vulnerabilities)),
            declared_trades=tuple(self.declared_trades),
            aspirations=tuple(self.aspirations),
            sub_office=self.sub_office,
            override_reason=override.reason if override else None,
            override_note=override.note if override else None,
        )


class ConsentRequest(Request):
    purpose: ConsentPurpose
    partner_category: PartnerCategory
    on: date | None = Field(default=None, description="Day of the decision (default: today)")

    def record(self, today: date) -> RecordConsent:
        return RecordConsent(self.purpose, self.partner_category, self.on or today, today)

    def withdraw(self, today: date) -> WithdrawConsent:
        return WithdrawConsent(self.purpose, self.partner_category, self.on or today, today)


class InterviewRequest(Request):
    interviewed_on: date
    skills: list[Slug] = Field(default_factory=list, max_length=20)
    years_of_experience: int = Field(ge=0, le=80)
    aspirations: list[Slug] = Field(default_factory=list, max_length=10)
    intended_track: Track
    note: str | None = Field(
        default=None, min_length=1, max_length=4000, description="Kept in the vault only"
    )

    def command(self, today: date) -> RecordInterview:
        return RecordInterview(
            interviewed_on=self.interviewed_on,
            today=today,
            years_of_experience=self.years_of_experience,
            intended_track=self.intended_track,
            skills=tuple(self.skills),
            aspirations=tuple(self.aspirations),
            note=self.note,
        )


class SessionRequest(Request):
    session_id: UUID | None = Field(default=None, description="Default: a new id")
    held_on: date
    community: Locality
    experts_present: list[ExpertPresence] = Field(min_length=1, max_length=20)
    local_authorities_present: int = Field(ge=0, le=100)
    civil_society_present: int = Field(ge=0, le=100)
    participant_ids: list[UUID] = Field(min_length=1, max_length=200)

    def command(self, session_id: UUID, today: date) -> HoldCounsellingSession:
        return HoldCounsellingSession(
            session_id=session_id,
            held_on=self.held_on,
            today=today,
            community=self.community,
            experts_present=tuple(self.experts_present),
            local_authorities_present=self.local_authorities_present,
            civil_society_present=self.civil_society_present,
            participant_ids=tuple(self.participant_ids),
        )


# --- Answers ---------------------------------------------------------------------------------


class Registered(BaseModel):
    returnee_id: UUID
    stage: Stage
    age_band: AgeBand
    is_minor: bool
    duplicate_override: DuplicateOverride | None


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


class CaseView(CaseSummary):
    consents: list[ConsentView]
    counselling: list[CounsellingEntry]
    duplicate_override: DuplicateOverride | None


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
    identity_document: IdentityDocumentIn | None
    notes: str | None
    duplicate_override_note: str | None
    interview_notes: list[InterviewNoteView]


class Erased(BaseModel):
    returnee_id: UUID
    erased_on: date
    consents_withdrawn: int


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
    limit: int = Field(default=100, ge=1, le=1000)
    offset: int = Field(default=0, ge=0)
