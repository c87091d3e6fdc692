"""The office's daily allowance, and what is owed to trainees for their attended days."""

from datetime import date

from fastapi import APIRouter
from fastapi.responses import Response

from reintegration_sdk.http import RuntimeDep
from training import handlers
from training.api import export
from training.api.deps import Format, Manager, Office, Payer, Reader
from training.api.models import DailyAllowanceRequest, Recorded
from training.domain.allowances import SetDailyAllowance
from training.queries import allowances as views

router = APIRouter(tags=["allowances"])


@router.post("/{country_office}/daily-allowance", status_code=201)
async def set_daily_allowance(
    country_office: Office, body: DailyAllowanceRequest, principal: Manager, runtime: RuntimeDep
) -> Recorded:
    command = SetDailyAllowance(body.daily_amount, body.currency, body.effective_from)
    async with runtime.transaction() as db:
        context = runtime.context(principal, country_office)
        events = await handlers.set_daily_allowance(db, runtime.store, context, command)
    return Recorded(events=[event.event_name for event in events])


@router.get("/{country_office}/daily-allowance")
async def daily_allowance(
    country_office: Office, _: Reader, runtime: RuntimeDep, on: date | None = None
) -> views.DailyAllowances:
    async with runtime.pool.acquire() as db:
        return await views.daily_allowances(db, country_office, on or date.today())


@router.get("/{country_office}/allowances/returnees", response_model=list[views.ReturneeAllowance])
async def owed_per_returnee(
    country_office: Office, _: Payer, runtime: RuntimeDep, format: Format = "json"
) -> Response:
    async with runtime.pool.acquire() as db:
        found = await views.by_returnee(db, country_office)
    return export.rows(found, views.ReturneeAllowance, format, f"allowances-{country_office}")


@router.get("/{country_office}/allowances/cohorts", response_model=list[views.CohortAllowance])
async def owed_per_cohort(
    country_office: Office, _: Payer, runtime: RuntimeDep, format: Format = "json"
) -> Response:
    async with runtime.pool.acquire() as db:
        found = await views.by_cohort(db, country_office)
    name = f"allowances-by-cohort-{country_office}"
    return export.rows(found, views.CohortAllowance, format, name)
