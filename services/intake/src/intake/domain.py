"""Intake's rules: opening a case, spotting a person registered twice, consent, counselling,
erasure. Pure functions only: `decide(state, command) -> events`, `evolve(state, event)`.

Personal data (names, phone, address, identity document, birth date, notes) enters through
`PersonalData` and never leaves in an event: the events carry the pseudonymous returnee id, the
age band and the minor flag derived from the birth date.
"""

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from uuid import UUID

from reintegration_contracts import EventPayload
from reintegration_contracts.events.committee import PlanApproved, PlanRejected, PlanSubmitted
from reintegration_contracts.events.intake import (
    ConsentPurpose,
    ConsentRecorded,
    ConsentWithdrawn,
    CounsellingAttended,
    CounsellingInterviewRecorded,
    CounsellingSessionHeld,
    DuplicateOverride,
    ExpertPresence,
    OverrideReason,
    PartnerCategory,
    ReturneeErased,
    ReturneeRegistered,
)
from reintegration_contracts.events.monitoring import FollowUpRecorded
from reintegration_contracts.events.procurement import KitDelivered
from reintegration_contracts.events.training import SkillCertified, TrainingEnrolled
from reintegration_contracts.types import (
    DeclaredTrade,
    Locality,
    ReturnType,
    Sex,
    Track,
    Vulnerability,
    age_band_for,
)
from reintegration_sdk.errors import Gone, InvalidField, NotFound, RuleViolation

OLDEST_AGE = 120
# Near-identical spellings of one name (a dropped letter, a swapped vowel, an accent) score
# above this; different names sharing a family name and a birth date stay below it.
NAME_SIMILARITY_THRESHOLD = 0.85
# Numbers shorter than this are too ambiguous to match a national against an international form.
PHONE_SUFFIX_DIGITS = 8


class InvalidInput(InvalidField):
    """Several fields of one command are wrong; each problem is (field, reason)."""

    def __init__(self, problems: Sequence[tuple[str, str]]) -> None:
        super().__init__(*problems[0])
        self.problems = list(problems)


def _reject_if(problems: list[tuple[str, str]]) -> None:
    if problems:
        raise InvalidInput(problems)


# --- Where a case stands ---------------------------------------------------------------------


class Stage(StrEnum):
    REGISTERED = "registered"
    COUNSELLED = "counselled"
    IN_TRAINING = "in_training"
    CERTIFIED = "certified"
    PLAN_SUBMITTED = "plan_submitted"
    PLAN_REJECTED = "plan_rejected"
    PLAN_APPROVED = "plan_approved"
    KIT_DELIVERED = "kit_delivered"
    FOLLOWED_UP = "followed_up"


_STAGE_ORDER = list(Stage)
# Stages a business plan decides: taken from the plans themselves, not from a milestone.
PLAN_STAGES = frozenset({Stage.PLAN_SUBMITTED, Stage.PLAN_REJECTED, Stage.PLAN_APPROVED})


class PlanOutcome(StrEnum):
    PENDING = "pending"
    REJECTED = "rejected"
    APPROVED = "approved"


def case_stage(
    counselled: bool, milestones: Iterable[Stage], plans: Iterable[PlanOutcome]
) -> Stage:
    """How far a case has gone, from the set of what is known about it, in any order.

    A case only moves forward, except that a plan submitted again after a rejection puts it
    back before the committee: a returnee takes part in one open plan at a time, so a pending
    plan is always later than any rejected one, whatever order the events arrived in."""
    reached = {Stage.REGISTERED, *(m for m in milestones if m not in PLAN_STAGES)}
    if counselled:
        reached.add(Stage.COUNSELLED)
    outcomes = set(plans)
    if PlanOutcome.APPROVED in outcomes:
        reached.add(Stage.PLAN_APPROVED)
    elif PlanOutcome.PENDING in outcomes:
        reached.add(Stage.PLAN_SUBMITTED)
    elif PlanOutcome.REJECTED in outcomes:
        reached.add(Stage.PLAN_REJECTED)
    return max(reached, key=_STAGE_ORDER.index)


_STAGE_REACHED_BY: dict[type[EventPayload], Stage] = {
    ReturneeRegistered: Stage.REGISTERED,
    CounsellingInterviewRecorded: Stage.COUNSELLED,
    CounsellingAttended: Stage.COUNSELLED,
    TrainingEnrolled: Stage.IN_TRAINING,
    SkillCertified: Stage.CERTIFIED,
    PlanSubmitted: Stage.PLAN_SUBMITTED,
    PlanRejected: Stage.PLAN_REJECTED,
    PlanApproved: Stage.PLAN_APPROVED,
    KitDelivered: Stage.KIT_DELIVERED,
    FollowUpRecorded: Stage.FOLLOWED_UP,
}


def stage_reached_by(event: EventPayload) -> Stage | None:
    """The stage an event of any service shows a returnee has reached, if it shows one."""
    return _STAGE_REACHED_BY.get(type(event))


# --- Personal data and the duplicate check ---------------------------------------------------


@dataclass(frozen=True)
class IdentityDocument:
    kind: str
    number: str


@dataclass(frozen=True)
class PersonalData:
    """What the vault holds about one person; never published."""

    given_names: str
    family_name: str
    birth_date: date
    phone: str | None = None
    address: str | None = None
    identity_document: IdentityDocument | None = None
    notes: str | None = None


@dataclass(frozen=True)
class KnownPerson:
    """A person already in the office's vault, as the duplicate check compares them."""

    returnee_id: UUID
    given_names: str
    family_name: str
    birth_date: date
    phone: str | None
    document_number: str | None


def name_key(given_names: str, family_name: str) -> str:
    """Lower case, accents stripped, punctuation dropped, name parts in alphabetical order:
    offices write 'Ouédraogo Aminata' and 'aminata OUEDRAOGO' for one person."""
    return " ".join(sorted(_name_tokens(f"{given_names} {family_name}")))


def _name_tokens(text: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return re.findall(r"[a-z]+", bare)


def phone_key(phone: str) -> str:
    """Digits only; the international prefix 00 is the same as '+'."""
    digits = re.sub(r"\D", "", phone)
    return digits[2:] if digits.startswith("00") else digits


def document_key(number: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", number.upper())


def levenshtein(a: str, b: str) -> int:
    """Edits (insert, delete, substitute one character) turning `a` into `b`."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        previous = current
    return previous[-1]


def name_similarity(first: tuple[str, str], second: tuple[str, str]) -> float:
    """1.0 for the same name however it is written, falling with each edit needed."""
    a, b = name_key(*first), name_key(*second)
    if not a or not b:
        return 0.0
    return 1.0 - levenshtein(a, b) / max(len(a), len(b))


def same_phone(first: str, second: str) -> bool:
    a, b = phone_key(first), phone_key(second)
    if a == b:
        return bool(a)
    shorter, longer = sorted((a, b), key=len)
    # '+226 70 12 34 56' and '70 12 34 56' are one line written with and without the country code
    return len(shorter) >= PHONE_SUFFIX_DIGITS and longer.endswith(shorter)


def phone_tail(phone: str) -> str:
    """The part of a number that `same_phone` always compares: a lookup key for candidates."""
    return phone_key(phone)[-PHONE_SUFFIX_DIGITS:]


def is_likely_same_person(person: PersonalData, known: KnownPerson) -> bool:
    if person.phone and known.phone and same_phone(person.phone, known.phone):
        return True
    document = person.identity_document
    if document and _same_document(document.number, known):
        return True
    return person.birth_date == known.birth_date and (
        name_similarity(
            (person.given_names, person.family_name), (known.given_names, known.family_name)
        )
        >= NAME_SIMILARITY_THRESHOLD
    )


def _same_document(number: str, known: KnownPerson) -> bool:
    key = document_key(number)
    return bool(key) and key == document_key(known.document_number or "")


def likely_duplicates(person: PersonalData, known: Iterable[KnownPerson]) -> list[UUID]:
    return [k.returnee_id for k in known if is_likely_same_person(person, k)]


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


# --- One returnee's case ---------------------------------------------------------------------

Consent = tuple[ConsentPurpose, PartnerCategory]


@dataclass(frozen=True)
class ReturneeCase:
    returnee_id: UUID
    arrival_date: date
    is_minor: bool
    consents: frozenset[Consent] = frozenset()
    sessions_attended: frozenset[UUID] = frozenset()
    interviews: int = 0
    erased: bool = False


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
class EraseReturnee:
    erased_on: date


CaseCommand = RegisterReturnee | RecordConsent | WithdrawConsent | RecordInterview | EraseReturnee


def decide(state: ReturneeCase | None, command: CaseCommand) -> list[EventPayload]:
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
    return _record_interview(state, command)


def _register(state: ReturneeCase | None, command: RegisterReturnee) -> list[EventPayload]:
    if state is not None:
        raise RuleViolation("already_registered", "This returnee is already registered.")
    birth_date = command.person.birth_date
    problems = []
    if command.arrival_date > command.registered_on:
        problems.append(("arrival_date", "cannot be in the future"))
    if birth_date >= command.arrival_date:
        problems.append(("person.birth_date", "must be before the arrival date"))
    elif age_on(birth_date, command.registered_on) > OLDEST_AGE:
        problems.append(("person.birth_date", f"gives an age above {OLDEST_AGE} years"))
    age = age_on(birth_date, command.registered_on)
    if Vulnerability.UNACCOMPANIED_MINOR in command.vulnerabilities and age >= 18:
        problems.append(("vulnerabilities", "unaccompanied_minor applies only under 18"))
    _reject_if(problems)
    duplicates = likely_duplicates(command.person, command.people_alike)
    if duplicates and not command.override_reason:
        raise RuleViolation(
            "likely_duplicate",
            "This person seems to be registered already in this office (same phone, identity "
            "document, or a near-identical name with the same birth date). Check the "
            "candidates, or register anyway with an override reason.",
            candidate_ids=sorted(str(d) for d in duplicates),
        )
    override = (
        DuplicateOverride(reason=command.override_reason, candidate_ids=duplicates)
        if duplicates and command.override_reason
        else None
    )
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
        )
    ]


def _not_after_today(name: str, day: date, today: date) -> list[tuple[str, str]]:
    return [(name, "cannot be in the future")] if day > today else []


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


def _record_consent(state: ReturneeCase, command: RecordConsent) -> list[EventPayload]:
    _reject_if(_not_after_today("given_on", command.given_on, command.today))
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


def _withdraw_consent(state: ReturneeCase, command: WithdrawConsent) -> list[EventPayload]:
    _reject_if(_not_after_today("withdrawn_on", command.withdrawn_on, command.today))
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


def _record_interview(state: ReturneeCase, command: RecordInterview) -> list[EventPayload]:
    _reject_if(
        _not_after_today("interviewed_on", command.interviewed_on, command.today)
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


def _erase(state: ReturneeCase, command: EraseReturnee) -> list[EventPayload]:
    if state.erased:
        raise Gone("returnee's personal data (erased on request)")
    # Nothing about a person reaches a partner without consent: erasure ends every consent.
    withdrawals: list[EventPayload] = [
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


def evolve(state: ReturneeCase | None, event: EventPayload) -> ReturneeCase | None:
    """Fold one of intake's events into a returnee's case."""
    if isinstance(event, ReturneeRegistered):
        return ReturneeCase(event.returnee_id, event.arrival_date, event.is_minor)
    if state is None:
        return None
    if isinstance(event, ConsentRecorded):
        return replace(state, consents=state.consents | {(event.purpose, event.partner_category)})
    if isinstance(event, ConsentWithdrawn):
        return replace(state, consents=state.consents - {(event.purpose, event.partner_category)})
    if isinstance(event, CounsellingInterviewRecorded):
        return replace(state, interviews=state.interviews + 1)
    if isinstance(event, CounsellingAttended):
        return replace(state, sessions_attended=state.sessions_attended | {event.session_id})
    if isinstance(event, ReturneeErased):
        return replace(state, erased=True)
    return state


def fold(events: Iterable[EventPayload]) -> ReturneeCase | None:
    state: ReturneeCase | None = None
    for event in events:
        state = evolve(state, event)
    return state


# --- Group counselling sessions --------------------------------------------------------------


@dataclass(frozen=True)
class HoldCounsellingSession:
    session_id: UUID
    held_on: date
    today: date
    community: Locality
    experts_present: tuple[ExpertPresence, ...]
    local_authorities_present: int
    civil_society_present: int
    participant_ids: tuple[UUID, ...]


@dataclass(frozen=True)
class SessionOutcome:
    session: CounsellingSessionHeld
    attendances: dict[UUID, CounsellingAttended] = field(default_factory=dict)


def hold_session(
    already_held: bool,
    command: HoldCounsellingSession,
    participants: Mapping[UUID, ReturneeCase | None],
) -> SessionOutcome:
    """The session's event and each participant's CounsellingAttended, with the days from
    arrival to counselling (programmes aim at about a month)."""
    if already_held:
        raise RuleViolation("session_already_recorded", "This session is already recorded.")
    problems = _not_after_today("held_on", command.held_on, command.today)
    seen: set[UUID] = set()
    for index, returnee_id in enumerate(command.participant_ids):
        where = f"participant_ids.{index}"
        if returnee_id in seen:
            problems.append((where, "is listed twice"))
        elif participants.get(returnee_id) is None:
            problems.append((where, "no returnee with this id is registered in this office"))
        seen.add(returnee_id)
    _reject_if(problems)
    cases = [c for c in (participants[i] for i in command.participant_ids) if c is not None]
    early = [c.returnee_id for c in cases if command.held_on < c.arrival_date]
    if early:
        raise RuleViolation(
            "counselling_before_arrival",
            "A counselling session cannot be dated before a participant's arrival.",
            returnee_ids=sorted(str(i) for i in early),
        )
    session = CounsellingSessionHeld(
        session_id=command.session_id,
        held_on=command.held_on,
        community=command.community,
        experts_present=list(command.experts_present),
        local_authorities_present=command.local_authorities_present,
        civil_society_present=command.civil_society_present,
        participant_ids=list(command.participant_ids),
    )
    attendances = {
        c.returnee_id: CounsellingAttended(
            returnee_id=c.returnee_id,
            session_id=command.session_id,
            attended_on=command.held_on,
            days_since_arrival=(command.held_on - c.arrival_date).days,
        )
        for c in cases
    }
    return SessionOutcome(session, attendances)
