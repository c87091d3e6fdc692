"""Centres: given events -> command -> events or the rule that refuses it."""

from datetime import date
from uuid import uuid4

import pytest

from reintegration_contracts import EventPayload
from reintegration_contracts.events.training import (
    TrainingCentreContracted,
    TrainingCentreInspected,
    TrainingCentreRegistered,
)
from reintegration_sdk import InvalidField, NotFound, RuleViolation
from training.domain.centres import (
    Centre,
    CentreCommand,
    RecordContract,
    RecordInspection,
    RegisterCentre,
    decider,
)

pytestmark = pytest.mark.unit

CENTRE = uuid4()
REGISTERED = TrainingCentreRegistered(
    centre_id=CENTRE, name="CFP Tenkodogo", city="Tenkodogo", trades=["welding"], capacity=30
)


def inspected(passed: bool = True) -> TrainingCentreInspected:
    return TrainingCentreInspected(
        centre_id=CENTRE,
        inspected_on=date(2025, 1, 10),
        equipment_adequate=passed,
        trainers_qualified=True,
        passed=passed,
    )


CONTRACTED = TrainingCentreContracted(
    centre_id=CENTRE,
    contract_reference="C-2025-01",
    valid_from=date(2025, 2, 1),
    valid_until=date(2025, 12, 31),
)


def given(*events: EventPayload) -> Centre:
    return decider.fold(events)


@pytest.mark.parametrize(
    ("history", "command", "expected"),
    [
        pytest.param(
            [],
            RegisterCentre(CENTRE, "CFP Tenkodogo", "Tenkodogo", ("welding", "welding"), 30),
            [REGISTERED],
            id="a registered centre lists each trade once",
        ),
        pytest.param(
            [REGISTERED],
            RecordInspection(date(2025, 1, 10), equipment_adequate=True, trainers_qualified=True),
            [inspected(passed=True)],
            id="inspection passes with equipment and qualified trainers",
        ),
        pytest.param(
            [REGISTERED],
            RecordInspection(date(2025, 1, 10), equipment_adequate=False, trainers_qualified=True),
            [inspected(passed=False)],
            id="inspection fails without adequate equipment",
        ),
        pytest.param(
            [REGISTERED, inspected()],
            RecordContract("C-2025-01", date(2025, 2, 1), date(2025, 12, 31)),
            [CONTRACTED],
            id="an inspected centre is contracted",
        ),
    ],
)
def test_decisions(
    history: list[EventPayload], command: CentreCommand, expected: list[EventPayload]
) -> None:
    assert decider.given(history, command) == expected


@pytest.mark.parametrize(
    ("history", "command", "rule"),
    [
        pytest.param(
            [REGISTERED],
            RegisterCentre(CENTRE, "x", "y", ("welding",), 1),
            "centre_already_registered",
            id="registered twice",
        ),
        pytest.param(
            [REGISTERED],
            RecordContract("C-1", date(2025, 2, 1), date(2025, 3, 1)),
            "centre_not_inspected",
            id="contract before any inspection",
        ),
        pytest.param(
            [REGISTERED, inspected(passed=False)],
            RecordContract("C-1", date(2025, 2, 1), date(2025, 3, 1)),
            "centre_not_inspected",
            id="contract after a failed inspection",
        ),
        pytest.param(
            [REGISTERED, inspected()],
            RecordContract("C-1", date(2025, 3, 1), date(2025, 2, 1)),
            "invalid_field",
            id="contract ends before it starts",
        ),
    ],
)
def test_refusals(history: list[EventPayload], command: CentreCommand, rule: str) -> None:
    with pytest.raises(RuleViolation) as refused:
        decider.given(history, command)
    assert refused.value.rule == rule


def test_a_contract_ending_before_it_starts_names_the_field() -> None:
    with pytest.raises(InvalidField) as refused:
        decider.given(
            [REGISTERED, inspected()], RecordContract("C", date(2025, 3, 1), date(2025, 2, 1))
        )
    assert refused.value.field == "valid_until"


def test_an_unknown_centre_is_not_found() -> None:
    with pytest.raises(NotFound):
        decider.given([], RecordInspection(date(2025, 1, 1), True, True))


@pytest.mark.parametrize(
    ("history", "first_day", "last_day", "refusal"),
    [
        ([REGISTERED, inspected(), CONTRACTED], date(2025, 2, 1), date(2025, 12, 31), None),
        ([REGISTERED, CONTRACTED], date(2025, 3, 1), date(2025, 3, 5), "centre_not_inspected"),
        (
            [REGISTERED, inspected(), CONTRACTED, inspected(passed=False)],
            date(2025, 3, 1),
            date(2025, 3, 5),
            "centre_not_inspected",
        ),
        ([REGISTERED, inspected()], date(2025, 3, 1), date(2025, 3, 5), "centre_not_contracted"),
        (
            [REGISTERED, inspected(), CONTRACTED],
            date(2025, 12, 20),
            date(2026, 1, 10),
            "centre_not_contracted",
        ),
    ],
    ids=[
        "contracted and inspected",
        "never inspected",
        "failed its latest inspection",
        "never contracted",
        "contract ends before the last day",
    ],
)
def test_which_centres_take_trainees(
    history: list[EventPayload], first_day: date, last_day: date, refusal: str | None
) -> None:
    found = given(*history).refusal(first_day, last_day)
    assert (found.rule if found else None) == refusal
