"""An office's programme configuration: command -> event or the rule that refuses it."""

import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from programme_builders import mali, shipped

from programme.domain import ConfigureProgramme, Settings, decider
from reintegration_contracts.events.programme import ProgrammeConfigured
from reintegration_sdk import InvalidFields, RuleViolation

pytestmark = pytest.mark.unit

TODAY = date(2026, 3, 2)


def configure(on: date = TODAY, **changes: Any) -> ConfigureProgramme:
    return ConfigureProgramme(Settings.model_validate(mali(**changes)), on, TODAY)


def configured(version: int, on: date = TODAY, **changes: Any) -> ProgrammeConfigured:
    return ProgrammeConfigured(version=version, configured_on=on, **mali(**changes))


@pytest.mark.parametrize("office", ["bf", "ml"])
def test_the_shipped_configurations_are_accepted_as_a_first_version(office: str) -> None:
    command = ConfigureProgramme(Settings.model_validate(shipped(office)), TODAY, TODAY)
    [event] = decider.given([], command)
    assert event == ProgrammeConfigured(version=1, configured_on=TODAY, **shipped(office))


def test_a_new_configuration_replaces_the_whole_one_in_force_as_the_next_version() -> None:
    certification = {"pass_mark": 60, "attendance_threshold_percent": 75}
    assert decider.given([configured(1)], configure(certification=certification)) == [
        configured(2, certification=certification)
    ]


def test_the_configuration_in_force_set_again_records_nothing() -> None:
    assert decider.given([configured(1)], configure()) == []


FIVE_HUNDRED_A_DAY = {
    "daily_amount": 500,
    "currency": "XOF",
    "legal_minimum_monthly_wage": 40000,
    "working_days_per_month": 22,
}
AT_THE_MINIMUM = {**FIVE_HUNDRED_A_DAY, "daily_amount": 2000, "working_days_per_month": 20}


@pytest.mark.parametrize(
    ("given", "command", "rule"),
    [
        pytest.param(
            [],
            configure(allowance=FIVE_HUNDRED_A_DAY),
            "allowance_not_above_minimum_wage",
            id="500-a-day-is-11000-a-month",
        ),
        pytest.param(
            [],
            configure(allowance=AT_THE_MINIMUM),
            "allowance_not_above_minimum_wage",
            id="at-the-minimum-is-not-above-it",
        ),
        pytest.param([], configure(on=date(2026, 3, 3)), "dated_in_the_future", id="future"),
        pytest.param(
            [configured(1)],
            configure(on=date(2026, 3, 1), courses_leading_to_kit=[]),
            "configuration_out_of_order",
            id="before-the-one-in-force",
        ),
    ],
)
def test_rules_of_a_configuration(
    given: list[ProgrammeConfigured], command: ConfigureProgramme, rule: str
) -> None:
    with pytest.raises(RuleViolation) as refused:
        decider.given(given, command)
    assert not isinstance(refused.value, InvalidFields)
    assert refused.value.rule == rule


def test_every_inconsistent_field_is_named_at_once() -> None:
    command = configure(
        counselling_steps=["individual_interview", "individual_interview"],
        support_offered=["vocational_training"],
        daycare={"offered": True, "sexes": []},
        eligibility=[{"support": "cash_grant", "vulnerabilities": ["single_parent"]}],
    )
    with pytest.raises(InvalidFields) as refused:
        decider.given([], command)
    assert [field for field, _ in refused.value.problems] == [
        "counselling_steps",
        "courses_leading_to_kit",
        "assessment_leads_to_kit",
        "daycare.sexes",
        "eligibility.0.support",
    ]
