"""Group job-counselling sessions: the stream `counselling-session-<id>`, recorded once.

A session is decided on its own stream with the participants' cases as facts (gathered by the
handler); each participant's CounsellingAttended is then decided on that returnee's case
(`AttendSession` in cases.py), in the same transaction.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from intake.domain.cases import ReturneeCase, not_after_today, reject_if
from reintegration_contracts.events.intake import CounsellingSessionHeld, ExpertPresence
from reintegration_contracts.types import Locality
from reintegration_sdk import Decider, RuleViolation

# A session's stream holds its one CounsellingSessionHeld, or nothing yet.
Session = CounsellingSessionHeld | None


def session_stream(session_id: UUID) -> str:
    return f"counselling-session-{session_id}"


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
    # Each participant's case in this office (None: no such returnee here): the handler's facts.
    participants: Mapping[UUID, ReturneeCase | None] = field(default_factory=dict)


def decide(held: Session, command: HoldCounsellingSession) -> list[CounsellingSessionHeld]:
    if held is not None:
        raise RuleViolation("session_already_recorded", "This session is already recorded.")
    problems = not_after_today("held_on", command.held_on, command.today)
    seen: set[UUID] = set()
    for index, returnee_id in enumerate(command.participant_ids):
        where = f"participant_ids.{index}"
        if returnee_id in seen:
            problems.append((where, "is listed twice"))
        elif command.participants.get(returnee_id) is None:
            problems.append((where, "no returnee with this id is registered in this office"))
        seen.add(returnee_id)
    reject_if(problems)
    early = [
        returnee_id
        for returnee_id in command.participant_ids
        if (case := command.participants[returnee_id]) and command.held_on < case.arrival_date
    ]
    if early:
        raise RuleViolation(
            "counselling_before_arrival",
            "A counselling session cannot be dated before a participant's arrival.",
            returnee_ids=sorted(str(i) for i in early),
        )
    return [
        CounsellingSessionHeld(
            session_id=command.session_id,
            held_on=command.held_on,
            community=command.community,
            experts_present=list(command.experts_present),
            local_authorities_present=command.local_authorities_present,
            civil_society_present=command.civil_society_present,
            participant_ids=list(command.participant_ids),
        )
    ]


def evolve(held: Session, event: CounsellingSessionHeld) -> Session:
    return held or event


sessions: Decider[Session, HoldCounsellingSession, CounsellingSessionHeld] = Decider(
    initial=None, evolve=evolve, decide=decide
)
