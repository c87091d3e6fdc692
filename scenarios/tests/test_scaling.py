"""scaling.scaled: a bundled programme at another caseload keeps its proportions and its rules."""

from datetime import date

import pytest

from reintegration_scenarios import scenario, script
from reintegration_scenarios.scaling import scaled
from reintegration_scenarios.scenario import Scenario

pytestmark = pytest.mark.unit

TODAY = date(2026, 6, 1)


def burkina_faso() -> Scenario:
    return scenario.load("burkina-faso")


def counts(s: Scenario) -> dict[str, int]:
    assert s.business_plans is not None
    stages = s.business_plans.stages
    return {
        "returnees": s.arrivals.returnees,
        "no_show": s.counselling.no_show,
        "entrepreneurs": s.training.entrepreneurship.participants,
        "entrepreneurs_failing": s.training.entrepreneurship.failing,
        "vocational": s.training.vocational.participants,
        "vocational_failing": s.training.vocational.failing,
        **{
            f"{name}_{what}": getattr(getattr(stages, name), what)
            for name in ("submitted", "reviewed", "approved")
            for what in ("plans", "beneficiaries")
        },
    }


def test_the_same_size_is_the_same_scenario() -> None:
    assert scaled(burkina_faso(), 560) == burkina_faso()


@pytest.mark.parametrize("returnees", [1_000, 2_000, 5_600, 280, 100])
def test_every_caseload_count_grows_by_the_same_factor(returnees: int) -> None:
    original = burkina_faso()
    bigger = scaled(original, returnees)

    factor = returnees / original.arrivals.returnees
    assert bigger.arrivals.returnees == returnees
    for name, count in counts(original).items():
        # Rounded running totals: each count is off by at most one (two for a difference).
        assert abs(counts(bigger)[name] - count * factor) <= 2, name


def test_ten_times_the_returnees_is_ten_times_every_count() -> None:
    original = burkina_faso()
    assert counts(scaled(original, 5_600)) == {k: 10 * v for k, v in counts(original).items()}


def test_places_trades_prices_and_shares_do_not_change() -> None:
    original = burkina_faso()
    bigger = scaled(original, 2_000)
    assert bigger.localities == original.localities
    assert bigger.catalogue == original.catalogue
    assert bigger.business_plans and original.business_plans
    assert bigger.business_plans.trades == original.business_plans.trades
    assert bigger.arrivals.female_share == original.arrivals.female_share
    assert bigger.follow_ups == original.follow_ups
    assert "2,000 returnees" in bigger.name


@pytest.mark.parametrize("returnees", [1, 7, 16, 36, 53, 99, 1_000, 4_321])
def test_any_size_keeps_the_scenario_rules(returnees: int) -> None:
    # Scenario's validators run again on the result; the script then has to hold together.
    for name in scenario.bundled():
        smaller_or_bigger = scaled(scenario.load(name), returnees)

        played = script.build(smaller_or_bigger, TODAY)
        funnel = {row.stage: row for row in played.expected_funnel()}
        assert funnel["registered"].returnees == returnees
        if smaller_or_bigger.business_plans is None:
            # A programme without plans (Mali): none in the funnel, a kit per certified kit.
            vocational = smaller_or_bigger.training.vocational
            assert funnel["plan_submitted"].plans == funnel["plan_submitted"].returnees == 0
            assert funnel["certified"].returnees == vocational.participants - vocational.failing
            assert funnel["kit_delivered"].returnees == smaller_or_bigger.kits.certified
            continue
        stages = smaller_or_bigger.business_plans.stages
        assert funnel["plan_submitted"].plans == stages.submitted.plans
        assert funnel["plan_submitted"].returnees == stages.submitted.beneficiaries
        assert funnel["plan_reviewed"].plans == stages.reviewed.plans
        assert funnel["plan_approved"].returnees == stages.approved.beneficiaries


@pytest.mark.parametrize("returnees", [160, 800, 3_200])
def test_mali_scales_its_completions_per_trade_and_kits_alike(returnees: int) -> None:
    original = scenario.load("mali")
    other = scaled(original, returnees)

    factor = returnees / original.arrivals.returnees
    assert other.arrivals.returnees == returnees
    completions = other.training.vocational.completions
    assert list(completions) == list(original.training.vocational.completions)
    for trade, count in original.training.vocational.completions.items():
        assert abs(completions[trade] - count * factor) <= 2, trade
    assert abs(other.kits.certified - original.kits.certified * factor) <= 1
    # Every business-management graduate still gets a kit, whatever the size.
    assert other.kits.certified >= completions["business_management"]


def test_groups_never_outgrow_the_largest_plan_when_scaling_down() -> None:
    # One approved plan of two: at 16 returnees out of 36 the running totals round to no
    # approved plan but one co-beneficiary; that returnee passes without a plan instead.
    data = scenario.load("small").model_dump()
    data["business_plans"]["max_group"] = 2
    data["business_plans"]["stages"] = {
        "submitted": {"plans": 9, "beneficiaries": 16},
        "reviewed": {"plans": 7, "beneficiaries": 12},
        "approved": {"plans": 1, "beneficiaries": 2},
    }
    tight = Scenario.model_validate(data)

    for returnees in range(1, 80):
        smaller = scaled(tight, returnees)
        for plans, beneficiaries in fates(smaller):
            assert beneficiaries <= 2 * plans, returnees
        script.build(smaller, TODAY)  # its group sizes would raise otherwise


def fates(s: Scenario) -> list[tuple[int, int]]:
    """(plans, beneficiaries) approved, reviewed but not approved, submitted but not reviewed."""
    assert s.business_plans is not None
    stages = s.business_plans.stages
    return [
        (stages.approved.plans, stages.approved.beneficiaries),
        (
            stages.reviewed.plans - stages.approved.plans,
            stages.reviewed.beneficiaries - stages.approved.beneficiaries,
        ),
        (
            stages.submitted.plans - stages.reviewed.plans,
            stages.submitted.beneficiaries - stages.reviewed.beneficiaries,
        ),
    ]


def test_more_than_the_scenario_allows_is_refused() -> None:
    with pytest.raises(ValueError, match="100000"):
        scaled(burkina_faso(), 200_000)
