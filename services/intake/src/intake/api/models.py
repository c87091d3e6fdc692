"""What intake's HTTP API accepts and answers. Requests turn into domain commands here; every
schema-level mistake (type, range, pattern, unknown field) is a 422 naming the field."""

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from intake.domain import (
    AssignCase,
    HoldCounsellingSession,
    IdentityDocument,
    PersonalData,
    RecordConsent,
    RecordInterview,
    RegisterReturnee,
    Stage,
    WithdrawConsent,
)
from intake.queries.views import DocumentKind
from reintegration_contracts.events.intake import (
    CaseworkerId,
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

    def command(
        self, returnee_id: UUID, today: date, caseworker: str | None = None
    ) -> RegisterReturnee:
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
            caseworker=caseworker,
        )


class AssignmentRequest(Request):
    caseworker: CaseworkerId | None = Field(
        default=None,
        description="Subject id of the caseworker to take the case (default: the caller, "
        "taking it); never a name",
    )

    def command(self, by: str, by_office_manager: bool, today: date) -> AssignCase:
        return AssignCase(
            caseworker=self.caseworker or by,
            assigned_on=today,
            by=by,
            by_office_manager=by_office_manager,
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


class Erased(BaseModel):
    returnee_id: UUID
    erased_on: date
    consents_withdrawn: int
