"""Headquarters' report across offices: counts and days only, never a returnee."""

from typing import Annotated, Literal

from fastapi import Query, Response

from monitoring.api.deps import Format, HqAnalyst
from monitoring.casefile import FUNNEL_STAGES
from monitoring.queries import reports
from monitoring.queries.views import HqReport
from reintegration_sdk import CSV_ANSWER, Db, csv_response, hq_router

router = hq_router(tags=["headquarters"])
Table = Annotated[
    Literal["flows", "funnel", "durations"], Query(description="the table `format=csv` gives")
]
DURATION_COLUMNS = [
    "country_office", "month", "from_stage", "to_stage", "cases", "median_days", "p90_days"
]  # fmt: skip


@router.get("/report", response_model=HqReport, responses=CSV_ANSWER, dependencies=[HqAnalyst])
async def hq_report(db: Db, format: Format = "json", table: Table = "flows") -> HqReport | Response:
    """Every office's funnel, durations and monthly flows: counts and days only."""
    if format == "json":
        return await reports.hq_report(db)
    return await hq_spreadsheet(db, table)


async def hq_spreadsheet(db: Db, table: str) -> Response:
    """One table of the HQ report as CSV (the dashboard's exports answer the same)."""
    if table == "durations":
        rows = await reports.hq_durations_by_month(db)
        return csv_response(
            "hq-durations.csv",
            DURATION_COLUMNS,
            (
                [o, m, d.start.value, d.end.value, d.cases, d.median_days, d.p90_days]
                for o, m, d in rows
            ),
        )
    body = await reports.hq_report(db)
    if table == "funnel":
        return csv_response(
            "hq-funnel.csv",
            ["country_office", "stage", "returnees", "plans"],
            (
                [o.country_office, s.stage.value, s.returnees, s.plans]
                for o in body.offices
                for s in o.funnel
            ),
        )
    return csv_response(
        "hq-flows.csv",
        ["country_office", "month", *(s.value for s in FUNNEL_STAGES)],
        (
            [o.country_office, f.month, *(f.counts[s] for s in FUNNEL_STAGES)]
            for o in body.offices
            for f in o.monthly
        ),
    )
