"""What intake's HTTP API accepts and answers. Requests turn into domain commands here; every
schema-level mistake (type, range, pattern, unknown field) is a 422 naming the field."""

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from intake.domain import (
    AssignCase,
    HoldCounsellingSession,
    HoldJobFair,
    HoldPsychosocialSession,
    IdentityDocument,
    MakeJobReferral,
    PersonalData,
    ProvidePsychosocialAssistance,
    RecordConsent,
    RecordInterview,
    RecordReferralOutcome,
    RegisterCommunityMember,
    RegisterReturnee,
    Stage,
    SupportCv,
    WithdrawConsent,
)
from intake.queries.views import DocumentKind
from reintegration_contracts.events.intake import (
    CaseworkerId,
    ConsentPurpose,
    DuplicateOverride,
    EmployerKind,
    ExpertPresence,
    Facilitator,
    OrganisationsPresent,
    OverrideReason,
    PartnerCategory,
    PsychosocialAssistance,
    PsychosocialSessionKind,
    ReferralOutcome,
)
from reintegration_contracts.types import (
    AgeBand,
    DeclaredTrade,
    Locality,
    PartnerId,
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


class CommunityMemberRequest(Request):
    """A returnee's registration without what only a return has (arrival, return type,
    trades, household, aspirations)."""

    sub_office: Slug | None = None
    registered_on: date
    community: Locality
    sex: Sex
    person: PersonIn
    vulnerabilities: list[Vulnerability] = Field(default_factory=list, max_length=6)
    duplicate_override: DuplicateOverrideIn | None = Field(
        default=None,
        description="Register although likely duplicates were reported (kept in the vault)",
    )

    def command(
        self, member_id: UUID, today: date, caseworker: str | None = None
    ) -> RegisterCommunityMember:
        override = self.duplicate_override
        return RegisterCommunityMember(
            member_id=member_id,
            registered_on=self.registered_on,
            today=today,
            community=self.community,
            sex=self.sex,
            person=self.person.personal_data(),
            vulnerabilities=tuple(dict.fromkeys(self.vulnerabilities)),
            sub_office=self.sub_office,
            override_reason=override.reason if override else None,
            override_note=override.note if override else None,
            caseworker=caseworker,
        )


class PsychosocialSessionRequest(Request):
    kind: PsychosocialSessionKind
    held_on: date
    community: Locality
    facilitator: Facilitator
    participant_ids: list[UUID] = Field(
        min_length=1, max_length=200, description="Returnees or community members of the office"
    )
    notes: str | None = Field(
        default=None, min_length=1, max_length=8000, description="Kept in the vault only"
    )

    def command(self, session_id: UUID, today: date) -> HoldPsychosocialSession:
        return HoldPsychosocialSession(
            session_id=session_id,
            kind=self.kind,
            held_on=self.held_on,
            today=today,
            community=self.community,
            facilitator=self.facilitator,
            participant_ids=tuple(self.participant_ids),
            notes=self.notes,
        )


class PsychosocialAssistanceRequest(Request):
    provided_on: date
    forms: list[PsychosocialAssistance] = Field(min_length=1, max_length=10)

    def command(self, today: date) -> ProvidePsychosocialAssistance:
        return ProvidePsychosocialAssistance(self.provided_on, today, tuple(self.forms))


class JobFairRequest(Request):
    held_on: date
    locality: Locality
    organisations: list[OrganisationsPresent] = Field(min_length=1, max_length=10)
    participant_ids: list[UUID] = Field(min_length=1, max_length=1000)
    young_people_present: int = Field(ge=0, le=10_000)

    def command(self, fair_id: UUID, today: date) -> HoldJobFair:
        return HoldJobFair(
            fair_id=fair_id,
            held_on=self.held_on,
            today=today,
            locality=self.locality,
            organisations=tuple(self.organisations),
            participant_ids=tuple(self.participant_ids),
            young_people_present=self.young_people_present,
        )


class CvSupportRequest(Request):
    supported_on: date

    def command(self, today: date) -> SupportCv:
        return SupportCv(self.supported_on, today)


class JobReferralRequest(Request):
    referred_on: date
    to_kind: EmployerKind
    organisation_id: PartnerId | None = Field(
        default=None, description="The organisation's id in the partner registry, if there"
    )
    sector: Slug
    fair_id: UUID | None = Field(default=None, description="The job fair it came from")

    def command(self, referral_id: UUID, today: date) -> MakeJobReferral:
        return MakeJobReferral(
            referral_id=referral_id,
            referred_on=self.referred_on,
            today=today,
            to_kind=self.to_kind,
            sector=self.sector,
            organisation_id=self.organisation_id,
            fair_id=self.fair_id,
        )


class ReferralOutcomeRequest(Request):
    outcome: ReferralOutcome
    recorded_on: date

    def command(self, referral_id: UUID, today: date) -> RecordReferralOutcome:
        return RecordReferralOutcome(referral_id, self.outcome, self.recorded_on, today)


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


class MemberRegistered(BaseModel):
    member_id: UUID
    age_band: AgeBand
    is_minor: bool


class PsychosocialSessionRecorded(BaseModel):
    session_id: UUID


class FairRecorded(BaseModel):
    fair_id: UUID


class ReferralMade(BaseModel):
    referral_id: UUID
