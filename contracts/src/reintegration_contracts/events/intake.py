"""Events published by intake: reception, consent, counselling, erasure.

No payload here carries a name, phone, address, birth date or free-text note: those stay in
intake's vault. Events name the returnee by a pseudonymous id only.
"""

from datetime import date
from enum import StrEnum
from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from reintegration_contracts.classification import classified
from reintegration_contracts.registry import EventPayload, event, upcaster
from reintegration_contracts.topics import Domain
from reintegration_contracts.types import (
    AgeBand,
    DeclaredTrade,
    Locality,
    PartnerId,
    ReturneeId,
    ReturnType,
    Sex,
    Slug,
    Track,
    Vulnerability,
    age_band_for,
)

# A principal's subject id (the token's `sub`): who a staff member is to the platform, no name.
CaseworkerId = Annotated[
    str, Field(min_length=1, max_length=255, examples=["c3a1f0d2-7b9e-4e55-9a61-0d5b3c2e8f14"])
]


class OverrideReason(StrEnum):
    """Why a caseworker registered someone the duplicate check took for a registered person."""

    NAMESAKE = "namesake"
    SHARED_PHONE = "shared_phone"
    DOCUMENT_MISTYPED = "document_mistyped"
    VERIFIED_DIFFERENT_PERSON = "verified_different_person"
    OTHER = "other"


@classified(category="reason", identifier="candidate_ids")
class DuplicateOverride(BaseModel):
    """A caseworker registered despite likely duplicates; the reason stays in the stream.

    The reason is a category: a caseworker's own words tend to name people, so any
    explanation in free text stays in intake's vault."""

    model_config = ConfigDict(frozen=True)

    reason: OverrideReason = Field(description="Why this is not a duplicate")
    candidate_ids: list[ReturneeId] = Field(description="The returnees it was confused with")


@classified(
    identifier="returnee_id",
    reference="sub_office",
    date="arrival_date",
    category="return_type sex vulnerabilities",
    nested="community declared_trades",
    count="age household_size",
)
@event("ReturneeRegistered", 1, Domain.INTAKE)
class ReturneeRegisteredV1(EventPayload):
    """First version: carried the exact age, which together with commune and arrival date could
    single a person out; v2 carries an age band instead."""

    returnee_id: ReturneeId
    sub_office: str | None = None
    arrival_date: date
    return_type: ReturnType
    community: Locality
    sex: Sex
    age: int = Field(ge=0, le=120)
    vulnerabilities: list[Vulnerability] = Field(default_factory=list)
    declared_trades: list[DeclaredTrade] = Field(default_factory=list)
    household_size: int = Field(ge=1, le=60)


@classified(
    identifier="returnee_id caseworker",
    reference="sub_office",
    date="arrival_date",
    category="return_type sex age_band vulnerabilities aspirations",
    flag="is_minor",
    nested="community declared_trades duplicate_override",
    count="household_size",
)
@event("ReturneeRegistered", 2, Domain.INTAKE)
class ReturneeRegistered(EventPayload):
    """A returnee's case is opened in a country office."""

    returnee_id: ReturneeId
    sub_office: str | None = Field(default=None, description="Sub-office handling the case")
    arrival_date: date = Field(description="Day of return to the country")
    return_type: ReturnType
    community: Locality = Field(description="Community of return")
    sex: Sex
    age_band: AgeBand = Field(description="Age band at registration (never the birth date)")
    is_minor: bool = Field(description="Under 18 at registration")
    vulnerabilities: list[Vulnerability] = Field(default_factory=list)
    declared_trades: list[DeclaredTrade] = Field(default_factory=list)
    aspirations: list[Slug] = Field(
        default_factory=list, description="Sectors the returnee wants to work in (keywords)"
    )
    household_size: int = Field(ge=1, le=60)
    duplicate_override: DuplicateOverride | None = None
    caseworker: CaseworkerId | None = Field(
        default=None,
        description="Subject id of the caseworker who registered the case and holds it "
        "(assignment 0); none when someone else registered it, e.g. an office manager's import",
    )


@classified(
    identifier="returnee_id caseworker previous_caseworker",
    date="assigned_on",
    count="assignment",
)
@event("CaseAssigned", 1, Domain.INTAKE)
class CaseAssigned(EventPayload):
    """A returnee's case is given to a caseworker: taken by the caseworker, or assigned or
    reassigned by an office manager. The caseworker is named by subject id, never by name.

    `assignment` counts the case's assignments (registration's own is 0), so the latest one is
    known whatever order a consumer reads the events in."""

    returnee_id: ReturneeId
    caseworker: CaseworkerId = Field(description="Subject id of the caseworker now in charge")
    previous_caseworker: CaseworkerId | None = Field(
        default=None, description="Subject id of the caseworker who held the case before, if any"
    )
    assigned_on: date
    assignment: int = Field(ge=1, description="1 for the first assignment after registration")


@upcaster("ReturneeRegistered", from_version=1)
def _registered_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    age = int(data.pop("age"))
    data["age_band"] = age_band_for(age).value
    data["is_minor"] = age < 18
    return data


class ConsentPurpose(StrEnum):
    REFERRAL = "referral"
    MONITORING_AND_EVALUATION = "monitoring_and_evaluation"
    CASE_SHARING = "case_sharing"
    RESEARCH = "research"


class PartnerCategory(StrEnum):
    NGO = "ngo"
    GOVERNMENT = "government"
    UN_AGENCY = "un_agency"
    TRAINING_CENTRE = "training_centre"
    PRIVATE_SECTOR = "private_sector"


@classified(identifier="returnee_id", category="purpose partner_category", date="given_on")
@event("ConsentRecorded", 1, Domain.INTAKE)
class ConsentRecorded(EventPayload):
    """The returnee agreed to share their case data for a purpose with a kind of partner."""

    returnee_id: ReturneeId
    purpose: ConsentPurpose
    partner_category: PartnerCategory
    given_on: date


@classified(identifier="returnee_id", category="purpose partner_category", date="withdrawn_on")
@event("ConsentWithdrawn", 1, Domain.INTAKE)
class ConsentWithdrawn(EventPayload):
    returnee_id: ReturneeId
    purpose: ConsentPurpose
    partner_category: PartnerCategory
    withdrawn_on: date


@classified(
    identifier="returnee_id",
    date="interviewed_on",
    category="skills aspirations intended_track",
    count="years_of_experience",
)
@event("CounsellingInterviewRecorded", 1, Domain.INTAKE)
class CounsellingInterviewRecorded(EventPayload):
    """The individual interview: skills, experience and aspirations, and the intended track."""

    returnee_id: ReturneeId
    interviewed_on: date
    skills: list[Slug] = Field(default_factory=list)
    years_of_experience: int = Field(ge=0, le=80)
    aspirations: list[Slug] = Field(default_factory=list)
    intended_track: Track


@classified(category="sector", count="count")
class ExpertPresence(BaseModel):
    model_config = ConfigDict(frozen=True)

    sector: Slug = Field(examples=["agriculture", "livestock", "employment_agency"])
    count: int = Field(ge=1, le=50)


@classified(
    identifier="session_id participant_ids",
    date="held_on",
    nested="community experts_present",
    count="local_authorities_present civil_society_present",
)
@event("CounsellingSessionHeld", 1, Domain.INTAKE)
class CounsellingSessionHeld(EventPayload):
    """A group job-counselling session in a community of return."""

    session_id: UUID
    held_on: date
    community: Locality
    experts_present: list[ExpertPresence] = Field(min_length=1)
    local_authorities_present: int = Field(ge=0, le=100)
    civil_society_present: int = Field(ge=0, le=100)
    participant_ids: list[ReturneeId] = Field(min_length=1)


@classified(identifier="returnee_id session_id", date="attended_on", count="days_since_arrival")
@event("CounsellingAttended", 1, Domain.INTAKE)
class CounsellingAttended(EventPayload):
    """One participant attended a group counselling session."""

    returnee_id: ReturneeId
    session_id: UUID
    attended_on: date
    days_since_arrival: int = Field(ge=0, description="Programmes aim at about 30 days")


@classified(identifier="returnee_id", date="erased_on")
@event("ReturneeErased", 1, Domain.INTAKE)
class ReturneeErased(EventPayload):
    """The vault record was deleted at the returnee's request; the case stays, anonymous."""

    returnee_id: ReturneeId
    erased_on: date


# Beyond returnees: community members, psychosocial support, job referral ------------------

MemberId = Annotated[
    UUID,
    Field(
        description="Pseudonymous id of a community member who never migrated; the same id "
        "space as returnee ids, so a cohort or a project names either"
    ),
]


@classified(
    identifier="member_id caseworker",
    reference="sub_office",
    date="registered_on",
    category="sex age_band vulnerabilities",
    flag="is_minor",
    nested="community",
)
@event("CommunityMemberRegistered", 1, Domain.INTAKE)
class CommunityMemberRegistered(EventPayload):
    """Someone of the community of return, who never migrated, joins a community project or a
    course: no arrival, no return type (their name and contacts stay in the vault, as a
    returnee's do)."""

    member_id: MemberId
    sub_office: str | None = None
    registered_on: date
    community: Locality
    sex: Sex
    age_band: AgeBand
    is_minor: bool
    vulnerabilities: list[Vulnerability] = Field(default_factory=list)
    caseworker: CaseworkerId | None = None


class PsychosocialSessionKind(StrEnum):
    INDIVIDUAL = "individual"
    GROUP = "group"


class Facilitator(StrEnum):
    """Who led a psychosocial session, by profession (never by name)."""

    PSYCHOLOGIST = "psychologist"
    SOCIAL_WORKER = "social_worker"
    COUNSELLOR = "counsellor"
    PEER_SUPPORTER = "peer_supporter"


@classified(
    identifier="session_id participant_ids",
    category="kind facilitator",
    date="held_on",
    nested="community",
)
@event("PsychosocialSessionHeld", 1, Domain.INTAKE)
class PsychosocialSessionHeld(EventPayload):
    """An individual or group psychosocial session took place. What was said, and any
    clinical observation, stays in intake's vault with the case, never on the wire."""

    session_id: UUID
    kind: PsychosocialSessionKind
    held_on: date
    community: Locality
    facilitator: Facilitator
    participant_ids: list[ReturneeId] = Field(
        min_length=1, description="One participant for an individual session"
    )


class PsychosocialAssistance(StrEnum):
    """Forms of psychosocial assistance a case received, as categories."""

    COUNSELLING = "counselling"
    FAMILY_MEDIATION = "family_mediation"
    REFERRAL_TO_SPECIALIST = "referral_to_specialist"
    MEDICAL_REFERRAL = "medical_referral"
    COMMUNITY_ACTIVITY = "community_activity"


@classified(identifier="returnee_id", date="provided_on", category="forms")
@event("PsychosocialAssistanceProvided", 1, Domain.INTAKE)
class PsychosocialAssistanceProvided(EventPayload):
    """A returnee received psychosocial assistance (an assisted case), beside or without
    sessions."""

    returnee_id: ReturneeId
    provided_on: date
    forms: list[PsychosocialAssistance] = Field(min_length=1)


class EmployerKind(StrEnum):
    """Who a returnee can be referred to on the job path, beside self-employment."""

    EMPLOYER = "employer"
    RECRUITMENT_AGENCY = "recruitment_agency"
    BANK = "bank"
    MICRO_CREDIT = "micro_credit"
    MICRO_INSURANCE = "micro_insurance"


@classified(category="kind", count="count")
class OrganisationsPresent(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: EmployerKind
    count: int = Field(ge=1, le=500)


@classified(
    identifier="fair_id participant_ids",
    date="held_on",
    nested="locality organisations",
    count="young_people_present",
)
@event("JobFairHeld", 1, Domain.INTAKE)
class JobFairHeld(EventPayload):
    """A networking day: returnees and young people of the community meet employers,
    recruitment agencies, banks, micro-credit and micro-insurance."""

    fair_id: UUID
    held_on: date
    locality: Locality
    organisations: list[OrganisationsPresent] = Field(min_length=1)
    participant_ids: list[ReturneeId] = Field(min_length=1, description="Returnees present")
    young_people_present: int = Field(
        ge=0, le=10_000, description="Young people of the community, counted, not registered"
    )


@classified(identifier="returnee_id", date="supported_on")
@event("CvSupported", 1, Domain.INTAKE)
class CvSupported(EventPayload):
    """A returnee's CV was written or rebuilt with a caseworker (the CV stays in the vault)."""

    returnee_id: ReturneeId
    supported_on: date


@classified(
    identifier="referral_id returnee_id fair_id organisation_id",
    category="to_kind sector",
    date="referred_on",
)
@event("JobReferralMade", 1, Domain.INTAKE)
class JobReferralMade(EventPayload):
    """A returnee was referred to an employer, an agency or a lender."""

    referral_id: UUID
    returnee_id: ReturneeId
    referred_on: date
    to_kind: EmployerKind
    organisation_id: PartnerId | None = Field(
        default=None, description="The organisation, when it is in the partner registry"
    )
    sector: Slug = Field(examples=["construction", "retail", "transport"])
    fair_id: UUID | None = Field(default=None, description="The networking day it came from")


class ReferralOutcome(StrEnum):
    INTERVIEW = "interview"
    OFFER = "offer"
    HIRED = "hired"
    NOT_RETAINED = "not_retained"
    CREDIT_INTERVIEW = "credit_interview"
    CREDIT_GRANTED = "credit_granted"
    CREDIT_REFUSED = "credit_refused"


@classified(identifier="referral_id returnee_id", category="outcome", date="recorded_on")
@event("JobReferralOutcomeRecorded", 1, Domain.INTAKE)
class JobReferralOutcomeRecorded(EventPayload):
    """What came of a referral; a referral may record several outcomes in turn (interview,
    then offer, then hired)."""

    referral_id: UUID
    returnee_id: ReturneeId
    outcome: ReferralOutcome
    recorded_on: date
