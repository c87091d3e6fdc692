"""An office's read models over HTTP: its report, flows, breakdowns, overdue visits and a
returnee's timeline. `?format=csv` on every list."""

from datetime import date
from uuid import UUID

from fastapi import Request, Response

from monitoring.api.deps import Format, OfficeReader, Reader, may_see_personal_data
from monitoring.casefile import FUNNEL_STAGES
from monitoring.intake_names import HIDDEN, IntakeSettings, name_of
from monitoring.queries import reports
from monitoring.queries.case_files import ensure_case_of
from monitoring.queries.figures import Dimension
from monitoring.queries.views import CompletionsOut, FlowOut, OfficeReport, OverdueOut, Timeline
from reintegration_contracts.stages import Stage
from reintegration_sdk import CSV_ANSWER, Db, NotFound, OfficePath, csv_response, office_router

router = office_router(tags=["office read models"])
STAGES = [s.value for s in FUNNEL_STAGES]


@router.get("/report", dependencies=[Reader])
async def office_report(country_office: OfficePath, db: Db) -> OfficeReport:
    """Funnel, stage durations (median and 90th percentile days) and monthly flows."""
    return await reports.office_report(db, country_office, date.today())


@router.get("/flows", response_model=list[FlowOut], responses=CSV_ANSWER, dependencies=[Reader])
async def flows(
    country_office: OfficePath, db: Db, by: Dimension | None = None, format: Format = "json"
) -> list[FlowOut] | Response:
    """Returnees reaching each stage per month, optionally broken down by a dimension."""
    rows = await reports.flows(db, country_office, by)
    return flows_csv(country_office, by, rows) if format == "csv" else rows


@router.get(
    "/breakdowns/{dimension}",
    response_model=dict[str, dict[Stage, int]],
    responses=CSV_ANSWER,
    dependencies=[Reader],
)
async def breakdown(
    country_office: OfficePath, dimension: Dimension, db: Db, format: Format = "json"
) -> Response | dict[str, dict[Stage, int]]:
    """Per sex, age band, vulnerability, trade or commune: returnees who reached each stage."""
    table = await reports.breakdown(db, country_office, dimension)
    return breakdown_csv(country_office, dimension, table) if format == "csv" else table


@router.get(
    "/completions",
    response_model=list[CompletionsOut],
    responses=CSV_ANSWER,
    dependencies=[Reader],
)
async def completions(
    country_office: OfficePath, db: Db, format: Format = "json"
) -> list[CompletionsOut] | Response:
    """Completions per course and trade (business management included), passed and failed
    apart."""
    rows = await reports.completions(db, country_office)
    if format != "csv":
        return rows
    return csv_response(
        f"completions-{country_office}.csv",
        COMPLETION_COLUMNS,
        ([getattr(r, h) for h in COMPLETION_COLUMNS] for r in rows),
    )


COMPLETION_COLUMNS = ["kind", "trade", "passed", "failed"]
OVERDUE_COLUMNS = ["caseworker", "returnee_id", "due_on", "days_overdue", "trade", "commune"]


@router.get(
    "/follow-ups/overdue",
    response_model=list[OverdueOut],
    responses=CSV_ANSWER,
    dependencies=[Reader],
)
async def overdue(
    country_office: OfficePath, db: Db, caseworker: str | None = None, format: Format = "json"
) -> list[OverdueOut] | Response:
    """Scheduled visits past due and not made, by caseworker."""
    rows = await reports.overdue(db, country_office, date.today(), caseworker)
    return overdue_csv(country_office, rows) if format == "csv" else rows


@router.get("/returnees/{returnee_id}/timeline")
async def timeline(
    country_office: OfficePath,
    returnee_id: UUID,
    principal: OfficeReader,
    db: Db,
    request: Request,
) -> Timeline:
    """One returnee's events from every service, in order; the name only for roles that may
    see personal data, fetched from intake for this response and not kept."""
    await ensure_case_of(db, returnee_id, country_office)
    entries = await reports.timeline(db, returnee_id)
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


# The spreadsheets, shared with the dashboard's exports ----------------------------------------


def flows_csv(office: str, by: Dimension | None, rows: list[FlowOut]) -> Response:
    return csv_response(
        f"flows-{office}.csv",
        ["month", by.value if by else "group", *STAGES],
        ([r.month, r.group, *(r.counts[s] for s in FUNNEL_STAGES)] for r in rows),
    )


def breakdown_csv(office: str, by: Dimension, table: dict[str, dict[Stage, int]]) -> Response:
    return csv_response(
        f"{by.value}-{office}.csv",
        [by.value, *STAGES],
        ([group, *(counts[s] for s in FUNNEL_STAGES)] for group, counts in table.items()),
    )


def overdue_csv(office: str, rows: list[OverdueOut]) -> Response:
    return csv_response(
        f"overdue-{office}.csv",
        OVERDUE_COLUMNS,
        ([getattr(v, h) for h in OVERDUE_COLUMNS] for v in rows),
    )
