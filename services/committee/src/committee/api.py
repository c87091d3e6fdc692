"""HTTP routes: each turns a request into a command or a query, and the result into a body."""

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Annotated
from uuid import UUID, uuid4

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from committee import handlers, queries
from committee.domain import Decision, PlanStatus
from committee.exports import Format, csv_response
from committee.requests import (
    Amendment,
    Approval,
    PlanSubmission,
    Rejection,
    SessionRecord,
    ThresholdSetting,
)
from committee.views import (
    ConveningReport,
    DecisionRecorded,
    FunnelReport,
    FunnelRow,
    PlanAccepted,
    PlanDetail,
    PlanRow,
    ReadyLocality,
    SessionAccepted,
    SessionDetail,
    SessionRow,
    ThresholdView,
)
from reintegration_contracts.events.committee import PlanRejected
from reintegration_contracts.types import CountryOffice
from reintegration_sdk.auth import CurrentPrincipal, Principal, Role, office_scoped
from reintegration_sdk.http import RuntimeDep

_READERS = (
    Role.CASEWORKER,
    Role.COMMITTEE_SECRETARY,
    Role.PROCUREMENT_OFFICER,
    Role.MONITORING_OFFICER,
    Role.TRAINING_OFFICER,
)


def _office_or_hq(*roles: str) -> Callable[..., Principal]:
    """Office staff for their own office; HQ analysts read aggregates of any office."""
    scoped = office_scoped(*roles)

    def dependency(country_office: str, principal: CurrentPrincipal) -> Principal:
        return principal if principal.is_hq else scoped(country_office, principal)

    return dependency


Submitter = Annotated[Principal, Depends(office_scoped(Role.CASEWORKER, Role.COMMITTEE_SECRETARY))]
Secretary = Annotated[Principal, Depends(office_scoped(Role.COMMITTEE_SECRETARY))]
Manager = Annotated[Principal, Depends(office_scoped(Role.OFFICE_MANAGER))]
Reader = Annotated[Principal, Depends(office_scoped(*_READERS))]
AggregateReader = Annotated[Principal, Depends(_office_or_hq(*_READERS))]
Office = CountryOffice
AsCsv = Annotated[Format, Query(alias="format")]

router = APIRouter(prefix="/{country_office}", tags=["committee"])


def _today() -> date:
    return datetime.now(UTC).date()


# Business plans ---------------------------------------------------------------------------


@router.post("/plans", status_code=201)
async def submit_plan(
    country_office: Office, body: PlanSubmission, runtime: RuntimeDep, principal: Submitter
) -> PlanAccepted:
    """Submit a business plan; every beneficiary must have passed entrepreneurship training."""
    plan_id = uuid4()
    async with runtime.transaction() as db:
        command = body.command(plan_id, _today())
        await handlers.submit_plan(db, runtime.context(principal, country_office), command)
    return PlanAccepted(plan_id=plan_id, status=PlanStatus.SUBMITTED)


@router.get("/plans", response_model=list[PlanRow])
async def list_plans(
    country_office: Office,
    runtime: RuntimeDep,
    _: Reader,
    status: PlanStatus | None = None,
    region: str | None = None,
    commune: str | None = None,
    submitted_from: date | None = None,
    submitted_to: date | None = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
    offset: Annotated[int, Query(ge=0)] = 0,
    output: AsCsv = Format.JSON,
) -> list[PlanRow] | Response:
    """Plans by status and locality, newest first."""
    where = queries.PlanFilter(status, region, commune, submitted_from, submitted_to)
    rows = await queries.plans(runtime.pool, country_office, where, limit, offset)
    return csv_response(rows, PlanRow, "plans") if output == Format.CSV else rows


@router.get("/plans/{plan_id}")
async def get_plan(
    country_office: Office, plan_id: UUID, runtime: RuntimeDep, _: Reader
) -> PlanDetail:
    """One plan: its budget as submitted, reviewed and approved, its decision, its history."""
    return await queries.plan(runtime.pool, country_office, plan_id)


async def _decide(
    runtime: RuntimeDep, principal: Principal, office: str, plan_id: UUID, command: Decision
) -> DecisionRecorded:
    async with runtime.transaction() as db:
        context = runtime.context(principal, office)
        events = await handlers.decide_plan(db, context, plan_id, command)
    rejected = isinstance(events[-1], PlanRejected)
    return DecisionRecorded(
        plan_id=plan_id,
        status=PlanStatus.REJECTED if rejected else PlanStatus.APPROVED,
        events=[event.event_name for event in events],
    )


@router.post("/plans/{plan_id}/approval", status_code=201)
async def approve_plan(
    country_office: Office, plan_id: UUID, body: Approval, runtime: RuntimeDep, who: Secretary
) -> DecisionRecorded:
    """Approve the plan with its reviewed budget, in a held session of its locality."""
    return await _decide(runtime, who, country_office, plan_id, body.command())


@router.post("/plans/{plan_id}/rejection", status_code=201)
async def reject_plan(
    country_office: Office, plan_id: UUID, body: Rejection, runtime: RuntimeDep, who: Secretary
) -> DecisionRecorded:
    """Reject the plan, with the committee's reasons."""
    return await _decide(runtime, who, country_office, plan_id, body.command())


@router.post("/plans/{plan_id}/amendment", status_code=201)
async def amend_plan(
    country_office: Office, plan_id: UUID, body: Amendment, runtime: RuntimeDep, who: Secretary
) -> DecisionRecorded:
    """Change the budget or set conditions; the plan is then approved as amended."""
    return await _decide(runtime, who, country_office, plan_id, body.command())


# Committee sessions -----------------------------------------------------------------------


@router.post("/sessions", status_code=201)
async def hold_session(
    country_office: Office, body: SessionRecord, runtime: RuntimeDep, who: Secretary
) -> SessionAccepted:
    """Record a session held in a locality (3+ members, a local authority, a technical expert)."""
    session_id = uuid4()
    async with runtime.transaction() as db:
        command = body.command(session_id, _today())
        await handlers.hold_session(db, runtime.context(who, country_office), command)
    return SessionAccepted(session_id=session_id)


@router.get("/sessions", response_model=list[SessionRow])
async def list_sessions(
    country_office: Office, runtime: RuntimeDep, _: Reader, output: AsCsv = Format.JSON
) -> list[SessionRow] | Response:
    rows = await queries.sessions(runtime.pool, country_office)
    return csv_response(rows, SessionRow, "sessions") if output == Format.CSV else rows


@router.get("/sessions/{session_id}")
async def get_session(
    country_office: Office, session_id: UUID, runtime: RuntimeDep, _: Reader
) -> SessionDetail:
    return await queries.session(runtime.pool, country_office, session_id)


# Convening and the funnel -----------------------------------------------------------------


@router.get("/convening-threshold")
async def get_threshold(country_office: Office, runtime: RuntimeDep, _: Reader) -> ThresholdView:
    return await queries.threshold(runtime.pool, country_office)


@router.put("/convening-threshold")
async def set_threshold(
    country_office: Office, body: ThresholdSetting, runtime: RuntimeDep, who: Manager
) -> ThresholdView:
    """How many reviewed plans a locality needs waiting before a session is convened."""
    async with runtime.transaction() as db:
        context = runtime.context(who, country_office)
        await handlers.set_convening_threshold(db, context, body.command(_today()))
    return await queries.threshold(runtime.pool, country_office)


@router.get("/localities/ready-to-convene", response_model=ConveningReport)
async def ready_to_convene(
    country_office: Office,
    runtime: RuntimeDep,
    _: AggregateReader,
    threshold: Annotated[int | None, Query(ge=1, le=50)] = None,
    output: AsCsv = Format.JSON,
) -> ConveningReport | Response:
    """Localities with enough reviewed plans waiting (the office's threshold unless given)."""
    report = await queries.ready_to_convene(runtime.pool, country_office, threshold)
    if output == Format.CSV:
        return csv_response(report.localities, ReadyLocality, "ready-to-convene")
    return report


@router.get("/funnel", response_model=FunnelReport)
async def funnel(
    country_office: Office,
    runtime: RuntimeDep,
    _: AggregateReader,
    region: str | None = None,
    commune: str | None = None,
    submitted_from: date | None = None,
    submitted_to: date | None = None,
    output: AsCsv = Format.JSON,
) -> FunnelReport | Response:
    """Plans and beneficiaries at each stage per locality, approval rate, days to decision."""
    where = queries.PlanFilter(None, region, commune, submitted_from, submitted_to)
    report = await queries.funnel(runtime.pool, country_office, where)
    if output == Format.CSV:
        return csv_response([*report.localities, report.total], FunnelRow, "funnel")
    return report
