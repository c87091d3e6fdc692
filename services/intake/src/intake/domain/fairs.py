"""Job fairs (networking days): the stream `job-fair-<id>`, recorded once, with the returnees
present as facts. A referral made at a fair names it (cases.py checks the returnee was there).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from intake.domain.cases import ReturneeCase, not_after_today, reject_if
from reintegration_contracts.events.intake import JobFairHeld, OrganisationsPresent
from reintegration_contracts.types import Locality
from reintegration_sdk import Decider, RuleViolation

JobFair = JobFairHeld | None


def fair_stream(fair_id: UUID) -> str:
    return f"job-fair-{fair_id}"


@dataclass(frozen=True)
class HoldJobFair:
    fair_id: UUID
    held_on: date
    today: date
    locality: Locality
    organisations: tuple[OrganisationsPresent, ...]
    participant_ids: tuple[UUID, ...]
    young_people_present: int
    # Each participant's case in this office (None: no such returnee here): the handler's facts.
    participants: Mapping[UUID, ReturneeCase | None] = field(default_factory=dict)


def decide(held: JobFair, command: HoldJobFair) -> list[JobFairHeld]:
    if held is not None:
        raise RuleViolation("job_fair_already_recorded", "This job fair is already recorded.")
    problems = not_after_today("held_on", command.held_on, command.today)
    kinds = [o.kind for o in command.organisations]
    for index, kind in enumerate(kinds):
        if kind in kinds[:index]:
            problems.append((f"organisations.{index}.kind", "is listed twice"))
    seen: set[UUID] = set()
    for index, returnee_id in enumerate(command.participant_ids):
        where = f"participant_ids.{index}"
        case = command.participants.get(returnee_id)
        if returnee_id in seen:
            problems.append((where, "is listed twice"))
        elif case is None:
            problems.append((where, "no returnee with this id is registered in this office"))
        elif command.held_on < case.arrival_date:
            problems.append((where, f"arrived on {case.arrival_date}, after the fair"))
        seen.add(returnee_id)
    reject_if(problems)
    return [
        JobFairHeld(
            fair_id=command.fair_id,
            held_on=command.held_on,
            locality=command.locality,
            organisations=list(command.organisations),
            participant_ids=list(command.participant_ids),
            young_people_present=command.young_people_present,
        )
    ]


def evolve(held: JobFair, event: JobFairHeld) -> JobFair:
    return held or event


job_fairs: Decider[JobFair, HoldJobFair, JobFairHeld] = Decider(
    initial=None, evolve=evolve, decide=decide
)
