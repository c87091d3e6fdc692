"""Figures for country managers and headquarters, computed from case and plan files.

Pure functions: the HTTP API, the dashboard and the HQ report all read through them, so the
numbers a page shows are the numbers the JSON and CSV give.
"""

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from monitoring.casefile import FUNNEL_STAGES, PLAN_STAGES, CaseFile, PlanFile
from reintegration_contracts.stages import Stage

STAGE_LABELS: dict[Stage, str] = {
    Stage.REGISTERED: "Registered",
    Stage.COUNSELLED: "Counselled",
    Stage.TRAINED: "Trained",
    Stage.CERTIFIED: "Certified",
    Stage.PLAN_SUBMITTED: "Plan submitted",
    Stage.PLAN_REVIEWED: "Budget reviewed by procurement",
    Stage.PLAN_EXAMINED: "Examined by the committee",
    Stage.PLAN_APPROVED: "Plan approved",
    Stage.KIT_DELIVERED: "Kit delivered",
    Stage.FOLLOWED_UP: "Followed up",
    Stage.SUSTAINABLE: "Sustainable",
}

# The intervals a programme watches; the field aims at counselling about a month after return.
INTERVALS: tuple[tuple[Stage, Stage], ...] = (
    (Stage.REGISTERED, Stage.COUNSELLED),
    (Stage.COUNSELLED, Stage.CERTIFIED),
    (Stage.REGISTERED, Stage.PLAN_SUBMITTED),
    (Stage.PLAN_SUBMITTED, Stage.PLAN_REVIEWED),
    (Stage.PLAN_REVIEWED, Stage.PLAN_APPROVED),
    (Stage.PLAN_APPROVED, Stage.KIT_DELIVERED),
    (Stage.KIT_DELIVERED, Stage.FOLLOWED_UP),
    (Stage.REGISTERED, Stage.KIT_DELIVERED),
)


class Dimension(StrEnum):
    SEX = "sex"
    AGE_BAND = "age_band"
    VULNERABILITY = "vulnerability"
    TRADE = "trade"
    COMMUNE = "commune"
    PATH = "path"


UNKNOWN = "unknown"


@dataclass(frozen=True)
class FunnelStage:
    stage: Stage
    label: str
    returnees: int
    plans: int | None  # plan stages only: how many plans; `returnees` are their beneficiaries


@dataclass(frozen=True)
class Duration:
    start: Stage
    end: Stage
    label: str
    cases: int
    median_days: float | None
    p90_days: float | None


@dataclass(frozen=True)
class Flow:
    """Returnees who reached each stage in one month (and one group of a breakdown)."""

    month: str
    group: str | None
    counts: dict[Stage, int]


@dataclass(frozen=True)
class Completions:
    """One course (entrepreneurship, or a vocational trade): how many completed it, passed and
    failed apart."""

    kind: str
    trade: str | None
    passed: int
    failed: int


@dataclass(frozen=True)
class OverdueVisit:
    returnee_id: str
    caseworker: str
    due_on: date
    days_overdue: int
    trade: str | None
    commune: str | None


def funnel(cases: Iterable[CaseFile], plans: Iterable[PlanFile]) -> list[FunnelStage]:
    reached = Counter(stage for case in cases for stage in case.stage_dates())
    plan_counts = Counter(stage for plan in plans for stage in plan.stages)
    return [
        FunnelStage(stage, STAGE_LABELS[stage], reached[stage], plan_counts[stage])
        if stage in PLAN_STAGES
        else FunnelStage(stage, STAGE_LABELS[stage], reached[stage], None)
        for stage in FUNNEL_STAGES
    ]


def percentile(values: Sequence[float], fraction: float) -> float:
    """Linear interpolation between closest ranks (PostgreSQL's percentile_cont)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def durations(cases: Iterable[CaseFile], ended_in: str | None = None) -> list[Duration]:
    """Days between two stages, over the returnees who reached both (in that order);
    `ended_in` ("YYYY-MM") keeps the intervals that ended in that month."""
    dated = [case.stage_dates() for case in cases]
    result = []
    for start, end in INTERVALS:
        days = [
            float((d[end] - d[start]).days)
            for d in dated
            if start in d
            and end in d
            and d[end] >= d[start]
            and (ended_in is None or d[end].strftime("%Y-%m") == ended_in)
        ]
        result.append(
            Duration(
                start,
                end,
                f"{STAGE_LABELS[start]} → {STAGE_LABELS[end]}",
                len(days),
                round(percentile(days, 0.5), 1) if days else None,
                round(percentile(days, 0.9), 1) if days else None,
            )
        )
    return result


def groups_of(case: CaseFile, dimension: Dimension) -> list[str]:
    match dimension:
        case Dimension.SEX:
            return [case.sex or UNKNOWN]
        case Dimension.AGE_BAND:
            return [case.age_band or UNKNOWN]
        case Dimension.VULNERABILITY:
            return case.vulnerabilities or ["none"]
        case Dimension.TRADE:
            return [case.trade or UNKNOWN]
        case Dimension.COMMUNE:
            return [case.commune or UNKNOWN]
        case Dimension.PATH:
            return [case.path.value]


def flows(cases: Iterable[CaseFile], by: Dimension | None = None) -> list[Flow]:
    """Per month (YYYY-MM of the stage date), how many returnees reached each stage."""
    table: dict[tuple[str, str | None], Counter[Stage]] = defaultdict(Counter)
    for case in cases:
        groups: list[str | None] = list(groups_of(case, by)) if by else [None]
        for stage, on in case.stage_dates().items():
            for group in groups:
                table[(on.strftime("%Y-%m"), group)][stage] += 1
    return [
        Flow(month, group, {stage: table[(month, group)][stage] for stage in FUNNEL_STAGES})
        for month, group in sorted(table, key=lambda k: (k[0], k[1] or ""))
    ]


def breakdown(cases: Iterable[CaseFile], by: Dimension) -> dict[str, dict[Stage, int]]:
    """Per group, how many returnees reached each stage (all months together)."""
    table: dict[str, Counter[Stage]] = defaultdict(Counter)
    for case in cases:
        for group in groups_of(case, by):
            table[group].update(case.stage_dates().keys())
    return {group: {s: table[group][s] for s in FUNNEL_STAGES} for group in sorted(table)}


def completions(cases: Iterable[CaseFile]) -> list[Completions]:
    """Per course and trade (business management included), the completions passed and
    failed; a returnee who completed two courses counts in each."""
    table: dict[tuple[str, str | None], Counter[bool]] = defaultdict(Counter)
    for case in cases:
        for done in case.completions.values():
            table[(done.kind, done.trade)][done.passed] += 1
    return [
        Completions(kind, trade, counts[True], counts[False])
        for (kind, trade), counts in sorted(
            table.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")
        )
    ]


def overdue_visits(cases: Iterable[CaseFile], today: date) -> list[OverdueVisit]:
    """Scheduled visits past their date and not yet made, oldest first within a caseworker."""
    result = [
        OverdueVisit(
            returnee_id=str(case.returnee_id),
            caseworker=case.caseworker or "unassigned",
            due_on=due.due_on,
            days_overdue=(today - due.due_on).days,
            trade=case.trade,
            commune=case.commune,
        )
        for case in cases
        for due in case.open_visits()
        if due.due_on < today
    ]
    return sorted(result, key=lambda v: (v.caseworker, v.due_on, v.returnee_id))


def months_of(cases: Iterable[CaseFile]) -> list[str]:
    return sorted({on.strftime("%Y-%m") for case in cases for on in case.stage_dates().values()})
