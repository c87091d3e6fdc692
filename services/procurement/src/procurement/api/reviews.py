"""HTTP routes of budget reviews: the automatic review's result and officers' revisions."""

from typing import Any
from uuid import UUID

from fastapi import Response, status

from procurement import handlers
from procurement.api.common import Format, Officer, Reader, spreadsheet, today
from procurement.api.models import RevisionIn
from procurement.domain import LineAdjustment, PriceCatalogue, ReviseReview
from procurement.queries import views
from reintegration_sdk import (
    CSV_ANSWER,
    Db,
    NotFound,
    OfficePath,
    Work,
    office_router,
)

router = office_router(tags=["budget reviews"])

_REVIEW_COLUMNS = [
    "plan_id",
    "revision",
    "reviewed_on",
    "reviewer",
    "awaiting_officer",
    "flagged_lines",
    "submitted_total",
    "reviewed_total",
    "currency",
]


@router.get("/budget-reviews", response_model=None, responses=CSV_ANSWER, dependencies=[Reader])
async def list_reviews(
    country_office: OfficePath,
    db: Db,
    flagged: bool = False,
    awaiting_officer: bool | None = None,
    format: Format = "json",
) -> list[dict[str, Any]] | Response:
    """The latest revision of each plan's review; `flagged=true` keeps those with flags,
    `awaiting_officer=true` those an officer must revise before the committee may decide
    (`false`: the complete ones)."""
    rows = await views.latest_reviews(db, country_office, flagged, awaiting_officer)
    if format == "csv":
        return spreadsheet(f"budget-reviews-{country_office}", _REVIEW_COLUMNS, rows)
    return rows


@router.get("/budget-reviews/{plan_id}", dependencies=[Reader])
async def get_review(country_office: OfficePath, plan_id: UUID, db: Db) -> list[dict[str, Any]]:
    """Every revision of one plan's review, the automatic one first."""
    office, revisions = await views.review_revisions(db, plan_id)
    if office != country_office:
        # Another office's review reads as one never made: a 403 would tell it exists.
        raise NotFound(f"no budget review of plan {plan_id}")
    return revisions


@router.post(
    "/budget-reviews/{plan_id}/revisions",
    status_code=status.HTTP_201_CREATED,
    dependencies=[Officer],
)
async def revise_review(plan_id: UUID, body: RevisionIn, work: Work) -> dict[str, Any]:
    """An officer's revision: line overrides with reasons, against today's catalogue, dated
    the day the officer reviewed the lines (today unless `reviewed_on` says otherwise)."""
    adjustments = tuple(
        LineAdjustment(a.line, a.reason, a.reviewed_unit_cost, a.specification, a.category)
        for a in body.adjustments
    )
    now = today()
    command = ReviseReview(
        plan_id,
        adjustments,
        catalogue=PriceCatalogue(),  # the handler reads the office's catalogue
        reviewed_on=body.reviewed_on or now,
        reviewer=work.context.actor,
        plan_decided=False,  # the handler reads what committee decided
        today=now,
        note=body.note,
        note_category=body.note_category,
    )
    [revised] = await handlers.revise_review(work, command)
    return revised.model_dump(mode="json")
