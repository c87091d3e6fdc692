"""Committee sessions: one stream per session, recorded once, quorate or refused.

The selection committee (local authorities, civil society, technical experts) meets in a
locality; a session without a local authority and a technical expert, or with fewer than three
members, cannot decide anything.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from reintegration_contracts.events.committee import (
    CommitteeSeat,
    CommitteeSessionHeld,
    MemberRole,
)
from reintegration_contracts.types import Locality
from reintegration_sdk import Decider, InvalidField, RuleViolation

MIN_SESSION_MEMBERS = 3
REQUIRED_SEATS = (MemberRole.LOCAL_AUTHORITY, MemberRole.TECHNICAL_EXPERT)

# A session's stream holds its one CommitteeSessionHeld, or nothing yet.
Session = CommitteeSessionHeld | None


def session_stream(session_id: UUID) -> str:
    return f"committee-session-{session_id}"


@dataclass(frozen=True)
class HoldSession:
    session_id: UUID
    locality: Locality
    held_on: date
    members: tuple[CommitteeSeat, ...]
    today: date


def decide(held: Session, command: HoldSession) -> list[CommitteeSessionHeld]:
    if held is not None:
        raise RuleViolation("session_already_held", "This committee session is already recorded.")
    if command.held_on > command.today:
        raise InvalidField("held_on", "is in the future")
    ensure_quorate(command.members)
    return [
        CommitteeSessionHeld(
            session_id=command.session_id,
            locality=command.locality,
            held_on=command.held_on,
            members=list(command.members),
        )
    ]


def evolve(held: Session, event: CommitteeSessionHeld) -> Session:
    return held or event


sessions = Decider[Session, HoldSession, CommitteeSessionHeld](
    initial=None, evolve=evolve, decide=decide
)


def is_quorate(members: Sequence[CommitteeSeat]) -> bool:
    roles = {member.role for member in members}
    return len(members) >= MIN_SESSION_MEMBERS and all(seat in roles for seat in REQUIRED_SEATS)


def ensure_quorate(members: Sequence[CommitteeSeat]) -> None:
    if not is_quorate(members):
        raise RuleViolation(
            "session_not_quorate",
            f"A committee session has at least {MIN_SESSION_MEMBERS} members, including a local "
            "authority and a technical expert.",
        )
