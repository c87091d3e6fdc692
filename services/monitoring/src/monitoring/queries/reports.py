"""The office and HQ reports, lists and the case timeline, computed by PostgreSQL.

Each figure is an aggregate over the rows the projections keep beside every case and plan file
(`case_stages`, `plan_stages`, `open_visits`, the attribute columns of `case_files`), read
through indexes by office, so a report costs what its answer holds, not what the caseload
holds. The definitions are `figures.py`'s (the pure reference the unit tests check): the same
stages, intervals, groups and percentiles (`percentile_cont` is the linear interpolation
`figures.percentile` computes); rounding and the order of rows stay in Python, so a report
reads exactly as the reference computes it.
"""

from collections import defaultdict
from datetime import date
from typing import TypeAlias
from uuid import UUID

import asyncpg

from monitoring.casefile import FUNNEL_STAGES, PLAN_STAGES
from monitoring.queries.figures import INTERVALS, STAGE_LABELS, UNKNOWN, Dimension
from monitoring.queries.views import (
    CompletionsOut,
    DurationOut,
    FlowOut,
    FunnelStageOut,
    HqOffice,
    HqReport,
    OfficeReport,
    OverdueOut,
    TimelineLine,
)
from reintegration_contracts.stages import Stage

Db: TypeAlias = asyncpg.Pool | asyncpg.Connection

# The group a returnee counts in, per dimension (figures.groups_of): one per row of `c`.
_GROUP = {
    Dimension.SEX: f"coalesce(c.sex, '{UNKNOWN}')",
    Dimension.AGE_BAND: f"coalesce(c.age_band, '{UNKNOWN}')",
    Dimension.TRADE: f"coalesce(c.trade, '{UNKNOWN}')",
    Dimension.COMMUNE: f"coalesce(c.commune, '{UNKNOWN}')",
    Dimension.PATH: f"coalesce(c.path, '{UNKNOWN}')",
    # A returnee with several vulnerabilities counts in each; none counts as "none".
    Dimension.VULNERABILITY: (
        "unnest(CASE WHEN cardinality(c.vulnerabilities) = 0 THEN ARRAY['none'] "
        "ELSE c.vulnerabilities END)"
    ),
}
_INTERVALS = [f"{start.value}>{end.value}" for start, end in INTERVALS]


async def funnel(db: Db, office: str) -> list[FunnelStageOut]:
    returnees = dict(
        await db.fetch(
            """SELECT stage, count(*) FROM case_stages WHERE country_office = $1
               GROUP BY stage""",
            office,
        )
    )
    plans = dict(
        await db.fetch(
            """SELECT stage, count(*) FROM plan_stages WHERE country_office = $1
               GROUP BY stage""",
            office,
        )
    )
    return [
        FunnelStageOut(
            stage=stage,
            label=STAGE_LABELS[stage],
            returnees=returnees.get(stage.value, 0),
            plans=plans.get(stage.value, 0) if stage in PLAN_STAGES else None,
        )
        for stage in FUNNEL_STAGES
    ]


_DURATIONS = """
    WITH intervals AS (
        SELECT split_part(i, '>', 1) AS start_stage, split_part(i, '>', 2) AS end_stage
        FROM unnest($2::text[]) AS i
    )
    SELECT i.start_stage, i.end_stage, {month} AS month, count(*) AS cases,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY e.reached_on - s.reached_on) AS median,
           percentile_cont(0.9) WITHIN GROUP (ORDER BY e.reached_on - s.reached_on) AS p90
    FROM intervals i
    JOIN case_stages s ON s.country_office = $1 AND s.stage = i.start_stage
    JOIN case_stages e ON e.returnee_id = s.returnee_id AND e.stage = i.end_stage
    WHERE e.reached_on >= s.reached_on
    GROUP BY i.start_stage, i.end_stage, month
"""


def _duration(start: Stage, end: Stage, row: asyncpg.Record | None) -> DurationOut:
    return DurationOut(
        start=start,
        end=end,
        label=f"{STAGE_LABELS[start]} → {STAGE_LABELS[end]}",
        cases=row["cases"] if row else 0,
        median_days=round(row["median"], 1) if row else None,
        p90_days=round(row["p90"], 1) if row else None,
    )


async def durations(db: Db, office: str) -> list[DurationOut]:
    """Days between two stages, over the returnees who reached both (in that order)."""
    rows = await db.fetch(_DURATIONS.format(month="''"), office, _INTERVALS)
    found = {(r["start_stage"], r["end_stage"]): r for r in rows}
    return [_duration(s, e, found.get((s.value, e.value))) for s, e in INTERVALS]


async def durations_by_month(db: Db, office: str) -> list[tuple[str, DurationOut]]:
    """(month the intervals ended, duration), months in order, intervals in the report's."""
    rows = await db.fetch(
        _DURATIONS.format(month="to_char(e.reached_on, 'YYYY-MM')"), office, _INTERVALS
    )
    found = {(r["month"], r["start_stage"], r["end_stage"]): r for r in rows}
    return [
        (month, _duration(s, e, found[(month, s.value, e.value)]))
        for month in sorted({r["month"] for r in rows})
        for s, e in INTERVALS
        if (month, s.value, e.value) in found
    ]


async def flows(db: Db, office: str, by: Dimension | None = None) -> list[FlowOut]:
    """Per month (of the stage date), how many returnees reached each stage."""
    group = _GROUP[by] if by else "NULL::text"
    rows = await db.fetch(
        f"""SELECT month, grp, stage, count(*) AS n FROM (
                SELECT to_char(s.reached_on, 'YYYY-MM') AS month, s.stage, {group} AS grp
                FROM case_stages s JOIN case_files c USING (returnee_id)
                WHERE s.country_office = $1) AS reached
            GROUP BY month, grp, stage""",
        office,
    )
    table: dict[tuple[str, str | None], dict[Stage, int]] = defaultdict(dict)
    for row in rows:
        table[(row["month"], row["grp"])][Stage(row["stage"])] = row["n"]
    return [
        FlowOut(
            month=month,
            group=grp,
            counts={s: table[(month, grp)].get(s, 0) for s in FUNNEL_STAGES},
        )
        for month, grp in sorted(table, key=lambda k: (k[0], k[1] or ""))
    ]


async def breakdown(db: Db, office: str, by: Dimension) -> dict[str, dict[Stage, int]]:
    """Per group, how many returnees reached each stage (all months together)."""
    rows = await db.fetch(
        f"""SELECT grp, stage, count(*) AS n FROM (
                SELECT s.stage, {_GROUP[by]} AS grp
                FROM case_stages s JOIN case_files c USING (returnee_id)
                WHERE s.country_office = $1) AS reached
            GROUP BY grp, stage""",
        office,
    )
    table: dict[str, dict[Stage, int]] = defaultdict(dict)
    for row in rows:
        table[row["grp"]][Stage(row["stage"])] = row["n"]
    return {grp: {s: table[grp].get(s, 0) for s in FUNNEL_STAGES} for grp in sorted(table)}


async def completions(db: Db, office: str) -> list[CompletionsOut]:
    """Per course and trade, completions passed and failed (figures.completions)."""
    rows = await db.fetch(
        """SELECT kind, trade, count(*) FILTER (WHERE passed) AS passed,
                  count(*) FILTER (WHERE NOT passed) AS failed
           FROM case_completions WHERE country_office = $1
           GROUP BY kind, trade""",
        office,
    )
    ordered = sorted(rows, key=lambda r: (r["kind"], r["trade"] or ""))
    return [CompletionsOut(**dict(row)) for row in ordered]


async def overdue(
    db: Db, office: str, today: date, caseworker: str | None = None
) -> list[OverdueOut]:
    """Scheduled visits past their date and not yet made, oldest first within a caseworker."""
    rows = await db.fetch(
        """SELECT v.returnee_id::text AS returnee_id,
                  coalesce(c.caseworker, 'unassigned') AS caseworker, v.due_on,
                  $2::date - v.due_on AS days_overdue, c.trade, c.commune
           FROM open_visits v JOIN case_files c USING (returnee_id)
           WHERE v.country_office = $1 AND v.due_on < $2
             AND ($3::text IS NULL OR coalesce(c.caseworker, 'unassigned') = $3)
           ORDER BY coalesce(c.caseworker, 'unassigned') COLLATE "C", v.due_on,
                    v.returnee_id::text COLLATE "C"
        """,
        office,
        today,
        caseworker,
    )
    return [OverdueOut(**dict(row)) for row in rows]


async def overdue_count(db: Db, office: str, today: date) -> int:
    count: int = await db.fetchval(
        "SELECT count(*) FROM open_visits WHERE country_office = $1 AND due_on < $2",
        office,
        today,
    )
    return count


async def office_report(db: Db, office: str, today: date) -> OfficeReport:
    return OfficeReport(
        country_office=office,
        funnel=await funnel(db, office),
        durations=await durations(db, office),
        monthly=await flows(db, office),
        overdue_visits=await overdue_count(db, office, today),
        completions=await completions(db, office),
    )


async def offices(db: Db) -> list[str]:
    rows = await db.fetch("SELECT DISTINCT country_office FROM case_files ORDER BY 1")
    return [row[0] for row in rows]


async def hq_report(db: Db) -> HqReport:
    return HqReport(
        offices=[
            HqOffice(
                country_office=office,
                funnel=await funnel(db, office),
                durations=await durations(db, office),
                monthly=await flows(db, office),
            )
            for office in await offices(db)
        ]
    )


async def hq_durations_by_month(db: Db) -> list[tuple[str, str, DurationOut]]:
    """(office, month the intervals ended, duration) for the HQ CSV export."""
    return [
        (office, month, duration)
        for office in await offices(db)
        for month, duration in await durations_by_month(db, office)
    ]


async def timeline(db: Db, returnee_id: UUID) -> list[TimelineLine]:
    rows = await db.fetch(
        """SELECT DISTINCT ON (occurred_on, recorded_at, event_id)
                  occurred_on, domain, event_name, summary
           FROM timeline_entries
           WHERE subject_id = $1
              OR subject_id IN (SELECT plan_id FROM plan_files WHERE $1 = ANY(beneficiary_ids))
           ORDER BY occurred_on, recorded_at, event_id""",
        returnee_id,
    )
    return [TimelineLine(**dict(row)) for row in rows]
