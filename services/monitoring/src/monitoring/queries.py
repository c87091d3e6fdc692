"""Read models over HTTP: an office's report, flows, breakdowns, overdue visits, timelines,
and the HQ report across offices. `?format=csv` on every list."""

from datetime import date
from typing import Literal
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response

from monitoring import files, report, views
from monitoring.access import HqAnalyst, OfficeReader, ensure_in_office, may_see_personal_data
from monitoring.api_models import FlowOut, HqReport, OfficeReport, OverdueOut, Timeline
from monitoring.casefile import Stage
from monitoring.csv_export import csv_response
from monitoring.intake_names import HIDDEN, IntakeSettings, name_of
from reintegration_sdk.errors import NotFound
from reintegration_sdk.http import RuntimeDep

office = APIRouter(prefix="/offices/{country_office}", tags=["office read models"])
hq = APIRouter(prefix="/hq", tags=["headquarters"])
Format = Literal["json", "csv"]
STAGES = [s.value for s in Stage]


@office.get("/report", response_model=OfficeReport)
async def office_report(country_office: str, _: OfficeReader, runtime: RuntimeDep) -> OfficeReport:
    """Funnel, stage durations (median and 90th percentile days) and monthly flows."""
    return await views.office_report(runtime.pool, country_office, date.today())


@office.get("/flows", response_model=list[FlowOut])
async def flows(
    country_office: str,
    _: OfficeReader,
    runtime: RuntimeDep,
    by: report.Dimension | None = None,
    format: Format = "json",
) -> list[FlowOut] | Response:
    """Returnees reaching each stage per month, optionally broken down by a dimension."""
    cases, _plans = await files.office_files(runtime.pool, country_office)
    rows = views.flows_out(cases, by)
    if format == "csv":
        return csv_response(
            f"flows-{country_office}.csv",
            ["month", by.value if by else "group", *STAGES],
            ([r.month, r.group, *(r.counts[s] for s in Stage)] for r in rows),
        )
    return rows


@office.get("/breakdowns/{dimension}", response_model=dict[str, dict[Stage, int]])
async def breakdown(
    country_office: str,
    dimension: report.Dimension,
    _: OfficeReader,
    runtime: RuntimeDep,
    format: Format = "json",
) -> Response | dict[str, dict[Stage, int]]:
    """Per sex, age band, vulnerability, trade or commune: returnees who reached each stage."""
    cases, _plans = await files.office_files(runtime.pool, country_office)
    table = report.breakdown(cases, dimension)
    if format == "csv":
        return csv_response(
            f"{dimension.value}-{country_office}.csv",
            [dimension.value, *STAGES],
            ([group, *(counts[s] for s in Stage)] for group, counts in table.items()),
        )
    return table


@office.get("/follow-ups/overdue", response_model=list[OverdueOut])
async def overdue(
    country_office: str,
    _: OfficeReader,
    runtime: RuntimeDep,
    caseworker: str | None = None,
    format: Format = "json",
) -> list[OverdueOut] | Response:
    """Scheduled visits past due and not made, by caseworker."""
    cases, _plans = await files.office_files(runtime.pool, country_office)
    rows = [
        v
        for v in views.overdue_out(cases, date.today())
        if caseworker is None or v.caseworker == caseworker
    ]
    if format == "csv":
        header = ["caseworker", "returnee_id", "due_on", "days_overdue", "trade", "commune"]
        return csv_response(
            f"overdue-{country_office}.csv",
            header,
            ([getattr(v, h) for h in header] for v in rows),
        )
    return rows


@office.get("/returnees/{returnee_id}/timeline", response_model=Timeline)
async def timeline(
    country_office: str,
    returnee_id: UUID,
    principal: OfficeReader,
    runtime: RuntimeDep,
    request: Request,
) -> Timeline:
    """One returnee's events from every service, in order; the name only for roles that may
    see personal data, fetched from intake for this response and not kept."""
    await ensure_in_office(runtime.pool, returnee_id, country_office)
    entries = await views.timeline(runtime.pool, returnee_id)
    if not entries:
        raise NotFound(f"no events about returnee {returnee_id}")
    lookup = HIDDEN
    if may_see_personal_data(principal):
        authorization = request.headers.get("authorization", "")
        lookup = await name_of(IntakeSettings(), country_office, returnee_id, authorization)
    return Timeline(
        returnee_id=returnee_id,
        country_office=country_office,
        name=lookup.name,
        name_status=lookup.status,
        entries=entries,
    )


@hq.get("/report", response_model=HqReport)
async def hq_report(
    _: HqAnalyst,
    runtime: RuntimeDep,
    format: Format = "json",
    table: Literal["flows", "funnel", "durations"] = "flows",
) -> HqReport | Response:
    """Every office's funnel, durations and monthly flows: counts and days only."""
    if format == "json":
        return await views.hq_report(runtime.pool)
    if table == "durations":
        rows = await views.hq_durations_by_month(runtime.pool)
        return csv_response(
            "hq-durations.csv",
            [
                "country_office",
                "month",
                "from_stage",
                "to_stage",
                "cases",
                "median_days",
                "p90_days",
            ],
            (
                [o, m, d.start.value, d.end.value, d.cases, d.median_days, d.p90_days]
                for o, m, d in rows
            ),
        )
    body = await views.hq_report(runtime.pool)
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
        ["country_office", "month", *STAGES],
        (
            [o.country_office, f.month, *(f.counts[s] for s in Stage)]
            for o in body.offices
            for f in o.monthly
        ),
    )
