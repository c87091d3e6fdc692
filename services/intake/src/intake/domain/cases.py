"""One returnee's case: registration (with the duplicate check), the caseworker in charge,
consent, counselling, psychosocial assistance, the job path (CV support, referrals and their
outcomes: referrals.py), erasure. The stream `returnee-<id>`; its rules are the `cases` Decider.

Events carry the pseudonymous returnee id, the age band and the minor flag derived from the
birth date, never who the person is (see people.py).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from uuid import UUID

from intake.domain.people import KnownPerson, PersonalData, age_on, likely_duplicates
from intake.domain.referrals import Referral, check_outcome
from reintegration_contracts.events.intake import (
    CaseAssigned,
    ConsentPurpose,
    ConsentRecorded,
    ConsentWithdrawn,
    CounsellingAttended,
    CounsellingInterviewRecorded,
    CvSupported,
    DuplicateOverride,
    EmployerKind,
    JobFairHeld,
    JobReferralMade,
    JobReferralOutcomeRecorded,
    OverrideReason,
    PartnerCategory,
    PsychosocialAssistance,
    PsychosocialAssistanceProvided,
    ReferralOutcome,
    ReturneeErased,
    ReturneeRegistered,
)
from reintegration_contracts.types import (
    DeclaredTrade,
    Locality,
    ReturnType,
    Sex,
    Track,
    Vulnerability,
    age_band_for,
)
from reintegration_sdk import Decider, Gone, InvalidFields, NotFound, RuleViolation

OLDEST_AGE = 120

Consent = tuple[ConsentPurpose, PartnerCategory]
CaseEvent = (
    ReturneeRegistered
    | CaseAssigned
    | ConsentRecorded
    | ConsentWithdrawn
    | CounsellingInterviewRecorded
    | CounsellingAttended
    | ReturneeErased
    | PsychosocialAssistanceProvided
    | CvSupported
    | JobReferralMade
    | JobReferralOutcomeRecorded
)


def returnee_stream(returnee_id: UUID) -> str:
    return f"returnee-{returnee_id}"


@dataclass(frozen=True)
class ReturneeCase:
    returnee_id: UUID
    arrival_date: date
    is_minor: bool
    consents: frozenset[Consent] = frozenset()
    sessions_attended: frozenset[UUID] = frozenset()
    interviews: int = 0
    erased: bool = False
    caseworker: str | None = None  # subject id of the caseworker in charge
    assignments: int = 0  # CaseAssigned events so far (registration's own assignment is 0)
    referrals: Mapping[UUID, Referral] = field(default_factory=dict)


# A stream not registered yet holds no case.
Case = ReturneeCase | None


@dataclass(frozen=True)
class RegisterReturnee:
    returnee_id: UUID
    registered_on: date
    arrival_date: date
    return_type: ReturnType
    community: Locality
    sex: Sex
    person: PersonalData
    household_size: int
    vulnerabilities: tuple[Vulnerability, ...] = ()
    declared_trades: tuple[DeclaredTrade, ...] = ()
    aspirations: tuple[str, ...] = ()
    sub_office: str | None = None
    # People of the office's vault sharing a phone, document or birth date with this one:
    # the handler looks them up, the rule below decides which are likely the same person.
    people_alike: tuple[KnownPerson, ...] = ()
    override_reason: OverrideReason | None = None
    override_note: str | None = None  # the caseworker's own words: vault only
    # The caseworker registering the case holds it; an office manager's registration (an
    # import, say) leaves it for someone to take or be given.
    caseworker: str | None = None


@dataclass(frozen=True)
class AssignCase:
    """Give the case to a caseworker (subject id): a caseworker takes it for themselves, an
    office manager assigns or reassigns it to anyone."""

    caseworker: str
    assigned_on: date
    by: str  # subject id of whoever assigns
    by_office_manager: bool


@dataclass(frozen=True)
class RecordConsent:
    purpose: ConsentPurpose
    partner_category: PartnerCategory
    given_on: date
    today: date


@dataclass(frozen=True)
class WithdrawConsent:
    purpose: ConsentPurpose
    partner_category: PartnerCategory
    withdrawn_on: date
    today: date


@dataclass(frozen=True)
class RecordInterview:
    interviewed_on: date
    today: date
    years_of_experience: int
    intended_track: Track
    skills: tuple[str, ...] = ()
    aspirations: tuple[str, ...] = ()
    note: str | None = None  # free text about the person: kept in the vault, never published


@dataclass(frozen=True)
class AttendSession:
    """The returnee took part in a group session (decided first by the session's rules)."""

    session_id: UUID
    held_on: date


@dataclass(frozen=True)
class EraseReturnee:
    erased_on: date


@dataclass(frozen=True)
class ProvidePsychosocialAssistance:
    provided_on: date
    today: date
    forms: tuple[PsychosocialAssistance, ...]


@dataclass(frozen=True)
class SupportCv:
    """The CV itself stays with the caseworker (vault); the event only says it was done."""

    supported_on: date
    today: date


@dataclass(frozen=True)
class MakeJobReferral:
    referral_id: UUID
    referred_on: date
    today: date
    to_kind: EmployerKind
    sector: str
    organisation_id: str | None = None
    fair_id: UUID | None = None
    # The fair named by `fair_id` in this office (None: no such fair here): the handler's fact.
    fair: JobFairHeld | None = None


@dataclass(frozen=True)
class RecordReferralOutcome:
    referral_id: UUID
    outcome: ReferralOutcome
    recorded_on: date
    today: date


CaseCommand = (
    RegisterReturnee
    | AssignCase
    | RecordConsent
    | WithdrawConsent
    | RecordInterview
    | AttendSession
    | EraseReturnee
    | ProvidePsychosocialAssistance
    | SupportCv
    | MakeJobReferral
    | RecordReferralOutcome
)


def decide(state: Case, command: CaseCommand) -> list[CaseEvent]:
    """The events a command on one returnee's case produces, or the rule it breaks."""
    if isinstance(command, RegisterReturnee):
        return _register(state, command)
    if state is None:
        raise NotFound("returnee")
    if isinstance(command, EraseReturnee):
        return _erase(state, command)
    if isinstance(command, RecordConsent):
        return _record_consent(state, command)
    if isinstance(command, WithdrawConsent):
        return _withdraw_consent(state, command)
    if isinstance(command, AttendSession):
        return _attend(state, command)
    if isinstance(command, AssignCase):
        return _assign(state, command)
    if isinstance(command, ProvidePsychosocialAssistance):
        return _provide_assistance(state, command)
    if isinstance(command, SupportCv):
        return _support_cv(state, command)
    if isinstance(command, MakeJobReferral):
        return _refer(state, command)
    if isinstance(command, RecordReferralOutcome):
        return _record_outcome(state, command)
    return _record_interview(state, command)


def evolve(state: Case, event: CaseEvent) -> Case:
    """Fold one of intake's events into a returnee's case."""
    if isinstance(event, ReturneeRegistered):
        return ReturneeCase(
            event.returnee_id, event.arrival_date, event.is_minor, caseworker=event.caseworker
        )
    if state is None:
        return None
    if isinstance(event, CaseAssigned):
        return replace(state, caseworker=event.caseworker, assignments=event.assignment)
    if isinstance(event, ConsentRecorded):
        return replace(state, consents=state.consents | {(event.purpose, event.partner_category)})
    if isinstance(event, ConsentWithdrawn):
        return replace(state, consents=state.consents - {(event.purpose, event.partner_category)})
    if isinstance(event, CounsellingInterviewRecorded):
        return replace(state, interviews=state.interviews + 1)
    if isinstance(event, CounsellingAttended):
        return replace(state, sessions_attended=state.sessions_attended | {event.session_id})
    if isinstance(event, JobReferralMade):
        referral = Referral(event.referral_id, event.to_kind, event.referred_on)
        return replace(state, referrals={**state.referrals, event.referral_id: referral})
    if isinstance(event, JobReferralOutcomeRecorded):
        made = state.referrals.get(event.referral_id)
        if made is None:
            return state
        made = replace(made, outcomes=(*made.outcomes, event.outcome))
        return replace(state, referrals={**state.referrals, event.referral_id: made})
    if isinstance(event, ReturneeErased):
        return replace(state, erased=True)
    # Psychosocial assistance and CV support are facts no later rule depends on.
    return state


cases: Decider[Case, CaseCommand, CaseEvent] = Decider(initial=None, evolve=evolve, decide=decide)


def reject_if(problems: list[tuple[str, str]]) -> None:
    """Every wrong field of a command at once, so a caseworker fixes a form in one go."""
    if problems:
        raise InvalidFields(problems)


def not_after_today(name: str, day: date, today: date) -> list[tuple[str, str]]:
    return [(name, "cannot be in the future")] if day > today else []


def _register(state: Case, command: RegisterReturnee) -> list[CaseEvent]:
    if state is not None:
        raise RuleViolation("already_registered", "This returnee is already registered.")
    birth_date = command.person.birth_date
    problems = []
    if command.arrival_date > command.registered_on:
        problems.append(("arrival_date", "cannot be in the future"))
    if birth_date >= command.arrival_date:
        problems.append(("person.birth_date", "must be before the arrival date"))
    # Age, band and minor flag at arrival, not at data entry: a case entered months or years
    # later (a backfilled caseload) keeps the age the returnee had on return.
    age = age_on(birth_date, command.arrival_date)
    if age > OLDEST_AGE:
        problems.append(("person.birth_date", f"gives an age above {OLDEST_AGE} years"))
    if Vulnerability.UNACCOMPANIED_MINOR in command.vulnerabilities and age >= 18:
        problems.append(("vulnerabilities", "unaccompanied_minor applies only under 18"))
    reject_if(problems)
    override = duplicate_override(command.person, command.people_alike, command.override_reason)
    return [
        ReturneeRegistered(
            returnee_id=command.returnee_id,
            sub_office=command.sub_office,
            arrival_date=command.arrival_date,
            return_type=command.return_type,
            community=command.community,
            sex=command.sex,
            age_band=age_band_for(age),
            is_minor=age < 18,
            vulnerabilities=list(command.vulnerabilities),
            declared_trades=list(command.declared_trades),
            aspirations=list(command.aspirations),
            household_size=command.household_size,
            duplicate_override=override,
            caseworker=command.caseworker,
        )
    ]


def duplicate_override(
    person: PersonalData, people_alike: tuple[KnownPerson, ...], reason: OverrideReason | None
) -> DuplicateOverride | None:
    """Refuse a likely duplicate unless overridden; the override when one was needed."""
    duplicates = likely_duplicates(person, people_alike)
    if duplicates and not reason:
        raise RuleViolation(
            "likely_duplicate",
            "This person seems to be registered already in this office (same phone, identity "
            "document, or a near-identical name with the same birth date). Check the "
            "candidates, or register anyway with an override reason.",
            candidate_ids=sorted(str(d) for d in duplicates),
        )
    if duplicates and reason:
        return DuplicateOverride(reason=reason, candidate_ids=duplicates)
    return None


def _assign(state: ReturneeCase, command: AssignCase) -> list[CaseEvent]:
    if command.caseworker == state.caseworker:
        raise RuleViolation(
            "case_already_assigned", "This case is already assigned to this caseworker."
        )
    if not command.by_office_manager:
        if command.caseworker != command.by:
            raise RuleViolation(
                "case_assigned_by_manager_only",
                "A caseworker takes a case for themselves; an office manager assigns a case "
                "to someone else.",
            )
        if state.caseworker is not None:
            raise RuleViolation(
                "case_held_by_another",
                "Another caseworker holds this case; an office manager may reassign it.",
            )
    return [
        CaseAssigned(
            returnee_id=state.returnee_id,
            caseworker=command.caseworker,
            previous_caseworker=state.caseworker,
            assigned_on=command.assigned_on,
            assignment=state.assignments + 1,
        )
    ]


def _not_before_arrival(name: str, day: date, state: ReturneeCase) -> list[tuple[str, str]]:
    return (
        [(name, f"cannot be before the arrival date {state.arrival_date}")]
        if (day < state.arrival_date)
        else []
    )


def _refuse_if_erased(state: ReturneeCase) -> None:
    if state.erased:
        raise RuleViolation(
            "returnee_erased", "This returnee's personal data was erased at their request."
        )


def _record_consent(state: ReturneeCase, command: RecordConsent) -> list[CaseEvent]:
    reject_if(not_after_today("given_on", command.given_on, command.today))
    _refuse_if_erased(state)
    if (command.purpose, command.partner_category) in state.consents:
        raise RuleViolation(
            "consent_already_given",
            f"Consent for {command.purpose} with {command.partner_category} is already given.",
        )
    return [
        ConsentRecorded(
            returnee_id=state.returnee_id,
            purpose=command.purpose,
            partner_category=command.partner_category,
            given_on=command.given_on,
        )
    ]


def _withdraw_consent(state: ReturneeCase, command: WithdrawConsent) -> list[CaseEvent]:
    reject_if(not_after_today("withdrawn_on", command.withdrawn_on, command.today))
    if (command.purpose, command.partner_category) not in state.consents:
        raise RuleViolation(
            "consent_not_given",
            f"There is no consent for {command.purpose} with {command.partner_category}.",
        )
    return [
        ConsentWithdrawn(
            returnee_id=state.returnee_id,
            purpose=command.purpose,
            partner_category=command.partner_category,
            withdrawn_on=command.withdrawn_on,
        )
    ]


def _record_interview(state: ReturneeCase, command: RecordInterview) -> list[CaseEvent]:
    reject_if(
        not_after_today("interviewed_on", command.interviewed_on, command.today)
        + _not_before_arrival("interviewed_on", command.interviewed_on, state)
    )
    if command.note:
        # Notes are personal data; there is no vault record left to keep them in.
        _refuse_if_erased(state)
    return [
        CounsellingInterviewRecorded(
            returnee_id=state.returnee_id,
            interviewed_on=command.interviewed_on,
            skills=list(command.skills),
            years_of_experience=command.years_of_experience,
            aspirations=list(command.aspirations),
            intended_track=command.intended_track,
        )
    ]


def _attend(state: ReturneeCase, command: AttendSession) -> list[CaseEvent]:
    if command.held_on < state.arrival_date:
        raise RuleViolation(
            "counselling_before_arrival",
            "A counselling session cannot be dated before a participant's arrival.",
            returnee_ids=[str(state.returnee_id)],
        )
    # Programmes aim at counselling within about a month of arrival: the days tell how close.
    return [
        CounsellingAttended(
            returnee_id=state.returnee_id,
            session_id=command.session_id,
            attended_on=command.held_on,
            days_since_arrival=(command.held_on - state.arrival_date).days,
        )
    ]


def _erase(state: ReturneeCase, command: EraseReturnee) -> list[CaseEvent]:
    if state.erased:
        raise Gone("returnee's personal data (erased on request)")
    # Nothing about a person reaches a partner without consent: erasure ends every consent.
    withdrawals: list[CaseEvent] = [
        ConsentWithdrawn(
            returnee_id=state.returnee_id,
            purpose=purpose,
            partner_category=partner,
            withdrawn_on=command.erased_on,
        )
        for purpose, partner in sorted(state.consents)
    ]
    erased = ReturneeErased(returnee_id=state.returnee_id, erased_on=command.erased_on)
    return [*withdrawals, erased]


def _dated(name: str, day: date, today: date, state: ReturneeCase) -> list[tuple[str, str]]:
    return not_after_today(name, day, today) + _not_before_arrival(name, day, state)


def _provide_assistance(
    state: ReturneeCase, command: ProvidePsychosocialAssistance
) -> list[CaseEvent]:
    problems = _dated("provided_on", command.provided_on, command.today, state)
    if not command.forms:
        problems.append(("forms", "name at least one form of assistance"))
    reject_if(problems)
    return [
        PsychosocialAssistanceProvided(
            returnee_id=state.returnee_id,
            provided_on=command.provided_on,
            forms=list(dict.fromkeys(command.forms)),
        )
    ]


def _support_cv(state: ReturneeCase, command: SupportCv) -> list[CaseEvent]:
    reject_if(_dated("supported_on", command.supported_on, command.today, state))
    return [CvSupported(returnee_id=state.returnee_id, supported_on=command.supported_on)]


def _refer(state: ReturneeCase, command: MakeJobReferral) -> list[CaseEvent]:
    if command.referral_id in state.referrals:
        raise RuleViolation("referral_already_made", "This referral is already recorded.")
    problems = _dated("referred_on", command.referred_on, command.today, state)
    fair = command.fair
    if command.fair_id is not None:
        if fair is None:
            problems.append(("fair_id", "no job fair with this id was held in this office"))
        elif command.referred_on < fair.held_on:
            problems.append(("referred_on", f"cannot be before the job fair of {fair.held_on}"))
    reject_if(problems)
    if fair is not None and state.returnee_id not in fair.participant_ids:
        raise RuleViolation(
            "job_fair_not_attended",
            "A referral from a job fair is only for a returnee who attended it.",
        )
    return [
        JobReferralMade(
            referral_id=command.referral_id,
            returnee_id=state.returnee_id,
            referred_on=command.referred_on,
            to_kind=command.to_kind,
            organisation_id=command.organisation_id,
            sector=command.sector,
            fair_id=command.fair_id,
        )
    ]


def _record_outcome(state: ReturneeCase, command: RecordReferralOutcome) -> list[CaseEvent]:
    referral = state.referrals.get(command.referral_id)
    if referral is None:
        raise NotFound(f"job referral {command.referral_id}")
    problems = not_after_today("recorded_on", command.recorded_on, command.today)
    if command.recorded_on < referral.referred_on:
        problems.append(
            ("recorded_on", f"cannot be before the referral date {referral.referred_on}")
        )
    reject_if(problems)
    check_outcome(referral, command.outcome)
    return [
        JobReferralOutcomeRecorded(
            referral_id=command.referral_id,
            returnee_id=state.returnee_id,
            outcome=command.outcome,
            recorded_on=command.recorded_on,
        )
    ]
