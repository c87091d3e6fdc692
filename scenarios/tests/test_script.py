"""The script a scenario becomes: calibrated counts, the field's rules, determinism."""

from collections import Counter
from datetime import date

import pytest
import yaml
from pydantic import ValidationError

from reintegration_scenarios import report, scenario, script
from reintegration_scenarios.script import Fate, FunnelRow

pytestmark = pytest.mark.unit

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def burkina_faso() -> script.Script:
    return script.build(scenario.load("burkina-faso"), TODAY)


def stage(funnel: list[FunnelRow], name: str) -> FunnelRow:
    return next(row for row in funnel if row.stage == name)


def test_the_bundled_burkina_faso_programme_gives_the_reported_plan_figures(
    burkina_faso: script.Script,
) -> None:
    funnel = burkina_faso.expected_funnel()
    assert stage(funnel, "plan_submitted") == FunnelRow("plan_submitted", 441, 250)
    assert stage(funnel, "plan_reviewed") == FunnelRow("plan_reviewed", 344, 185)
    # Procurement reviews every plan it can price; the committee examines each of them.
    assert stage(funnel, "plan_examined") == FunnelRow("plan_examined", 344, 185)
    assert stage(funnel, "plan_approved") == FunnelRow("plan_approved", 147, 83)
    assert [row.stage for row in funnel] == list(script.STAGES)
    # Each stage holds no more people than the one it follows from.
    registered, counselled, trained = (stage(funnel, s).returnees for s in script.STAGES[:3])
    assert registered >= counselled >= trained >= stage(funnel, "plan_submitted").returnees


def test_the_same_scenario_gives_the_same_script() -> None:
    small = scenario.load("small")
    assert script.build(small, TODAY) == script.build(small, TODAY)


def test_plans_keep_the_rules_the_services_enforce(burkina_faso: script.Script) -> None:
    passed_on = {
        m: c.end for c in burkina_faso.cohorts if c.trade is None for m in c.members if c.passed(m)
    }
    members = [m for plan in burkina_faso.plans for m in plan.members]
    assert len(members) == len(set(members)), "a returnee is in one plan at a time"
    assert burkina_faso.scenario.business_plans is not None
    unpriced = burkina_faso.scenario.business_plans.unpriced_item.item
    for plan in burkina_faso.plans:
        assert all(m in passed_on for m in plan.members), "only the trained submit plans"
        assert plan.submitted_on > max(passed_on[m] for m in plan.members)
        assert plan.submitted_on <= burkina_faso.scenario.period.end
        # Procurement settles a budget itself only when the catalogue prices every line.
        assert (unpriced in {line.item for line in plan.lines}) == (plan.fate is Fate.UNREVIEWED)
        assert all(line.specification for line in plan.lines)


def test_committees_decide_reviewed_plans_of_their_own_locality_after_submission(
    burkina_faso: script.Script,
) -> None:
    plans = burkina_faso.plans
    sessions = burkina_faso.committee_sessions
    decided = Counter(d.plan for d in burkina_faso.decisions)
    assert set(decided.values()) == {1}
    assert set(decided) == {p.key for p in plans if p.fate.decided}
    for decision in burkina_faso.decisions:
        session, plan = sessions[decision.session], plans[decision.plan]
        assert session.locality == plan.locality
        assert session.held_on >= plan.submitted_on
        assert decision.fate is plan.fate
    assert burkina_faso.scenario.committee is not None
    limit = burkina_faso.scenario.committee.plans_per_session
    assert all(1 <= len(s.plans) <= limit for s in sessions)


def test_kits_follow_approval_and_visits_follow_kits(burkina_faso: script.Script) -> None:
    approved_on = {
        d.plan: burkina_faso.committee_sessions[d.session].held_on
        for d in burkina_faso.decisions
        if d.fate.approved
    }
    assert {d.plan for d in burkina_faso.deliveries} == set(approved_on)
    delivered_on = {}
    for delivery in burkina_faso.deliveries:
        assert delivery.delivered_on >= approved_on[delivery.plan]
        for member in burkina_faso.plans[delivery.plan].members:
            delivered_on[member] = delivery.delivered_on
    assert all(v.visited_on >= delivered_on[v.returnee] for v in burkina_faso.visits)
    assert all(s.scored_on >= delivered_on[s.returnee] for s in burkina_faso.surveys)


def test_people_are_counselled_after_arrival_in_their_own_community(
    burkina_faso: script.Script,
) -> None:
    returnees = burkina_faso.returnees
    for session in burkina_faso.counselling:
        for key in session.participants:
            assert returnees[key].locality == session.locality
            assert session.held_on >= returnees[key].arrival
    assert len({r.phone for r in returnees}) == len(returnees)
    assert len({r.document for r in returnees}) == len(returnees)


def test_nothing_is_dated_after_today() -> None:
    today = date(2018, 12, 1)  # the programme is still running
    early = script.build(scenario.load("burkina-faso"), today)
    dated = [
        *(s.held_on for s in early.counselling),
        *(c.end for c in early.cohorts),
        *(p.submitted_on for p in early.plans),
        *(s.held_on for s in early.committee_sessions),
        *(d.delivered_on for d in early.deliveries),
        *(v.visited_on for v in early.visits),
        *(s.scored_on for s in early.surveys),
    ]
    assert max(dated) <= today
    full = script.build(scenario.load("burkina-faso"), TODAY)
    assert len(early.visits) < len(full.visits)


def test_commands_counts_what_the_runner_sends(burkina_faso: script.Script) -> None:
    s = burkina_faso.scenario
    registrations = len(burkina_faso.returnees) * (1 + len(s.counselling.consents))
    assert burkina_faso.commands > registrations + len(burkina_faso.plans)


def write(tmp_path: object, data: dict[str, object]) -> str:
    path = tmp_path / "scenario.yaml"  # type: ignore[operator]
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return str(path)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["business_plans"]["stages"]["reviewed"].update(plans=300),
            "each plan stage is a subset of the one before",
        ),
        (
            lambda d: d["training"]["entrepreneurship"].update(failing=100),
            "only 370 pass the entrepreneurship training",
        ),
        (
            lambda d: d["business_plans"]["trades"]["welding"]["budget"][0].update(item="anvil"),
            "the catalogue does not price ['anvil']",
        ),
        (lambda d: d["period"].update(end="2017-01-01"), "period.end must be after period.start"),
    ],
)
def test_an_inconsistent_scenario_is_refused_with_the_reason(
    tmp_path: object, change: object, message: str
) -> None:
    data = yaml.safe_load(scenario.BUNDLED.joinpath("burkina-faso.yaml").read_text())
    change(data)  # type: ignore[operator]
    with pytest.raises(ValidationError, match=message.replace("[", r"\[").replace("]", r"\]")):
        scenario.load(write(tmp_path, data))


def test_an_unknown_scenario_names_the_bundled_ones() -> None:
    with pytest.raises(FileNotFoundError, match="burkina-faso"):
        scenario.load("atlantis")


def test_the_funnel_table_marks_rows_that_differ() -> None:
    expected = [FunnelRow("registered", 10, None), FunnelRow("plan_submitted", 4, 2)]
    observed = [FunnelRow("registered", 10, None), FunnelRow("plan_submitted", 3, 2)]
    lines = report.funnel_table(observed, expected).splitlines()
    assert lines[0].split() == ["Stage", "Returnees", "Plans", "Expected"]
    assert lines[2].split() == ["Registered", "10", "10", "ok"]
    assert lines[3].split() == ["Plan", "submitted", "3", "2", "4", "/", "2", "DIFFERS"]


def test_percentile_is_nearest_rank() -> None:
    assert report.percentile([], 0.99) == 0.0
    assert report.percentile([float(i) for i in range(1, 101)], 0.5) == 51.0
    assert report.percentile([0.1, 0.2, 5.0], 0.99) == 5.0


@pytest.fixture(scope="module")
def mali() -> script.Script:
    return script.build(scenario.load("mali"), TODAY)


def test_the_bundled_mali_programme_gives_the_reported_figures(mali: script.Script) -> None:
    s = mali.scenario
    assert len(s.training.centres) == 12
    passed = Counter(c.trade for c in mali.cohorts for m in c.members if c.passed(m))
    assert passed == {
        "business_management": 150,
        "tailoring": 127,
        "masonry": 96,
        "tiling": 92,
        "welding": 74,
        "plumbing": 55,
        "carpentry": 27,
        "livestock_fattening": 381,
        "driving": 203,
    }
    assert len(mali.certified_kits) == 577
    funnel = mali.expected_funnel()
    assert stage(funnel, "certified").returnees == 1205
    assert stage(funnel, "kit_delivered").returnees == 577
    assert all(stage(funnel, s) == FunnelRow(s, 0, 0) for s in script.PLAN_STAGES)
    # Every contracted centre teaches: cohorts go to the centres of their trade in turn.
    assert {c.centre for c in mali.cohorts} == set(range(12))


def test_mali_counsels_by_interview_and_kits_follow_certification(mali: script.Script) -> None:
    assert mali.counselling == []
    counselled = [r for r in mali.returnees if r.interviewed_on]
    assert len(counselled) == len(mali.returnees) - mali.scenario.counselling.no_show
    assert all(r.interviewed_on and r.interviewed_on >= r.arrival for r in counselled)
    trainees = {m: c for c in mali.cohorts for m in c.members}
    for m, cohort in trainees.items():
        interviewed_on = mali.returnees[m].interviewed_on
        assert interviewed_on is not None and interviewed_on < cohort.enrolled_on
    business_management = {
        m
        for c in mali.cohorts
        if c.trade == "business_management"
        for m in c.members
        if c.passed(m)
    }
    kits = {k.returnee: k for k in mali.certified_kits}
    assert business_management <= set(kits), "every business-management graduate gets a kit"
    for returnee, kit in kits.items():
        cohort = trainees[returnee]
        assert cohort.passed(returnee) and cohort.trade == kit.trade
        assert cohort.end == kit.certified_on <= kit.ordered_on <= kit.delivered_on <= TODAY


def test_mali_day_care_is_for_mothers_and_the_allowance_exceeds_the_minimum_wage(
    mali: script.Script,
) -> None:
    granted = [m for c in mali.cohorts for m in c.daycare]
    assert granted, "some mothers get day-care"
    assert all(mali.returnees[m].sex.value == "female" for m in granted)
    configuration = scenario.programme_configuration("ml")
    allowance = configuration["allowance"]
    monthly = mali.scenario.training.daily_allowance * allowance["working_days_per_month"]
    assert monthly > allowance["legal_minimum_monthly_wage"]
    # The scenario plays the programme it ships with.
    assert mali.scenario.kits.straight_after == configuration["courses_leading_to_kit"]
    assert configuration["counselling_steps"] == [mali.scenario.counselling.by]


def test_the_small_mali_programme_reaches_every_stage_but_plans() -> None:
    small = script.build(scenario.load("mali-small"), TODAY)
    funnel = {row.stage: row for row in small.expected_funnel()}
    for name in script.STAGES:
        if name in script.PLAN_STAGES:
            assert funnel[name].returnees == 0
        else:
            assert funnel[name].returnees > 0, name
    assert any(c.daycare for c in small.cohorts)
    trainees = sum(len(c.members) for c in small.cohorts)
    assert trainees > funnel["trained"].returnees == funnel["certified"].returnees  # some fail
