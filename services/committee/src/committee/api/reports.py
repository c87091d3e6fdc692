"""Convening and the funnel over HTTP: the office's threshold, who is ready, each stage."""

from datetime import date
from typing import Annotated

from fastapi import Query, Response

from committee import handlers, queries
from committee.api.common import AggregateReader, Format, Manager, Reader, spreadsheet, today
from committee.api.requests import ThresholdSetting
from committee.queries.views import (
    ConveningReport,
    FunnelReport,
    FunnelRow,
    ReadyLocality,
    ThresholdView,
)
from reintegration_sdk import CSV_ANSWER, Db, OfficePath, Work, office_router

router = office_router(tags=["convening and funnel"])


@router.get("/convening-threshold", dependencies=[Reader])
async def get_threshold(country_office: OfficePath, db: Db) -> ThresholdView:
    """How many reviewed plans a locality needs waiting before its committee meets."""
    return await queries.threshold(db, country_office)


@router.put("/convening-threshold", dependencies=[Manager])
async def set_threshold(body: ThresholdSetting, work: Work) -> ThresholdView:
    """Set the office's convening threshold (the programme's default is 4)."""
    await handlers.set_convening_threshold(work, body.command(today()))
    return await queries.threshold(work.db, work.country_office)


@router.get(
    "/localities/ready-to-convene",
    response_model=ConveningReport,
    responses=CSV_ANSWER,
    dependencies=[AggregateReader],
)
async def ready_to_convene(
    country_office: OfficePath,
    db: Db,
    threshold: Annotated[int | None, Query(ge=1, le=50)] = None,
    format: Format = "json",
) -> ConveningReport | Response:
    """Localities with enough reviewed plans waiting (the office's threshold unless given)."""
    report = await queries.localities_ready_to_convene(db, country_office, threshold)
    if format == "csv":
        return spreadsheet("ready-to-convene", ReadyLocality, report.localities)
    return report


@router.get(
    "/funnel", response_model=FunnelReport, responses=CSV_ANSWER, dependencies=[AggregateReader]
)
async def funnel(
    country_office: OfficePath,
    db: Db,
    region: str | None = None,
    commune: str | None = None,
    submitted_from: date | None = None,
    submitted_to: date | None = None,
    format: Format = "json",
) -> FunnelReport | Response:
    """Plans and beneficiaries at each stage per locality, approval rate, days to decision."""
    where = queries.PlanFilter(None, region, commune, submitted_from, submitted_to)
    report = await queries.funnel(db, country_office, where)
    if format == "csv":
        return spreadsheet("funnel", FunnelRow, [*report.localities, report.total])
    return report
