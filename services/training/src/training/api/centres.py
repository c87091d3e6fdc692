"""Training centres: registration, inspection, contract; their standing and utilisation."""

from datetime import date
from typing import Annotated
from uuid import UUID, uuid4

from fastapi import APIRouter, Query
from fastapi.responses import Response

from reintegration_sdk.http import RuntimeDep
from training import handlers
from training.api import export
from training.api.deps import Format, Office, Officer, Reader
from training.api.models import (
    CentreRegistration,
    ContractRecord,
    Created,
    InspectionReport,
    Recorded,
)
from training.domain.centres import RecordContract, RecordInspection, RegisterCentre
from training.queries import centres as views

router = APIRouter(tags=["centres"])
On = Annotated[date | None, Query(description="Day to look at; today unless given")]


@router.post("/{country_office}/centres", status_code=201)
async def register_centre(
    country_office: Office, body: CentreRegistration, principal: Officer, runtime: RuntimeDep
) -> Created:
    centre_id = uuid4()
    command = RegisterCentre(centre_id, body.name, body.city, tuple(body.trades), body.capacity)
    async with runtime.transaction() as db:
        context = runtime.context(principal, country_office)
        await handlers.on_centre(db, runtime.store, context, centre_id, command)
    return Created(id=centre_id)


@router.post("/{country_office}/centres/{centre_id}/inspections", status_code=201)
async def record_inspection(
    country_office: Office,
    centre_id: UUID,
    body: InspectionReport,
    principal: Officer,
    runtime: RuntimeDep,
) -> Recorded:
    command = RecordInspection(body.inspected_on, body.equipment_adequate, body.trainers_qualified)
    async with runtime.transaction() as db:
        context = runtime.context(principal, country_office)
        events = await handlers.on_centre(db, runtime.store, context, centre_id, command)
    return Recorded(events=[event.event_name for event in events])


@router.post("/{country_office}/centres/{centre_id}/contracts", status_code=201)
async def record_contract(
    country_office: Office,
    centre_id: UUID,
    body: ContractRecord,
    principal: Officer,
    runtime: RuntimeDep,
) -> Recorded:
    command = RecordContract(body.contract_reference, body.valid_from, body.valid_until)
    async with runtime.transaction() as db:
        context = runtime.context(principal, country_office)
        events = await handlers.on_centre(db, runtime.store, context, centre_id, command)
    return Recorded(events=[event.event_name for event in events])


@router.get("/{country_office}/centres", response_model=list[views.CentreView])
async def list_centres(
    country_office: Office, _: Reader, runtime: RuntimeDep, on: On = None, format: Format = "json"
) -> Response:
    async with runtime.pool.acquire() as db:
        found = await views.centres(db, country_office, on or date.today())
    return export.rows(found, views.CentreView, format, f"centres-{country_office}")


@router.get("/{country_office}/centres/utilisation", response_model=list[views.CentreUtilisation])
async def centre_utilisation(
    country_office: Office, _: Reader, runtime: RuntimeDep, on: On = None, format: Format = "json"
) -> Response:
    async with runtime.pool.acquire() as db:
        found = await views.utilisation(db, country_office, on or date.today())
    return export.rows(
        found, views.CentreUtilisation, format, f"centre-utilisation-{country_office}"
    )
