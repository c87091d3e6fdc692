"""The office's daily allowance, and what is owed to trainees for their attended days."""

from datetime import date

from fastapi import Response

from reintegration_sdk import CSV_ANSWER, Db, OfficePath, Work, office_router
from training import handlers
from training.api.deps import Format, Manager, Payer, Reader, spreadsheet
from training.api.models import DailyAllowanceRequest, Recorded
from training.domain.allowances import SetDailyAllowance
from training.queries import allowances as views

router = office_router(tags=["allowances"])


@router.post("/daily-allowance", status_code=201, dependencies=[Manager])
async def set_daily_allowance(body: DailyAllowanceRequest, work: Work) -> Recorded:
    """A new rate, effective after the latest one set (409 `allowance_rate_out_of_order`),
    above the legal minimum wage the office's programme sets (409
    `allowance_not_above_minimum_wage`)."""
    command = SetDailyAllowance(body.daily_amount, body.currency, body.effective_from)
    return Recorded.of(await handlers.set_daily_allowance(work, command))


@router.get("/daily-allowance", dependencies=[Reader])
async def daily_allowance(
    country_office: OfficePath, db: Db, on: date | None = None
) -> views.DailyAllowances:
    return await views.daily_allowances(db, country_office, on or date.today())


@router.get(
    "/allowances/returnees",
    response_model=list[views.ReturneeAllowance],
    responses=CSV_ANSWER,
    dependencies=[Payer],
)
async def owed_per_returnee(
    country_office: OfficePath, db: Db, format: Format = "json"
) -> list[views.ReturneeAllowance] | Response:
    found = await views.by_returnee(db, country_office)
    if format == "csv":
        return spreadsheet(f"allowances-{country_office}", views.ReturneeAllowance, found)
    return found


@router.get(
    "/allowances/cohorts",
    response_model=list[views.CohortAllowance],
    responses=CSV_ANSWER,
    dependencies=[Payer],
)
async def owed_per_cohort(
    country_office: OfficePath, db: Db, format: Format = "json"
) -> list[views.CohortAllowance] | Response:
    found = await views.by_cohort(db, country_office)
    if format == "csv":
        name = f"allowances-by-cohort-{country_office}"
        return spreadsheet(name, views.CohortAllowance, found)
    return found
