"""Read models from recorded event sequences, folded in memory (no database, no broker)."""

import random
from datetime import date
from uuid import UUID, uuid4

import pytest
from monitoring_builders import (
    certified,
    completed,
    counselled,
    kit_delivered,
    meta,
    plan_approved,
    plan_reviewed,
    plan_submitted,
    registered,
    scheduled,
    scored,
    visit,
)

from monitoring.casefile import Path, ReadModel, Stage, apply
from monitoring.queries import figures as report
from monitoring.queries.figures import Dimension
from monitoring.timeline import entries_for
from reintegration_contracts.events import committee, training
from reintegration_contracts.events.intake import CaseAssigned, ReturneeErased
from reintegration_contracts.registry import EventPayload
from reintegration_contracts.types import Sex, Vulnerability
from reintegration_sdk.events import EventMeta

pytestmark = pytest.mark.unit

AMINA, BOUKARY, CLAIRE = (UUID(f"00000000-0000-4000-8000-00000000000{i}") for i in (1, 2, 3))
PLAN, ORDER = uuid4(), uuid4()


def programme() -> list[tuple[EventPayload, EventMeta]]:
    """Three returnees: two share a collective plan and a kit, the third only registered."""
    events: list[EventPayload] = [
        registered(AMINA, date(2024, 1, 5), vulnerabilities=(Vulnerability.SINGLE_PARENT,)),
        registered(BOUKARY, date(2024, 1, 20), sex=Sex.MALE, trade="welding"),
        registered(CLAIRE, date(2024, 2, 2), trade=None),
        counselled(AMINA, date(2024, 2, 4)),
        counselled(BOUKARY, date(2024, 3, 1)),
        certified(BOUKARY, date(2024, 3, 20), trade="welding"),
        plan_submitted(PLAN, [AMINA, BOUKARY], date(2024, 4, 1)),
        plan_reviewed(PLAN, date(2024, 4, 11)),
        plan_approved(PLAN, [AMINA, BOUKARY], date(2024, 5, 1)),
        kit_delivered([AMINA, BOUKARY], date(2024, 5, 21), order_id=ORDER),
        scheduled(AMINA, ORDER, date(2024, 5, 21), [date(2024, 6, 5), date(2024, 6, 20)]),
        scheduled(BOUKARY, ORDER, date(2024, 5, 21), [date(2024, 6, 5), date(2024, 6, 20)]),
        visit(AMINA, ORDER, date(2024, 6, 5), date(2024, 6, 6)),
        scored(AMINA, date(2024, 6, 6), sustainable=False),
        scored(AMINA, date(2024, 9, 1), sustainable=True),
    ]
    return [(event, meta(event)) for event in events]


def fold(events: list[tuple[EventPayload, EventMeta]]) -> ReadModel:
    model = ReadModel()
    for event, facts in events:
        apply(model, event, facts)
    return model


def test_the_funnel_counts_returnees_per_stage_and_plans_with_their_beneficiaries() -> None:
    model = fold(programme())
    funnel = {
        s.stage: (s.returnees, s.plans)
        for s in report.funnel(model.cases.values(), model.plans.values())
    }
    assert funnel == {
        Stage.REGISTERED: (3, None),
        Stage.COUNSELLED: (2, None),
        Stage.TRAINED: (0, None),
        Stage.CERTIFIED: (1, None),
        Stage.PLAN_SUBMITTED: (2, 1),
        Stage.PLAN_REVIEWED: (2, 1),
        Stage.PLAN_EXAMINED: (2, 1),
        Stage.PLAN_APPROVED: (2, 1),
        Stage.KIT_DELIVERED: (2, None),
        Stage.FOLLOWED_UP: (1, None),
        Stage.SUSTAINABLE: (1, None),  # Amina's latest survey, not her first
    }


def test_durations_give_median_and_90th_percentile_days() -> None:
    durations = {(d.start, d.end): d for d in report.durations(fold(programme()).cases.values())}
    counselling = durations[(Stage.REGISTERED, Stage.COUNSELLED)]
    # Amina 30 days, Boukary 41 days: median 35.5, p90 = 30 + 0.9 * 11
    assert (counselling.cases, counselling.median_days, counselling.p90_days) == (2, 35.5, 39.9)
    assert durations[(Stage.PLAN_SUBMITTED, Stage.PLAN_REVIEWED)].median_days == 10
    assert durations[(Stage.KIT_DELIVERED, Stage.FOLLOWED_UP)].cases == 1
    assert durations[(Stage.COUNSELLED, Stage.CERTIFIED)].median_days == 19


def test_percentile_interpolates_between_ranks() -> None:
    assert report.percentile([10], 0.9) == 10
    assert report.percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9) == pytest.approx(9.1)


def test_monthly_flows_and_breakdowns() -> None:
    cases = fold(programme()).cases.values()
    january = next(f for f in report.flows(cases) if f.month == "2024-01")
    assert january.counts[Stage.REGISTERED] == 2
    by_sex = report.breakdown(cases, Dimension.SEX)
    assert by_sex["female"][Stage.REGISTERED] == 2
    assert by_sex["male"][Stage.KIT_DELIVERED] == 1
    by_trade = report.breakdown(cases, Dimension.TRADE)
    # The kit's trade wins over what was declared at registration.
    assert by_trade["tailoring"][Stage.KIT_DELIVERED] == 2
    assert by_trade["unknown"][Stage.REGISTERED] == 1
    by_vulnerability = report.breakdown(cases, Dimension.VULNERABILITY)
    assert by_vulnerability["single_parent"][Stage.REGISTERED] == 1
    assert by_vulnerability["none"][Stage.REGISTERED] == 2
    assert report.breakdown(cases, Dimension.COMMUNE)["Tenkodogo"][Stage.REGISTERED] == 3
    per_month_trade = report.flows(cases, Dimension.TRADE)
    assert {(f.month, f.group) for f in per_month_trade if f.counts[Stage.KIT_DELIVERED]} == {
        ("2024-05", "tailoring")
    }


def test_overdue_visits_are_listed_by_caseworker() -> None:
    cases = fold(programme()).cases.values()
    overdue = report.overdue_visits(cases, today=date(2024, 6, 21))
    # Amina made her first visit; Boukary made none; both second visits are past due.
    assert sorted((v.returnee_id, v.due_on) for v in overdue) == sorted(
        [
            (str(AMINA), date(2024, 6, 20)),
            (str(BOUKARY), date(2024, 6, 5)),
            (str(BOUKARY), date(2024, 6, 20)),
        ]
    )
    assert {v.caseworker for v in overdue} == {"caseworker-1"}
    assert report.overdue_visits(cases, today=date(2024, 6, 5)) == []


def test_overdue_visits_follow_the_case_to_its_latest_caseworker_in_any_order() -> None:
    def assigned(caseworker: str, number: int) -> CaseAssigned:
        return CaseAssigned(
            returnee_id=BOUKARY, caseworker=caseworker, assigned_on=date(2024, 3, 1),
            assignment=number,
        )  # fmt: skip

    handovers = [assigned("cw-issa", 1), assigned("cw-fatim", 2)]
    events = [*programme(), *((event, meta(event, actor="office-manager")) for event in handovers)]
    for seed in range(5):
        shuffled = list(events)
        random.Random(seed).shuffle(shuffled)
        overdue = report.overdue_visits(fold(shuffled).cases.values(), today=date(2024, 6, 21))
        # Boukary's visits are Fatim's now; Amina's stay with who registered her.
        assert {(v.returnee_id, v.caseworker) for v in overdue} == {
            (str(AMINA), "caseworker-1"),
            (str(BOUKARY), "cw-fatim"),
        }


def test_the_fold_ignores_order_and_repetition() -> None:
    events = programme()
    incremental = fold(events)
    shuffled = events * 2
    random.Random(7).shuffle(shuffled)
    again = fold(shuffled)
    assert {k: v.model_dump() for k, v in again.cases.items()} == {
        k: v.model_dump() for k, v in incremental.cases.items()
    }
    assert {k: v.model_dump() for k, v in again.plans.items()} == {
        k: v.model_dump() for k, v in incremental.plans.items()
    }


def test_a_returnee_with_two_trainings_and_a_second_plan_has_one_trade_in_any_order() -> None:
    first, second = uuid4(), uuid4()
    events = [
        (event, meta(event))
        for event in [
            registered(AMINA, date(2024, 1, 5), trade="tailoring"),
            training.TrainingEnrolled(
                cohort_id=uuid4(),
                returnee_id=AMINA,
                kind="vocational",
                trade="welding",
                enrolled_on=date(2024, 2, 1),
            ),
            training.TrainingEnrolled(
                cohort_id=uuid4(),
                returnee_id=AMINA,
                kind="vocational",
                trade="masonry",
                enrolled_on=date(2024, 3, 1),
            ),
            certified(AMINA, date(2024, 2, 20), trade="welding"),
            certified(AMINA, date(2024, 3, 20), trade="masonry"),
            plan_submitted(first, [AMINA], date(2024, 4, 1), trade="tailoring"),
            committee.PlanRejected(
                plan_id=first,
                session_id=uuid4(),
                rejected_on=date(2024, 4, 20),
                reasons=["market_saturated"],
            ),
            plan_submitted(second, [AMINA], date(2024, 5, 2), trade="poultry"),
        ]
    ]
    expected = fold(events).cases[AMINA].model_dump()
    for seed in range(30):
        order = events * 2
        random.Random(seed).shuffle(order)
        assert fold(order).cases[AMINA].model_dump() == expected
    case = fold(events).cases[AMINA]
    assert case.trade == "poultry"  # the plan submitted last
    assert case.trades == {
        "declared": "tailoring",
        "training": "masonry",
        "certified": "masonry",
        "plan": "poultry",
    }


def test_erasure_keeps_the_case_for_statistics() -> None:
    events = programme()
    erasure = ReturneeErased(returnee_id=AMINA, erased_on=date(2024, 10, 1))
    model = fold([*events, (erasure, meta(erasure))])
    assert model.cases[AMINA].erased_on == date(2024, 10, 1)
    assert Stage.KIT_DELIVERED in model.cases[AMINA].stage_dates()


def test_plan_events_are_filed_under_the_plan_and_others_under_the_returnee() -> None:
    review = plan_reviewed(PLAN, date(2024, 4, 11))
    [entry] = entries_for(review, meta(review))
    assert entry.subject_id == PLAN
    assert entry.occurred_on == date(2024, 4, 11)
    delivery = kit_delivered([AMINA, BOUKARY], date(2024, 5, 21))
    assert {e.subject_id for e in entries_for(delivery, meta(delivery))} == {AMINA, BOUKARY}


def test_trained_counts_who_passed_and_completions_keep_the_failed_apart() -> None:
    bm = uuid4()
    events = [
        (e, meta(e))
        for e in [
            completed(AMINA, date(2024, 3, 1), True, "business_management", cohort_id=bm),
            completed(BOUKARY, date(2024, 3, 1), False, "business_management", cohort_id=bm),
            completed(BOUKARY, date(2024, 4, 1), True, "tailoring"),
            completed(CLAIRE, date(2024, 2, 1), False),
        ]
    ]
    model = fold(events)
    funnel = {s.stage: s.returnees for s in report.funnel(model.cases.values(), [])}
    # Claire failed her only course: she is not trained; Boukary passed his second one.
    assert funnel[Stage.TRAINED] == 2
    assert model.cases[BOUKARY].stages[Stage.TRAINED] == date(2024, 4, 1)
    assert report.completions(model.cases.values()) == [
        report.Completions("entrepreneurship", None, passed=0, failed=1),
        report.Completions("vocational", "business_management", passed=1, failed=1),
        report.Completions("vocational", "tailoring", passed=1, failed=0),
    ]
    # A completion seen twice, in any order, is one completion.
    for seed in range(10):
        order = events * 2
        random.Random(seed).shuffle(order)
        assert report.completions(fold(order).cases.values()) == report.completions(
            model.cases.values()
        )


def test_the_committee_examining_a_plan_is_a_stage_apart_from_procurements_review() -> None:
    approved, rejected, waiting = uuid4(), uuid4(), uuid4()
    events: list[EventPayload] = [
        plan_submitted(approved, [AMINA], date(2024, 4, 1)),
        plan_reviewed(approved, date(2024, 4, 5)),
        plan_approved(approved, [AMINA], date(2024, 4, 20)),
        plan_submitted(rejected, [BOUKARY], date(2024, 4, 1)),
        plan_reviewed(rejected, date(2024, 4, 6)),
        committee.PlanRejected(
            plan_id=rejected,
            session_id=uuid4(),
            rejected_on=date(2024, 4, 21),
            reasons=["market_saturated"],
        ),
        plan_submitted(waiting, [CLAIRE], date(2024, 4, 2)),
        plan_reviewed(waiting, date(2024, 4, 7)),  # reviewed, not examined yet
    ]
    model = fold([(e, meta(e)) for e in events])
    funnel = {
        s.stage: (s.returnees, s.plans)
        for s in report.funnel(model.cases.values(), model.plans.values())
    }
    assert funnel[Stage.PLAN_REVIEWED] == (3, 3)
    assert funnel[Stage.PLAN_EXAMINED] == (2, 2)
    assert funnel[Stage.PLAN_APPROVED] == (1, 1)
    assert model.plans[rejected].stages[Stage.PLAN_EXAMINED] == date(2024, 4, 21)
    labels = {s.stage: s.label for s in report.funnel([], [])}
    assert labels[Stage.PLAN_REVIEWED] == "Budget reviewed by procurement"
    assert labels[Stage.PLAN_EXAMINED] == "Examined by the committee"


def test_the_funnel_by_the_path_each_returnee_took() -> None:
    dramane, fanta = uuid4(), uuid4()
    events: list[EventPayload] = [
        registered(AMINA, date(2024, 1, 5)),
        registered(BOUKARY, date(2024, 1, 6), sex=Sex.MALE),
        registered(CLAIRE, date(2024, 1, 7)),
        registered(dramane, date(2024, 1, 8), sex=Sex.MALE),
        registered(fanta, date(2024, 1, 9)),
        *(counselled(r, date(2024, 2, 1)) for r in (AMINA, BOUKARY, CLAIRE, dramane)),
        completed(AMINA, date(2024, 3, 1), True),
        plan_submitted(PLAN, [AMINA], date(2024, 3, 10)),
        # Mali: business management passed, certified, a kit with no plan.
        completed(BOUKARY, date(2024, 3, 1), True, "business_management"),
        certified(BOUKARY, date(2024, 3, 1), trade="business_management"),
        kit_delivered([BOUKARY], date(2024, 3, 20), trade="business_management"),
        completed(CLAIRE, date(2024, 3, 1), False, "tailoring"),
    ]
    model = fold([(e, meta(e)) for e in events])
    paths = {r: case.path for r, case in model.cases.items()}
    assert paths == {
        AMINA: Path.BUSINESS_PLAN,
        BOUKARY: Path.CERTIFIED_TRADE,
        CLAIRE: Path.TRAINING,
        dramane: Path.COUNSELLING,
        fanta: Path.REGISTERED,
    }
    table = report.breakdown(model.cases.values(), Dimension.PATH)
    assert table["certified_trade"][Stage.KIT_DELIVERED] == 1
    assert table["business_plan"][Stage.PLAN_SUBMITTED] == 1
    assert table["training"][Stage.TRAINED] == 0  # she failed
    assert {path: counts[Stage.REGISTERED] for path, counts in table.items()} == dict.fromkeys(
        ["business_plan", "certified_trade", "counselling", "registered", "training"], 1
    )
