"""Training centres: registration, inspection, contract; their standing and utilisation."""

from datetime import date
from typing import Annotated
from uuid import UUID, uuid4

from fastapi import Query, Response

from reintegration_sdk import CSV_ANSWER, Db, OfficePath, Work, office_router
from training import handlers
from training.api.deps import Format, Officer, Reader, spreadsheet
from training.api.models import (
    CentreRegistration,
    ContractRecord,
    Created,
    InspectionReport,
    Recorded,
)
from training.domain.centres import RecordContract, RecordInspection, RegisterCentre
from training.queries import centres as views

router = office_router(tags=["centres"])
On = Annotated[date | None, Query(description="Day to look at; today unless given")]


@router.post("/centres", status_code=201, dependencies=[Officer])
async def register_centre(body: CentreRegistration, work: Work) -> Created:
    centre_id = uuid4()
    command = RegisterCentre(centre_id, body.name, body.city, tuple(body.trades), body.capacity)
    await handlers.on_centre(work, centre_id, command)
    return Created(id=centre_id)


@router.post("/centres/{centre_id}/inspections", status_code=201, dependencies=[Officer])
async def record_inspection(centre_id: UUID, body: InspectionReport, work: Work) -> Recorded:
    command = RecordInspection(body.inspected_on, body.equipment_adequate, body.trainers_qualified)
    events = await handlers.on_centre(work, centre_id, command)
    return Recorded.of(events)


@router.post("/centres/{centre_id}/contracts", status_code=201, dependencies=[Officer])
async def record_contract(centre_id: UUID, body: ContractRecord, work: Work) -> Recorded:
    command = RecordContract(body.contract_reference, body.valid_from, body.valid_until)
    events = await handlers.on_centre(work, centre_id, command)
    return Recorded.of(events)


@router.get(
    "/centres",
    response_model=list[views.CentreView],
    responses=CSV_ANSWER,
    dependencies=[Reader],
)
async def list_centres(
    country_office: OfficePath, db: Db, on: On = None, format: Format = "json"
) -> list[views.CentreView] | Response:
    """The office's centres and whether each takes trainees on `on`."""
    found = await views.centres(db, country_office, on or date.today())
    if format == "csv":
        return spreadsheet(f"centres-{country_office}", views.CentreView, found)
    return found


@router.get(
    "/centres/utilisation",
    response_model=list[views.CentreUtilisation],
    responses=CSV_ANSWER,
    dependencies=[Reader],
)
async def centre_utilisation(
    country_office: OfficePath, db: Db, on: On = None, format: Format = "json"
) -> list[views.CentreUtilisation] | Response:
    """Trainees of the cohorts running on `on`, against each centre's capacity."""
    found = await views.utilisation(db, country_office, on or date.today())
    if format == "csv":
        name = f"centre-utilisation-{country_office}"
        return spreadsheet(name, views.CentreUtilisation, found)
    return found
