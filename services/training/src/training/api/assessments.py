"""Skills assessments of claimed trades, and the certifications they and courses give."""

from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import Response

from reintegration_contracts.events.training import SkillCertified
from reintegration_sdk.http import RuntimeDep
from training import handlers
from training.api import export
from training.api.deps import Format, Office, Officer, Reader
from training.api.models import AssessmentRequest, Outcome
from training.queries import certifications as views

router = APIRouter(tags=["skills"])


@router.post("/{country_office}/assessments", status_code=201)
async def assess_skill(
    country_office: Office, body: AssessmentRequest, principal: Officer, runtime: RuntimeDep
) -> Outcome:
    async with runtime.transaction() as db:
        events = await handlers.assess_skill(
            db,
            runtime.store,
            runtime.context(principal, country_office),
            body.returnee_id,
            body.trade,
            body.centre_id,
            body.assessed_on,
            body.certified,
            body.level,
        )
    certified = any(isinstance(event, SkillCertified) for event in events)
    return Outcome(passed=certified, certified=certified)


@router.get("/{country_office}/assessments", response_model=list[views.AssessmentView])
async def list_assessments(
    country_office: Office,
    _: Reader,
    runtime: RuntimeDep,
    returnee_id: UUID | None = None,
    format: Format = "json",
) -> Response:
    async with runtime.pool.acquire() as db:
        found = await views.assessments(db, country_office, returnee_id)
    return export.rows(found, views.AssessmentView, format, f"assessments-{country_office}")


@router.get("/{country_office}/certifications", response_model=list[views.CertificationView])
async def list_certifications(
    country_office: Office,
    _: Reader,
    runtime: RuntimeDep,
    trade: str | None = None,
    centre_id: UUID | None = None,
    format: Format = "json",
) -> Response:
    async with runtime.pool.acquire() as db:
        found = await views.certifications(db, country_office, trade, centre_id)
    return export.rows(found, views.CertificationView, format, f"certifications-{country_office}")


@router.get(
    "/{country_office}/certifications/by-trade-and-centre",
    response_model=list[views.CertificationCount],
)
async def certification_counts(
    country_office: Office, _: Reader, runtime: RuntimeDep, format: Format = "json"
) -> Response:
    async with runtime.pool.acquire() as db:
        found = await views.counts(db, country_office)
    return export.rows(found, views.CertificationCount, format, f"certified-{country_office}")
