"""Intake's HTTP API: reception, consent, counselling, the personal-data vault and erasure.

Every route is scoped by `{country_office}`; an endpoint turns a request into a command and a
result into a response, nothing more.
"""

from datetime import UTC, date, datetime
from typing import Annotated, Literal
from uuid import UUID, uuid4

from fastapi import APIRouter, Depends, Path, Query, Response, status

from intake import handlers, queries
from intake.csv_export import COLUMNS, caseload_rows
from intake.domain import EraseReturnee, Stage
from intake.errors import IntakeRoute
from intake.models import (
    CaseloadFilter,
    CaseSummary,
    CaseView,
    ConsentRequest,
    ConsentView,
    Erased,
    InterviewRequest,
    PersonalDataView,
    Registered,
    RegistrationRequest,
    SessionRequest,
    SessionView,
)
from reintegration_contracts.events.intake import ConsentWithdrawn
from reintegration_sdk.auth import Principal, Role, office_scoped
from reintegration_sdk.export import csv_response
from reintegration_sdk.http import RuntimeDep

Office = Annotated[str, Path(pattern=r"^[a-z]{2}$", description="ISO 3166-1 alpha-2, lower case")]
Caseworker = Annotated[Principal, Depends(office_scoped(Role.CASEWORKER))]
CaseReader = Annotated[Principal, Depends(office_scoped(Role.CASEWORKER, Role.MONITORING_OFFICER))]
# Personal data is shown only to those granted it explicitly (an office manager is not).
PersonalDataViewer = Annotated[Principal, Depends(office_scoped(Role.PERSONAL_DATA_VIEWER))]
OfficeManager = Annotated[Principal, Depends(office_scoped(Role.OFFICE_MANAGER))]

router = APIRouter(prefix="/offices/{country_office}", tags=["intake"], route_class=IntakeRoute)


def today() -> date:
    return datetime.now(UTC).date()


@router.post("/returnees", status_code=status.HTTP_201_CREATED)
async def register_returnee(
    country_office: Office, body: RegistrationRequest, principal: Caseworker, runtime: RuntimeDep
) -> Registered:
    """Open a case. 409 `likely_duplicate` lists the candidates; send
    `duplicate_override_reason` to register anyway."""
    command = body.command(uuid4(), today())
    context = runtime.context(principal, country_office)
    [registered] = await handlers.register_returnee(runtime, context, command)
    return Registered.model_validate({**registered.model_dump(), "stage": Stage.REGISTERED})


@router.get("/returnees", response_model=list[CaseSummary])
async def caseload(
    country_office: Office,
    where: Annotated[CaseloadFilter, Query()],
    _: CaseReader,
    runtime: RuntimeDep,
    format: Literal["json", "csv"] = "json",
) -> list[CaseSummary] | Response:
    """The office's caseload, filtered; `?format=csv` for a spreadsheet."""
    cases = await queries.caseload(runtime.pool, country_office, where)
    if format == "csv":
        return csv_response(f"caseload-{country_office}", COLUMNS, caseload_rows(cases))
    return cases


@router.get("/returnees/{returnee_id}")
async def case(
    country_office: Office, returnee_id: UUID, _: CaseReader, runtime: RuntimeDep
) -> CaseView:
    """One case with its consents and counselling history (no personal data)."""
    return await queries.case(runtime.pool, country_office, returnee_id)


@router.get("/returnees/{returnee_id}/personal-data")
async def personal_data(
    country_office: Office, returnee_id: UUID, _: PersonalDataViewer, runtime: RuntimeDep
) -> PersonalDataView:
    """Who the returnee is, from the vault; 410 once erased."""
    return await queries.personal_data(runtime.pool, country_office, returnee_id)


@router.delete("/returnees/{returnee_id}/personal-data")
async def erase(
    country_office: Office, returnee_id: UUID, principal: OfficeManager, runtime: RuntimeDep
) -> Erased:
    """Erasure on the returnee's request: the vault record goes, consents end, the case stays
    anonymous."""
    context = runtime.context(principal, country_office)
    command = EraseReturnee(erased_on=today())
    events = await handlers.erase_returnee(runtime, context, returnee_id, command)
    withdrawn = sum(isinstance(e, ConsentWithdrawn) for e in events)
    return Erased(
        returnee_id=returnee_id, erased_on=command.erased_on, consents_withdrawn=withdrawn
    )


@router.get("/returnees/{returnee_id}/consents")
async def consents(
    country_office: Office, returnee_id: UUID, _: CaseReader, runtime: RuntimeDep
) -> list[ConsentView]:
    """Consents in force now."""
    return await queries.current_consents(runtime.pool, country_office, returnee_id)


@router.post("/returnees/{returnee_id}/consents", status_code=status.HTTP_201_CREATED)
async def record_consent(
    country_office: Office,
    returnee_id: UUID,
    body: ConsentRequest,
    principal: Caseworker,
    runtime: RuntimeDep,
) -> list[ConsentView]:
    context = runtime.context(principal, country_office)
    await handlers.act_on_case(runtime, context, returnee_id, body.record(today()))
    return await queries.current_consents(runtime.pool, country_office, returnee_id)


@router.post("/returnees/{returnee_id}/consents/withdrawals")
async def withdraw_consent(
    country_office: Office,
    returnee_id: UUID,
    body: ConsentRequest,
    principal: Caseworker,
    runtime: RuntimeDep,
) -> list[ConsentView]:
    context = runtime.context(principal, country_office)
    await handlers.act_on_case(runtime, context, returnee_id, body.withdraw(today()))
    return await queries.current_consents(runtime.pool, country_office, returnee_id)


@router.post("/returnees/{returnee_id}/interviews", status_code=status.HTTP_201_CREATED)
async def record_interview(
    country_office: Office,
    returnee_id: UUID,
    body: InterviewRequest,
    principal: Caseworker,
    runtime: RuntimeDep,
) -> CaseView:
    """The individual counselling interview; its note goes to the vault."""
    context = runtime.context(principal, country_office)
    await handlers.record_interview(runtime, context, returnee_id, body.command(today()))
    return await queries.case(runtime.pool, country_office, returnee_id)


@router.post("/counselling-sessions", status_code=status.HTTP_201_CREATED)
async def hold_session(
    country_office: Office, body: SessionRequest, principal: Caseworker, runtime: RuntimeDep
) -> SessionView:
    """A group job-counselling session; each participant gets CounsellingAttended."""
    command = body.command(body.session_id or uuid4(), today())
    context = runtime.context(principal, country_office)
    await handlers.hold_counselling_session(runtime, context, command)
    return await queries.session(runtime.pool, country_office, command.session_id)


@router.get("/counselling-sessions/{session_id}")
async def session(
    country_office: Office, session_id: UUID, _: CaseReader, runtime: RuntimeDep
) -> SessionView:
    return await queries.session(runtime.pool, country_office, session_id)
