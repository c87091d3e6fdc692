"""The desk's rules, pure: a returnee's home visits, one stream per returnee."""

from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID

from reintegration_sdk import Decider, InvalidFields, RuleViolation
from visits_desk.contract import HomeVisitRecorded, VisitOutcome, VisitPurpose


def visits_stream(returnee_id: UUID) -> str:
    return f"home-visits-{returnee_id}"


@dataclass(frozen=True)
class Visits:
    visit_ids: frozenset[UUID] = frozenset()
    last_visited_on: date | None = None


@dataclass(frozen=True)
class RecordVisit:
    visit_id: UUID
    returnee_id: UUID
    visited_on: date
    purpose: VisitPurpose
    outcome: VisitOutcome
    referral_needed: bool
    today: date
    # Gathered by the handler from what intake published: None if the office never
    # registered this returnee.
    arrival_date: date | None = None


def decide(state: Visits, command: RecordVisit) -> list[HomeVisitRecorded]:
    if command.arrival_date is None:
        raise RuleViolation(
            "returnee_not_registered", "This office has not registered this returnee."
        )
    problems = []
    if command.visited_on > command.today:
        problems.append(("visited_on", "cannot be in the future"))
    if command.visited_on < command.arrival_date:
        problems.append(("visited_on", f"is before the arrival on {command.arrival_date}"))
    if command.outcome is VisitOutcome.NOT_AT_HOME and command.referral_needed:
        problems.append(("referral_needed", "no referral from a visit that found no one"))
    if problems:
        raise InvalidFields(problems)
    if command.visit_id in state.visit_ids:
        raise RuleViolation("visit_already_recorded", "This visit is already recorded.")
    return [
        HomeVisitRecorded(
            visit_id=command.visit_id,
            returnee_id=command.returnee_id,
            visited_on=command.visited_on,
            purpose=command.purpose,
            outcome=command.outcome,
            referral_needed=command.referral_needed,
        )
    ]


def evolve(state: Visits, event: HomeVisitRecorded) -> Visits:
    last = max(filter(None, (state.last_visited_on, event.visited_on)))
    return replace(state, visit_ids=state.visit_ids | {event.visit_id}, last_visited_on=last)


home_visits = Decider(initial=Visits(), evolve=evolve, decide=decide)
