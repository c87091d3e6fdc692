"""The desk's HTTP API: a request becomes a command, a result becomes an answer."""

from datetime import UTC, date, datetime
from typing import Annotated, Literal
from uuid import UUID, uuid4

from fastapi import Depends, Query, Response
from pydantic import BaseModel, Field

from reintegration_sdk import CSV_ANSWER, Db, Role, Work, csv_response, office_router, office_scoped
from visits_desk import handlers
from visits_desk.contract import VisitOutcome, VisitPurpose
from visits_desk.domain import RecordVisit

router = office_router(tags=["home visits"])
Caseworker = Depends(office_scoped(Role.CASEWORKER))
Reader = Depends(office_scoped(Role.CASEWORKER, Role.MONITORING_OFFICER))
COLUMNS = ["visit_id", "returnee_id", "visited_on", "purpose", "outcome", "referral_needed"]


class VisitRequest(BaseModel):
    visited_on: date
    purpose: VisitPurpose
    outcome: VisitOutcome
    referral_needed: bool = False
    visit_id: UUID | None = Field(default=None, description="Default: a new id")


class Visit(BaseModel):
    visit_id: UUID
    returnee_id: UUID
    visited_on: date
    purpose: VisitPurpose
    outcome: VisitOutcome
    referral_needed: bool


@router.post("/returnees/{returnee_id}/home-visits", status_code=201, dependencies=[Caseworker])
async def record_visit(returnee_id: UUID, body: VisitRequest, work: Work) -> Visit:
    """Record a home visit (409 `returnee_not_registered` for someone the office does not
    know)."""
    today = datetime.now(UTC).date()
    command = RecordVisit(
        body.visit_id or uuid4(),
        returnee_id,
        body.visited_on,
        body.purpose,
        body.outcome,
        body.referral_needed,
        today,
    )
    [recorded] = await handlers.record_visit(work, command)
    return Visit.model_validate(recorded.model_dump())


@router.get("/home-visits", response_model=list[Visit], responses=CSV_ANSWER, dependencies=[Reader])
async def visits(
    country_office: str,
    db: Db,
    returnee_id: UUID | None = None,
    format: Annotated[Literal["json", "csv"], Query()] = "json",
) -> list[Visit] | Response:
    """The office's home visits, newest first; `?format=csv` for a spreadsheet."""
    rows = await db.fetch(
        """SELECT * FROM home_visits
           WHERE country_office = $1 AND ($2::uuid IS NULL OR returnee_id = $2)
           ORDER BY visited_on DESC, visit_id""",
        country_office,
        returnee_id,
    )
    found = [Visit.model_validate(dict(row)) for row in rows]
    if format == "csv":
        lines = [[getattr(v, c) for c in COLUMNS] for v in found]
        return csv_response(f"home-visits-{country_office}", COLUMNS, lines)
    return found
