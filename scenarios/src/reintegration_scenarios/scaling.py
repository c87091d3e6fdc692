"""A scenario at another size: the same programme for more (or fewer) returnees.

Every count that grows with the caseload (arrivals, no-shows, trainees and those who fail,
business plans and their beneficiaries at each stage) is multiplied by the same factor;
places, trades, prices, dates and shares stay as they are.

Rounding each count on its own could break the scenario's rules by one: more plan
beneficiaries than entrepreneurs who passed, a reviewed stage bigger than the submitted one.
So the counts are laid out as consecutive slices of one line of returnees (and plans), each
slice a part of the next stage up, and only the running totals are rounded. Rounding keeps
order, so every slice stays non-negative and every stage stays inside the one before it.
"""

from fractions import Fraction
from itertools import accumulate, pairwise
from math import floor
from typing import Any

from reintegration_scenarios.scenario import Scenario

# Slices of the line, in order; each running total is one of the scenario's nested counts.
SLICES = (
    "approved plans",
    "approved co-beneficiaries",  # beneficiaries beyond one per plan
    "waiting or rejected plans",
    "waiting or rejected co-beneficiaries",
    "unreviewed plans",
    "unreviewed co-beneficiaries",
    "entrepreneurs passed without a plan",
    "entrepreneurs failing",
    "vocational trainees passing",
    "vocational trainees failing",
    "counselled, not trained",
    "no-shows",
)


def scaled(scenario: Scenario, returnees: int) -> Scenario:
    """`scenario` with `returnees` arrivals and every caseload count scaled alike."""
    original = scenario.arrivals.returnees
    if returnees == original:
        return scenario
    factor = Fraction(returnees, original)
    if scenario.business_plans is None:
        return _scaled_without_plans(scenario, returnees, factor)
    slices = dict(zip(SLICES, _slices(scenario), strict=True))
    totals = [_round(total * factor) for total in accumulate(slices.values())]
    new = dict(zip(SLICES, (b - a for a, b in pairwise([0, *totals])), strict=True))
    _fit_groups(new, scenario.business_plans.max_group)

    data: dict[str, Any] = scenario.model_dump()
    data["name"] = f"{scenario.name} (scaled to {returnees:,} returnees)"
    data["arrivals"]["returnees"] = totals[-1]
    data["counselling"]["no_show"] = new["no-shows"]
    entrepreneurship = data["training"]["entrepreneurship"]
    entrepreneurship["failing"] = new["entrepreneurs failing"]
    entrepreneurship["participants"] = sum(
        new[s] for s in SLICES[: SLICES.index("entrepreneurs failing") + 1]
    )
    vocational = data["training"]["vocational"]
    vocational["failing"] = new["vocational trainees failing"]
    vocational["participants"] = new["vocational trainees passing"] + vocational["failing"]
    approved = _stage(new, "approved")
    reviewed = _plus(approved, _stage(new, "waiting or rejected"))
    submitted = _plus(reviewed, _stage(new, "unreviewed"))
    data["business_plans"]["stages"] = {
        "submitted": submitted,
        "reviewed": reviewed,
        "approved": approved,
    }
    return Scenario.model_validate(data)


def _scaled_without_plans(scenario: Scenario, returnees: int, factor: Fraction) -> Scenario:
    """A programme with no business plans (Mali): the vocational completions per trade, those
    failing, the counselled not trained and the no-shows are the slices of the line; the
    certified kits scale alike, never fewer than the courses leading straight to a kit."""
    vocational = scenario.training.vocational
    entrepreneurship = scenario.training.entrepreneurship
    per_trade = dict(vocational.completions) or {
        "_passing": vocational.participants - vocational.failing
    }
    counselled = scenario.arrivals.returnees - scenario.counselling.no_show
    slices = [
        *per_trade.values(),
        vocational.failing,
        entrepreneurship.participants - entrepreneurship.failing,
        entrepreneurship.failing,
        counselled - vocational.participants - entrepreneurship.participants,
        scenario.counselling.no_show,
    ]
    totals = [_round(total * factor) for total in accumulate(slices)]
    new = [b - a for a, b in pairwise([0, *totals])]
    trades = dict(zip(per_trade, new, strict=False))
    failing, passed_entrepreneurs, failing_entrepreneurs, _, no_show = new[len(per_trade) :]

    data: dict[str, Any] = scenario.model_dump()
    data["name"] = f"{scenario.name} (scaled to {returnees:,} returnees)"
    data["arrivals"]["returnees"] = totals[-1]
    data["counselling"]["no_show"] = no_show
    data["training"]["entrepreneurship"]["participants"] = (
        passed_entrepreneurs + failing_entrepreneurs
    )
    data["training"]["entrepreneurship"]["failing"] = failing_entrepreneurs
    passing = sum(trades.values())
    data["training"]["vocational"]["failing"] = failing
    if vocational.completions:
        data["training"]["vocational"]["completions"] = trades
    data["training"]["vocational"]["participants"] = passing + failing
    kits = scenario.kits
    straight = sum(trades.get(t, 0) for t in kits.straight_after)
    data["kits"]["certified"] = min(max(_round(kits.certified * factor), straight), passing)
    return Scenario.model_validate(data)


def _slices(s: Scenario) -> list[int]:
    assert s.business_plans is not None
    stages = s.business_plans.stages
    entrepreneurship, vocational = s.training.entrepreneurship, s.training.vocational
    trained = entrepreneurship.participants + vocational.participants
    counselled = s.arrivals.returnees - s.counselling.no_show
    return [
        stages.approved.plans,
        stages.approved.beneficiaries - stages.approved.plans,
        stages.reviewed.plans - stages.approved.plans,
        (stages.reviewed.beneficiaries - stages.reviewed.plans)
        - (stages.approved.beneficiaries - stages.approved.plans),
        stages.submitted.plans - stages.reviewed.plans,
        (stages.submitted.beneficiaries - stages.submitted.plans)
        - (stages.reviewed.beneficiaries - stages.reviewed.plans),
        entrepreneurship.participants - entrepreneurship.failing - stages.submitted.beneficiaries,
        entrepreneurship.failing,
        vocational.participants - vocational.failing,
        vocational.failing,
        counselled - trained,
        s.counselling.no_show,
    ]


def _round(value: Fraction) -> int:
    # Half up, the same way for every total (round() goes to even, which is not monotonic
    # with respect to the slices' differences).
    return floor(value + Fraction(1, 2))


def _stage(new: dict[str, int], fate: str) -> dict[str, int]:
    plans = new[f"{fate} plans"]
    return {"plans": plans, "beneficiaries": plans + new[f"{fate} co-beneficiaries"]}


def _plus(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
    return {key: a[key] + b[key] for key in a}


def _fit_groups(new: dict[str, int], max_group: int) -> None:
    """Rounding can leave a stage more co-beneficiaries than its plans hold (a handful of
    plans when scaling down): those returnees pass the training and write no plan instead.
    Every slice stays non-negative, so every rule of the scenario still holds."""
    for fate in ("approved", "waiting or rejected", "unreviewed"):
        room = new[f"{fate} plans"] * (max_group - 1)
        overflow = new[f"{fate} co-beneficiaries"] - room
        if overflow > 0:
            new[f"{fate} co-beneficiaries"] = room
            new["entrepreneurs passed without a plan"] += overflow
