"""Community members: people of the community of return who never migrated, registered to
join a project, a course or a psychosocial session. The stream `community-member-<id>`.

Their personal data goes to the vault exactly as a returnee's (the same duplicate check, in
the same id space); the event carries the age band and minor flag at registration only.
"""

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from intake.domain.cases import OLDEST_AGE, duplicate_override, not_after_today, reject_if
from intake.domain.people import KnownPerson, PersonalData, age_on
from reintegration_contracts.events.intake import CommunityMemberRegistered, OverrideReason
from reintegration_contracts.types import Locality, Sex, Vulnerability, age_band_for
from reintegration_sdk import Decider, RuleViolation

# A member's stream holds their one registration, or nothing yet.
Member = CommunityMemberRegistered | None


def member_stream(member_id: UUID) -> str:
    return f"community-member-{member_id}"


@dataclass(frozen=True)
class RegisterCommunityMember:
    member_id: UUID
    registered_on: date
    today: date
    community: Locality
    sex: Sex
    person: PersonalData
    vulnerabilities: tuple[Vulnerability, ...] = ()
    sub_office: str | None = None
    people_alike: tuple[KnownPerson, ...] = ()  # the handler's facts, as for a returnee
    override_reason: OverrideReason | None = None
    override_note: str | None = None  # vault only
    caseworker: str | None = None


def decide(state: Member, command: RegisterCommunityMember) -> list[CommunityMemberRegistered]:
    if state is not None:
        raise RuleViolation("already_registered", "This community member is already registered.")
    birth_date = command.person.birth_date
    problems = not_after_today("registered_on", command.registered_on, command.today)
    if birth_date >= command.registered_on:
        problems.append(("person.birth_date", "must be before the registration date"))
    # No arrival to speak of: age, band and minor flag are those on the registration day.
    age = age_on(birth_date, command.registered_on)
    if age > OLDEST_AGE:
        problems.append(("person.birth_date", f"gives an age above {OLDEST_AGE} years"))
    if Vulnerability.UNACCOMPANIED_MINOR in command.vulnerabilities and age >= 18:
        problems.append(("vulnerabilities", "unaccompanied_minor applies only under 18"))
    reject_if(problems)
    # The override itself has no place in this event; its reason and note stay in the vault.
    duplicate_override(command.person, command.people_alike, command.override_reason)
    return [
        CommunityMemberRegistered(
            member_id=command.member_id,
            sub_office=command.sub_office,
            registered_on=command.registered_on,
            community=command.community,
            sex=command.sex,
            age_band=age_band_for(age),
            is_minor=age < 18,
            vulnerabilities=list(command.vulnerabilities),
            caseworker=command.caseworker,
        )
    ]


def evolve(state: Member, event: CommunityMemberRegistered) -> Member:
    return state or event


members: Decider[Member, RegisterCommunityMember, CommunityMemberRegistered] = Decider(
    initial=None, evolve=evolve, decide=decide
)
