"""HTTP routes of budget reviews: the automatic review's result and officers' revisions."""

from typing import Any
from uuid import UUID

from fastapi import APIRouter, status
from fastapi.responses import Response

from procurement import handlers, queries
from procurement.access import FormatQuery, Office, Officer, Reader
from procurement.api_models import RevisionIn
from procurement.domain.reviews import LineAdjustment
from procurement.export import Format, csv_response
from reintegration_sdk.auth import ensure_office
from reintegration_sdk.errors import NotFound
from reintegration_sdk.http import RuntimeDep

router = APIRouter(prefix="/offices/{country_office}", tags=["budget reviews"])


@router.get("/budget-reviews", response_model=None)
async def list_reviews(
    country_office: Office,
    _: Reader,
    runtime: RuntimeDep,
    flagged: bool = False,
    awaiting_officer: bool | None = None,
    fmt: FormatQuery = Format.JSON,
) -> list[dict[str, Any]] | Response:
    """The latest revision of each plan's review; `flagged=true` keeps those with flags,
    `awaiting_officer=true` those an officer must revise before the committee may decide
    (`false`: the complete ones)."""
    rows = await queries.latest_reviews(runtime.pool, country_office, flagged, awaiting_officer)
    if fmt is Format.CSV:
        columns = [
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
        return csv_response(rows, columns, f"budget-reviews-{country_office}")
    return rows


@router.get("/budget-reviews/{plan_id}")
async def get_review(
    plan_id: UUID, country_office: Office, principal: Reader, runtime: RuntimeDep
) -> list[dict[str, Any]]:
    """Every revision of one plan's review, the automatic one first."""
    office, revisions = await queries.review_revisions(runtime.pool, plan_id)
    if office is None:
        raise NotFound(f"no budget review of plan {plan_id}")
    ensure_office(principal, office)
    if office != country_office:
        raise NotFound(f"no budget review of plan {plan_id} in {country_office}")
    return revisions


@router.post("/budget-reviews/{plan_id}/revisions", status_code=status.HTTP_201_CREATED)
async def revise_review(
    plan_id: UUID,
    body: RevisionIn,
    country_office: Office,
    principal: Officer,
    runtime: RuntimeDep,
) -> dict[str, Any]:
    """An officer's revision: line overrides with reasons, against today's catalogue, dated
    the day the officer reviewed the lines (today unless `reviewed_on` says otherwise)."""
    adjustments = tuple(
        LineAdjustment(a.line, a.reason, a.reviewed_unit_cost, a.specification)
        for a in body.adjustments
    )
    async with runtime.transaction() as db:
        [revised] = await handlers.revise_review(
            db,
            plan_id,
            adjustments,
            body.note,
            body.reviewed_on,
            runtime.context(principal, country_office),
        )
    return revised.model_dump(mode="json")
