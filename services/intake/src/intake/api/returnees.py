"""Returnees: reception, the caseload and who holds each case, consent, individual
counselling, the personal-data vault and erasure."""

from typing import Annotated
from uuid import UUID, uuid4

from fastapi import Query, Response

from intake import handlers, queries
from intake.api.deps import (
    ERASED,
    CaseReader,
    Caseworker,
    Format,
    OfficeManager,
    PersonalDataViewer,
    today,
)
from intake.api.models import (
    AssignmentRequest,
    ConsentRequest,
    Erased,
    InterviewRequest,
    Registered,
    RegistrationRequest,
)
from intake.api.spreadsheet import COLUMNS, caseload_rows
from intake.domain import EraseReturnee, Stage
from intake.queries.views import (
    CaseloadFilter,
    CaseSummary,
    CaseView,
    ConsentView,
    PersonalDataView,
)
from reintegration_contracts.events.intake import ConsentWithdrawn
from reintegration_sdk import (
    CSV_ANSWER,
    Db,
    OfficePath,
    Principal,
    Role,
    Work,
    csv_response,
    office_router,
)

router = office_router(tags=["returnees"])


CaseworkerPrincipal = Annotated[Principal, Caseworker]


@router.post("/returnees", status_code=201)
async def register_returnee(
    body: RegistrationRequest, principal: CaseworkerPrincipal, work: Work
) -> Registered:
    """Open a case, held by the caseworker who registers it (an office manager's registration
    leaves it unassigned). 409 `likely_duplicate` lists the candidates; send
    `duplicate_override` with a reason to register anyway."""
    # A caseworker's own role, not the office manager's stand-in for it, makes one the holder.
    holder = principal.subject if Role.CASEWORKER in principal.roles else None
    command = body.command(uuid4(), today(), caseworker=holder)
    [registered] = await handlers.register_returnee(work, command)
    return Registered.model_validate({**registered.model_dump(), "stage": Stage.REGISTERED})


@router.get(
    "/returnees",
    response_model=list[CaseSummary],
    responses=CSV_ANSWER,
)
async def caseload(
    country_office: OfficePath,
    where: Annotated[CaseloadFilter, Query()],
    principal: Annotated[Principal, CaseReader],
    db: Db,
    format: Format = "json",
) -> list[CaseSummary] | Response:
    """The office's caseload, filtered (`?assigned_to=me`: my cases); `?format=csv` for a
    spreadsheet."""
    cases = await queries.caseload(db, country_office, where, principal.subject)
    if format == "csv":
        return csv_response(f"caseload-{country_office}", COLUMNS, caseload_rows(cases))
    return cases


@router.get("/returnees/{returnee_id}", dependencies=[CaseReader])
async def case(country_office: OfficePath, returnee_id: UUID, db: Db) -> CaseView:
    """One case with its consents and counselling history (no personal data)."""
    return await queries.case(db, country_office, returnee_id)


@router.get(
    "/returnees/{returnee_id}/personal-data", responses=ERASED, dependencies=[PersonalDataViewer]
)
async def personal_data(country_office: OfficePath, returnee_id: UUID, db: Db) -> PersonalDataView:
    """Who the returnee is, from the vault; 410 once erased."""
    return await queries.personal_data(db, country_office, returnee_id)


@router.delete(
    "/returnees/{returnee_id}/personal-data", responses=ERASED, dependencies=[OfficeManager]
)
async def erase(returnee_id: UUID, work: Work) -> Erased:
    """Erasure on the returnee's request: the vault record goes, consents end, the case stays
    anonymous."""
    command = EraseReturnee(erased_on=today())
    events = await handlers.erase_returnee(work, returnee_id, command)
    withdrawn = sum(isinstance(e, ConsentWithdrawn) for e in events)
    return Erased(
        returnee_id=returnee_id, erased_on=command.erased_on, consents_withdrawn=withdrawn
    )


@router.post("/returnees/{returnee_id}/assignments", status_code=201)
async def assign_case(
    returnee_id: UUID, body: AssignmentRequest, principal: CaseworkerPrincipal, work: Work
) -> CaseView:
    """Give the case to a caseworker: without `caseworker` the caller takes it (a case no one
    holds); an office manager assigns or reassigns it to anyone."""
    manager = principal.has_role(Role.OFFICE_MANAGER)
    command = body.command(principal.subject, manager, today())
    await handlers.act_on_case(work, returnee_id, command)
    return await queries.case(work.db, work.country_office, returnee_id)


@router.get("/returnees/{returnee_id}/consents", dependencies=[CaseReader])
async def consents(country_office: OfficePath, returnee_id: UUID, db: Db) -> list[ConsentView]:
    """Consents in force now."""
    return await queries.current_consents(db, country_office, returnee_id)


@router.post("/returnees/{returnee_id}/consents", status_code=201, dependencies=[Caseworker])
async def record_consent(returnee_id: UUID, body: ConsentRequest, work: Work) -> list[ConsentView]:
    await handlers.act_on_case(work, returnee_id, body.record(today()))
    return await queries.current_consents(work.db, work.country_office, returnee_id)


@router.post("/returnees/{returnee_id}/consents/withdrawals", dependencies=[Caseworker])
async def withdraw_consent(
    returnee_id: UUID, body: ConsentRequest, work: Work
) -> list[ConsentView]:
    await handlers.act_on_case(work, returnee_id, body.withdraw(today()))
    return await queries.current_consents(work.db, work.country_office, returnee_id)


@router.post("/returnees/{returnee_id}/interviews", status_code=201, dependencies=[Caseworker])
async def record_interview(returnee_id: UUID, body: InterviewRequest, work: Work) -> CaseView:
    """The individual counselling interview; its note goes to the vault."""
    await handlers.record_interview(work, returnee_id, body.command(today()))
    return await queries.case(work.db, work.country_office, returnee_id)
