"""Skills assessment and the office's daily allowance: command -> events or refusal."""

from datetime import date
from uuid import uuid4

import pytest

from reintegration_contracts.events.training import (
    CertificationRoute,
    DailyAllowanceSet,
    SkillAssessed,
    SkillCertified,
    SkillLevel,
)
from reintegration_sdk import InvalidFields, RuleViolation
from training.domain import allowances
from training.domain.allowances import DailyRate, OfficeRates, SetDailyAllowance, rate_on
from training.domain.assessments import AssessSkill, Skills, decider, skills_stream
from training.domain.centres import Centre

pytestmark = pytest.mark.unit

MOUSSA = uuid4()
CENTRE_ID = uuid4()
DAY = date(2025, 4, 7)
CENTRE = Centre(CENTRE_ID, frozenset({"tailoring"}), 15, True, date(2025, 1, 1), date(2025, 12, 31))


def assess(**changes: object) -> AssessSkill:
    values: dict[str, object] = {
        "returnee_id": MOUSSA,
        "trade": "tailoring",
        "centre_id": CENTRE_ID,
        "centre": CENTRE,
        "assessed_on": DAY,
        "certified": True,
        "level": SkillLevel.ADVANCED,
        "already_certified": frozenset(),
        "registered": True,
    }
    return AssessSkill(**{**values, **changes})  # type: ignore[arg-type]


def assessed(certified: bool) -> SkillAssessed:
    return SkillAssessed(
        returnee_id=MOUSSA,
        trade="tailoring",
        centre_id=CENTRE_ID,
        assessed_on=DAY,
        certified=certified,
        level=SkillLevel.ADVANCED if certified else None,
        training_recommended=not certified,
    )


def test_skills_that_hold_are_certified_with_their_level() -> None:
    assert decider.given([], assess()) == [
        assessed(certified=True),
        SkillCertified(
            returnee_id=MOUSSA,
            trade="tailoring",
            level=SkillLevel.ADVANCED,
            route=CertificationRoute.ASSESSMENT,
            centre_id=CENTRE_ID,
            certified_on=DAY,
        ),
    ]


def test_skills_that_fall_short_certify_nothing_and_training_is_offered() -> None:
    events = decider.given([], assess(certified=False, level=None))
    assert events == [assessed(certified=False)]
    assert not any(isinstance(event, SkillCertified) for event in events)


@pytest.mark.parametrize(
    ("command", "rule"),
    [
        (assess(trade="welding"), "centre_does_not_offer_trade"),
        (assess(centre=Centre(CENTRE_ID, frozenset({"tailoring"}), 15)), "centre_not_inspected"),
        (assess(assessed_on=date(2026, 1, 5)), "centre_not_contracted"),
        (assess(already_certified=frozenset({"tailoring"})), "already_certified"),
    ],
    ids=["trade not taught there", "uninspected centre", "outside the contract", "certified"],
)
def test_refusals(command: AssessSkill, rule: str) -> None:
    with pytest.raises(RuleViolation) as refused:
        decider.given([], command)
    assert refused.value.rule == rule


def test_a_trade_this_stream_certified_is_not_assessed_again() -> None:
    # The read model may not have caught up on another replica; the stream itself knows.
    history = decider.decide(Skills(), assess())
    with pytest.raises(RuleViolation) as refused:
        decider.given(history, assess(assessed_on=date(2025, 5, 2)))
    assert refused.value.rule == "already_certified"
    assert decider.fold(history) == Skills(certified=frozenset({"tailoring"}))


@pytest.mark.parametrize(
    ("command", "field"),
    [
        (assess(level=None), "level"),
        (assess(certified=False), "level"),
        (assess(centre=Centre()), "centre_id"),
    ],
    ids=["certified without level", "level without certificate", "unknown centre"],
)
def test_bad_input_names_the_field(command: AssessSkill, field: str) -> None:
    with pytest.raises(InvalidFields) as refused:
        decider.given([], command)
    # Exactly this field is named: a good one is never blamed beside it.
    assert [named for named, _ in refused.value.problems] == [field]


def test_every_bad_field_is_named_at_once() -> None:
    with pytest.raises(InvalidFields) as refused:
        decider.given([], assess(centre=Centre(), level=None))
    assert refused.value.problems == [
        ("centre_id", "no training centre of this office has this id"),
        ("level", "a certified skill has a level"),
    ]


def test_each_office_keeps_its_own_skills_stream_of_a_returnee() -> None:
    assert skills_stream("bf", MOUSSA) != skills_stream("ml", MOUSSA)


JAN = DailyRate(2600, "XOF", date(2025, 1, 1))
JUL = DailyRate(2800, "XOF", date(2025, 7, 1))


@pytest.mark.parametrize(
    ("office", "rates", "day", "expected"),
    [
        ("bf", [], DAY, DailyRate(2500, "XOF")),
        ("ml", [], DAY, None),
        ("bf", [JAN, JUL], date(2025, 6, 30), JAN),
        ("bf", [JUL, JAN], date(2025, 7, 1), JUL),
        ("ml", [JUL], date(2025, 6, 30), None),
    ],
    ids=[
        "office default",
        "no default",
        "rate in force",
        "newest in force",
        "before the first set",
    ],
)
def test_the_rate_in_force_on_a_day(
    office: str, rates: list[DailyRate], day: date, expected: DailyRate | None
) -> None:
    assert rate_on(office, rates, day) == expected


def rate_set(rate: DailyRate) -> DailyAllowanceSet:
    return DailyAllowanceSet(
        daily_amount=rate.daily_amount, currency=rate.currency, effective_from=rate.effective_from
    )


def test_a_new_rate_looks_forward_from_the_latest() -> None:
    history = [rate_set(JAN), rate_set(JUL)]
    command = SetDailyAllowance(2900, "XOF", date(2025, 9, 1))
    assert allowances.decider.given(history, command) == [
        DailyAllowanceSet(daily_amount=2900, currency="XOF", effective_from=date(2025, 9, 1))
    ]
    with pytest.raises(RuleViolation) as refused:
        allowances.decider.given(history, SetDailyAllowance(2900, "XOF", date(2025, 7, 1)))
    assert refused.value.rule == "allowance_rate_out_of_order"


def test_the_first_rate_may_take_effect_on_any_day() -> None:
    assert allowances.decider.given([], SetDailyAllowance(2600, "XOF", date(2025, 1, 1))) == [
        rate_set(JAN)
    ]


def test_rates_fold_from_events() -> None:
    assert allowances.decider.fold([rate_set(JAN), rate_set(JUL)]) == (JAN, JUL)


@pytest.mark.parametrize(
    ("rates", "day", "expected"),
    [
        (OfficeRates("bf"), DAY, DailyRate(2500, "XOF")),
        (OfficeRates("bf", (JAN,)), DAY, JAN),
        (OfficeRates("ml"), DAY, None),
        (OfficeRates("ml", (JUL,)), date(2025, 7, 1), JUL),
    ],
    ids=["default behind no rate", "set rate over the default", "nothing set", "set that day"],
)
def test_an_offices_rates_on_a_day(rates: OfficeRates, day: date, expected: DailyRate) -> None:
    assert rates.on(day) == expected
