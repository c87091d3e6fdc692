"""The desk's rules as a table: given the stream's events, a command yields these events, or
is refused by this rule. Pure: no database, no broker."""

from dataclasses import replace
from datetime import date
from uuid import UUID

import pytest
from visits_desk.contract import HomeVisitRecorded, VisitOutcome, VisitPurpose
from visits_desk.domain import RecordVisit, home_visits

from reintegration_sdk import InvalidFields, RuleViolation

pytestmark = pytest.mark.unit
RETURNEE = UUID("00000000-0000-0000-0000-0000000000aa")
VISIT = UUID("00000000-0000-0000-0000-000000000001")


def a_command(**changes: object) -> RecordVisit:
    command = RecordVisit(
        visit_id=VISIT,
        returnee_id=RETURNEE,
        visited_on=date(2018, 10, 2),
        purpose=VisitPurpose.PSYCHOSOCIAL,
        outcome=VisitOutcome.NEEDS_SUPPORT,
        referral_needed=True,
        today=date(2018, 10, 3),
        arrival_date=date(2018, 5, 2),
    )
    return replace(command, **changes)


def recorded(**changes: object) -> HomeVisitRecorded:
    values: dict[str, object] = {
        "visit_id": VISIT,
        "returnee_id": RETURNEE,
        "visited_on": date(2018, 10, 2),
        "purpose": VisitPurpose.PSYCHOSOCIAL,
        "outcome": VisitOutcome.NEEDS_SUPPORT,
        "referral_needed": True,
    }
    return HomeVisitRecorded.model_validate({**values, **changes})


ACCEPTED = [
    ("a first visit", [], a_command(), [recorded()]),
    (
        "a second visit, no one at home",
        [recorded()],
        a_command(visit_id=UUID(int=2), outcome=VisitOutcome.NOT_AT_HOME, referral_needed=False),
        [recorded(visit_id=UUID(int=2), outcome=VisitOutcome.NOT_AT_HOME, referral_needed=False)],
    ),
]


@pytest.mark.parametrize(("case", "given", "command", "expected"), ACCEPTED)
def test_accepted(
    case: str, given: list[HomeVisitRecorded], command: RecordVisit, expected: list[object]
) -> None:
    assert home_visits.given(given, command) == expected


REFUSED = [
    (
        "someone the office never registered",
        [],
        a_command(arrival_date=None),
        "returnee_not_registered",
    ),
    ("the same visit twice", [recorded()], a_command(), "visit_already_recorded"),
]


@pytest.mark.parametrize(("case", "given", "command", "rule"), REFUSED)
def test_refused_by_a_rule(
    case: str, given: list[HomeVisitRecorded], command: RecordVisit, rule: str
) -> None:
    with pytest.raises(RuleViolation) as refused:
        home_visits.given(given, command)
    assert refused.value.rule == rule


def test_every_wrong_field_is_named_at_once() -> None:
    command = a_command(
        visited_on=date(2019, 1, 1), outcome=VisitOutcome.NOT_AT_HOME, referral_needed=True
    )
    with pytest.raises(InvalidFields) as refused:
        home_visits.given([], command)
    assert [field for field, _ in refused.value.problems] == ["visited_on", "referral_needed"]
