"""Business plans over HTTP: submit, list, read, and the committee's three decisions."""

from datetime import date
from typing import Annotated
from uuid import UUID, uuid4

from fastapi import Query, Response
from pydantic import BaseModel

from committee import handlers, queries
from committee.api.common import Format, Reader, Secretary, Submitter, spreadsheet, today
from committee.api.requests import Amendment, Approval, PlanSubmission, Rejection
from committee.domain import Decision, PlanStatus
from committee.queries.views import PlanDetail, PlanRow
from committee.words import DecisionWords
from reintegration_contracts.events.committee import PlanRejected
from reintegration_sdk import CSV_ANSWER, Db, OfficePath, Work, office_router

router = office_router(tags=["business plans"])


class PlanAccepted(BaseModel):
    plan_id: UUID
    status: PlanStatus


class DecisionRecorded(BaseModel):
    plan_id: UUID
    status: PlanStatus
    events: list[str]


@router.post("/plans", status_code=201, dependencies=[Submitter])
async def submit_plan(body: PlanSubmission, work: Work) -> PlanAccepted:
    """Submit a business plan; every beneficiary must have passed entrepreneurship training
    (409 `beneficiary_not_trained`) and be in no other pending or approved plan (409
    `beneficiary_in_another_plan`)."""
    [submitted] = await handlers.submit_plan(work, body.command(uuid4(), today()), body.words())
    return PlanAccepted(plan_id=submitted.plan_id, status=PlanStatus.SUBMITTED)


@router.get("/plans", response_model=list[PlanRow], responses=CSV_ANSWER, dependencies=[Reader])
async def list_plans(
    country_office: OfficePath,
    db: Db,
    status: PlanStatus | None = None,
    region: str | None = None,
    commune: str | None = None,
    submitted_from: date | None = None,
    submitted_to: date | None = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
    offset: Annotated[int, Query(ge=0)] = 0,
    format: Format = "json",
) -> list[PlanRow] | Response:
    """Plans by status and locality (spelt any way), newest first; `?format=csv` too."""
    where = queries.PlanFilter(status, region, commune, submitted_from, submitted_to)
    rows = await queries.plans(db, country_office, where, limit, offset)
    return spreadsheet("plans", PlanRow, rows) if format == "csv" else rows


@router.get("/plans/{plan_id}", dependencies=[Reader])
async def get_plan(country_office: OfficePath, plan_id: UUID, db: Db) -> PlanDetail:
    """One plan: its budget as submitted, reviewed and approved, its decision, its history."""
    return await queries.plan(db, country_office, plan_id)


async def _decide(work: Work, command: Decision, words: DecisionWords | None) -> DecisionRecorded:
    events = await handlers.decide_plan(work, command, words)
    rejected = isinstance(events[-1], PlanRejected)
    return DecisionRecorded(
        plan_id=command.plan_id,
        status=PlanStatus.REJECTED if rejected else PlanStatus.APPROVED,
        events=[event.event_name for event in events],
    )


@router.post("/plans/{plan_id}/approval", status_code=201, dependencies=[Secretary])
async def approve_plan(plan_id: UUID, body: Approval, work: Work) -> DecisionRecorded:
    """Approve the plan with its reviewed budget, in a held session of its locality."""
    return await _decide(work, body.command(plan_id), None)


@router.post("/plans/{plan_id}/rejection", status_code=201, dependencies=[Secretary])
async def reject_plan(plan_id: UUID, body: Rejection, work: Work) -> DecisionRecorded:
    """Reject the plan, with the committee's reasons as categories; its words (`note`) stay
    in committee's database."""
    return await _decide(work, body.command(plan_id), body.words())


@router.post("/plans/{plan_id}/amendment", status_code=201, dependencies=[Secretary])
async def amend_plan(plan_id: UUID, body: Amendment, work: Work) -> DecisionRecorded:
    """Change the budget or set conditions (categories); the plan is then approved as amended.
    The words (`note`, the items and specifications of new lines) stay in committee's database."""
    return await _decide(work, body.command(plan_id), body.words())
