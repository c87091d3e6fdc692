"""Skills assessments of claimed trades, and the certifications they and courses give."""

from datetime import date
from uuid import UUID

from fastapi import Response

from reintegration_contracts.events.training import SkillCertified
from reintegration_sdk import CSV_ANSWER, Db, OfficePath, Work, office_router
from training import handlers
from training.api.deps import Format, Officer, Reader, spreadsheet
from training.api.models import AssessmentRequest, Outcome
from training.domain.assessments import AssessSkill
from training.queries import certifications as views

router = office_router(tags=["skills"])


@router.post("/assessments", status_code=201, dependencies=[Officer])
async def assess_skill(body: AssessmentRequest, work: Work) -> Outcome:
    """A claimed trade of a returnee the office registered, assessed at a contracted,
    inspected centre teaching it (409 `returnee_not_registered`, `dated_in_the_future`)."""
    command = AssessSkill(
        body.returnee_id,
        body.trade,
        body.centre_id,
        body.assessed_on,
        body.certified,
        body.level,
        today=date.today(),
    )
    events = await handlers.assess_skill(work, command)
    certified = any(isinstance(event, SkillCertified) for event in events)
    return Outcome(passed=certified, certified=certified)


@router.get(
    "/assessments",
    response_model=list[views.AssessmentView],
    responses=CSV_ANSWER,
    dependencies=[Reader],
)
async def list_assessments(
    country_office: OfficePath, db: Db, returnee_id: UUID | None = None, format: Format = "json"
) -> list[views.AssessmentView] | Response:
    found = await views.assessments(db, country_office, returnee_id)
    if format == "csv":
        return spreadsheet(f"assessments-{country_office}", views.AssessmentView, found)
    return found


@router.get(
    "/certifications",
    response_model=list[views.CertificationView],
    responses=CSV_ANSWER,
    dependencies=[Reader],
)
async def list_certifications(
    country_office: OfficePath,
    db: Db,
    trade: str | None = None,
    centre_id: UUID | None = None,
    format: Format = "json",
) -> list[views.CertificationView] | Response:
    found = await views.certifications(db, country_office, trade, centre_id)
    if format == "csv":
        return spreadsheet(f"certifications-{country_office}", views.CertificationView, found)
    return found


@router.get(
    "/certifications/by-trade-and-centre",
    response_model=list[views.CertificationCount],
    responses=CSV_ANSWER,
    dependencies=[Reader],
)
async def certification_counts(
    country_office: OfficePath, db: Db, format: Format = "json"
) -> list[views.CertificationCount] | Response:
    found = await views.counts(db, country_office)
    if format == "csv":
        return spreadsheet(f"certified-{country_office}", views.CertificationCount, found)
    return found
