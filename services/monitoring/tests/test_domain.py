"""Follow-up rules as tables: given events -> command -> expected events or the rule refused."""

from dataclasses import replace
from datetime import date, timedelta
from functools import reduce
from uuid import UUID, uuid4

import pytest
from monitoring_builders import scheduled, visit

from monitoring import domain
from monitoring.scoring import programme_configs
from reintegration_contracts.events.monitoring import (
    FollowUpRecorded,
    FollowUpScheduleConfigured,
    FollowUpsScheduled,
    IncomeBand,
    SustainabilityScored,
)
from reintegration_contracts.registry import EventPayload
from reintegration_sdk.errors import InvalidField, RuleViolation

pytestmark = pytest.mark.unit

RETURNEE = UUID("00000000-0000-4000-8000-000000000001")
ORDER = UUID("00000000-0000-4000-8000-0000000000aa")
VISIT = UUID("00000000-0000-4000-8000-0000000000bb")
DELIVERED = date(2024, 1, 10)
TODAY = date(2024, 6, 1)
DUE = [DELIVERED + timedelta(days=n) for n in domain.DEFAULT_OFFSETS_DAYS]
KIT = scheduled(RETURNEE, ORDER, DELIVERED, DUE)

A_VISIT = domain.RecordFollowUp(
    visit_id=VISIT,
    returnee_id=RETURNEE,
    visited_on=date(2024, 1, 26),
    activity_running=True,
    monthly_revenue_band=IncomeBand.MEDIUM,
    monthly_profit_band=IncomeBand.LOW,
    jobs_created=1,
    support_needed=True,
    support_kinds=("working_capital",),
    satisfaction=4,
    caseworker="cw-1",
    today=TODAY,
)


def given(*events: EventPayload) -> domain.FollowUps:
    return reduce(domain.evolve, events, domain.FollowUps())


def recorded(due_on: date | None, visited_on: date = A_VISIT.visited_on) -> FollowUpRecorded:
    return FollowUpRecorded(
        visit_id=VISIT,
        returnee_id=RETURNEE,
        order_id=ORDER,
        due_on=due_on,
        visited_on=visited_on,
        activity_running=True,
        monthly_revenue_band="medium",
        monthly_profit_band="low",
        jobs_created=1,
        support_needed=True,
        support_kinds=["working_capital"],
        satisfaction=4,
        caseworker="cw-1",
    )


VISIT_CASES = [
    # (why, given events, command, expected events | error rule/field)
    ("first visit fulfils the first scheduled visit", [KIT], A_VISIT, [recorded(DUE[0])]),
    (
        "a late visit still fulfils the earliest open visit",
        [KIT, visit(RETURNEE, ORDER, DUE[0], date(2024, 1, 25))],
        replace(A_VISIT, visited_on=date(2024, 5, 1)),
        [recorded(DUE[1], date(2024, 5, 1))],
    ),
    (
        "once every scheduled visit is made, a visit is extra",
        [KIT, *(visit(RETURNEE, ORDER, d, d) for d in DUE)],
        replace(A_VISIT, visited_on=date(2025, 2, 1), today=date(2025, 3, 1)),
        [recorded(None, date(2025, 2, 1))],
    ),
    ("no kit, no follow-up", [], A_VISIT, "no_kit_delivered"),
    (
        "a visit dated before the delivery",
        [KIT],
        replace(A_VISIT, visited_on=date(2024, 1, 1)),
        "visit_before_delivery",
    ),
    ("the same visit twice", [KIT, recorded(DUE[0])], A_VISIT, "visit_already_recorded"),
    (
        "a visit in the future",
        [KIT],
        replace(A_VISIT, visited_on=TODAY + timedelta(days=1)),
        "visited_on",
    ),
    (
        "support needed but no kind named",
        [KIT],
        replace(A_VISIT, support_kinds=()),
        "support_kinds",
    ),
    (
        "support kinds without support needed",
        [KIT],
        replace(A_VISIT, support_needed=False),
        "support_kinds",
    ),
    (
        "profit above revenue",
        [KIT],
        replace(A_VISIT, monthly_revenue_band=IncomeBand.LOW, monthly_profit_band=IncomeBand.HIGH),
        "monthly_profit_band",
    ),
]


@pytest.mark.parametrize(
    ("why", "events", "command", "expected"), VISIT_CASES, ids=[c[0] for c in VISIT_CASES]
)
def test_recording_a_follow_up_visit(
    why: str, events: list[EventPayload], command: domain.RecordFollowUp, expected: object
) -> None:
    _check(given(*events), command, expected)


SCHEDULE = domain.ScheduleFollowUps(RETURNEE, ORDER, "tailoring", DELIVERED, (15, 30))


@pytest.mark.parametrize(
    ("why", "events", "command", "expected"),
    [
        (
            "a delivered kit schedules visits at the office's offsets",
            [],
            SCHEDULE,
            [scheduled(RETURNEE, ORDER, DELIVERED, [date(2024, 1, 25), date(2024, 2, 9)])],
        ),
        ("the same delivery seen again schedules nothing", [KIT], SCHEDULE, []),
        (
            "a second kit opens its own schedule",
            [KIT],
            replace(SCHEDULE, order_id=uuid4(), delivered_on=date(2024, 3, 1), offsets_days=(15,)),
            "second-schedule",
        ),
    ],
)
def test_scheduling_follow_ups(
    why: str, events: list[EventPayload], command: domain.ScheduleFollowUps, expected: object
) -> None:
    if expected == "second-schedule":
        [event] = domain.decide(given(*events), command)
        assert isinstance(event, FollowUpsScheduled)
        assert event.due_dates == [date(2024, 3, 16)]
        return
    _check(given(*events), command, expected)


ANSWERS = {
    "income_covers_needs": "partly",
    "activity_running": "yes",
    "debt_burden": "no_debt_or_repaying",
    "food_security": "sometimes",
    "community_participation": "sometimes",
    "support_network": "maybe",
    "access_to_services": "with_difficulty",
    "feels_accepted": "partly",
    "distress": "sometimes",
    "wish_to_remigrate": "unsure",
}
UNANSWERED = {k: v for k, v in ANSWERS.items() if k != "distress"}
SURVEY = domain.ScoreSustainability(
    survey_id=VISIT,
    returnee_id=RETURNEE,
    scored_on=date(2024, 5, 1),
    config=programme_configs()["standard"],
    answers=ANSWERS,
    today=TODAY,
)


@pytest.mark.parametrize(
    ("why", "events", "command", "expected"),
    [
        (
            "the worked example of programmes/README.md",
            [KIT],
            SURVEY,
            [
                SustainabilityScored(
                    survey_id=VISIT,
                    returnee_id=RETURNEE,
                    scored_on=date(2024, 5, 1),
                    scoring_config="standard@1",
                    economic=0.75,
                    social=0.5,
                    psychosocial=0.5,
                    composite=0.583,
                    sustainable=True,
                )
            ],
        ),
        ("no activity to score", [], SURVEY, "no_kit_delivered"),
        (
            "scored before the kit",
            [KIT],
            replace(SURVEY, scored_on=date(2024, 1, 1)),
            "survey_before_delivery",
        ),
        ("an unanswered indicator", [KIT], replace(SURVEY, answers=UNANSWERED), "answers.distress"),
        (
            "an answer off the scale",
            [KIT],
            replace(SURVEY, answers={**ANSWERS, "distress": "always"}),
            "answers.distress",
        ),
        (
            "an unknown indicator",
            [KIT],
            replace(SURVEY, answers={**ANSWERS, "mood": "good"}),
            "answers.mood",
        ),
    ],
)
def test_scoring_a_sustainability_survey(
    why: str, events: list[EventPayload], command: domain.ScoreSustainability, expected: object
) -> None:
    _check(given(*events), command, expected)


def test_a_low_composite_is_not_sustainable() -> None:
    worst = {
        indicator.id: min(indicator.scale, key=lambda a: indicator.scale[a])
        for indicator in SURVEY.config.indicators
    }
    [event] = domain.decide(given(KIT), replace(SURVEY, answers=worst))
    assert isinstance(event, SustainabilityScored)
    assert (event.composite, event.sustainable) == (0.0, False)


@pytest.mark.parametrize(
    ("offsets", "expected"),
    [
        ((15, 45), [FollowUpScheduleConfigured(offsets_days=[15, 45], configured_on=TODAY)]),
        (domain.DEFAULT_OFFSETS_DAYS, []),  # unchanged: nothing to record
        ((), "offsets_days"),
        ((30, 15), "offsets_days"),
        ((15, 15), "offsets_days"),
        ((0, 15), "offsets_days"),
        ((15, 800), "offsets_days"),
    ],
)
def test_configuring_the_office_schedule(offsets: tuple[int, ...], expected: object) -> None:
    command = domain.ConfigureSchedule(offsets, TODAY)
    if isinstance(expected, str):
        with pytest.raises(InvalidField) as refused:
            domain.decide_schedule(domain.Schedule(), command)
        assert refused.value.field == expected
    else:
        assert domain.decide_schedule(domain.Schedule(), command) == expected


def test_a_configured_schedule_replaces_the_default() -> None:
    state = domain.evolve_schedule(
        domain.Schedule(), FollowUpScheduleConfigured(offsets_days=[10, 20], configured_on=TODAY)
    )
    assert state.offsets_days == (10, 20)


def _check(state: domain.FollowUps, command: domain.Command, expected: object) -> None:
    if isinstance(expected, str):
        with pytest.raises(RuleViolation) as refused:
            domain.decide(state, command)
        error = refused.value
        assert (error.field if isinstance(error, InvalidField) else error.rule) == expected
    else:
        assert domain.decide(state, command) == expected
