"""Psychosocial sessions, individual or group: the stream `psychosocial-session-<id>`, recorded
once, with the participants' registrations as facts (returnees or community members of the
office). What was said stays in the vault; the event names who took part and who led it.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from intake.domain.cases import not_after_today, reject_if
from reintegration_contracts.events.intake import (
    Facilitator,
    PsychosocialSessionHeld,
    PsychosocialSessionKind,
)
from reintegration_contracts.types import Locality
from reintegration_sdk import Decider, RuleViolation

PsychosocialSession = PsychosocialSessionHeld | None


def psychosocial_stream(session_id: UUID) -> str:
    return f"psychosocial-session-{session_id}"


@dataclass(frozen=True)
class Participant:
    """A person registered in the office: a returnee (with an arrival date) or a community
    member (who never left: no arrival to be before)."""

    arrival_date: date | None = None
    erased: bool = False  # a returnee whose personal data was erased on request


@dataclass(frozen=True)
class HoldPsychosocialSession:
    session_id: UUID
    kind: PsychosocialSessionKind
    held_on: date
    today: date
    community: Locality
    facilitator: Facilitator
    participant_ids: tuple[UUID, ...]
    notes: str | None = None  # what was said: vault only
    # Each participant registered in this office (None: no such person here): the handler's facts.
    participants: Mapping[UUID, Participant | None] = field(default_factory=dict)


def decide(
    held: PsychosocialSession, command: HoldPsychosocialSession
) -> list[PsychosocialSessionHeld]:
    if held is not None:
        raise RuleViolation("session_already_recorded", "This session is already recorded.")
    problems = not_after_today("held_on", command.held_on, command.today)
    count = len(set(command.participant_ids))
    if command.kind is PsychosocialSessionKind.INDIVIDUAL and count != 1:
        problems.append(("participant_ids", "an individual session has exactly one participant"))
    if command.kind is PsychosocialSessionKind.GROUP and count < 2:
        problems.append(("participant_ids", "a group session has at least two participants"))
    seen: set[UUID] = set()
    for index, person_id in enumerate(command.participant_ids):
        where = f"participant_ids.{index}"
        participant = command.participants.get(person_id)
        if person_id in seen:
            problems.append((where, "is listed twice"))
        elif participant is None:
            problems.append(
                (where, "no returnee or community member with this id is registered here")
            )
        elif participant.arrival_date and command.held_on < participant.arrival_date:
            problems.append((where, f"arrived on {participant.arrival_date}, after the session"))
        seen.add(person_id)
    reject_if(problems)
    erased = [i for i in command.participant_ids if (p := command.participants[i]) and p.erased]
    if command.notes and erased:
        # Notes are personal data of everyone present; an erased person's must not come back.
        raise RuleViolation(
            "returnee_erased",
            "This returnee's personal data was erased at their request.",
            returnee_ids=sorted(str(i) for i in erased),
        )
    return [
        PsychosocialSessionHeld(
            session_id=command.session_id,
            kind=command.kind,
            held_on=command.held_on,
            community=command.community,
            facilitator=command.facilitator,
            participant_ids=list(command.participant_ids),
        )
    ]


def evolve(held: PsychosocialSession, event: PsychosocialSessionHeld) -> PsychosocialSession:
    return held or event


psychosocial_sessions: Decider[
    PsychosocialSession, HoldPsychosocialSession, PsychosocialSessionHeld
] = Decider(initial=None, evolve=evolve, decide=decide)
