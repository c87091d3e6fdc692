"""The consent-free aggregates feed: counts of returnees per office, stage and trade that a
partner's agreements in force cover; no person, no pseudonym, small counts suppressed."""

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from partners import feedstore
from partners.api.feeds import Partner
from partners.domain.aggregates import SUPPRESSION_REASON, RawCount, suppressed
from reintegration_contracts.stages import Stage
from reintegration_sdk import CSV_ANSWER, CommandRoute, Db, csv_response

router = APIRouter(
    prefix="/partners/{partner_id}", tags=["partner aggregates"], route_class=CommandRoute
)

# Held events an agreement in force covers (office, shared type, its days); the trade shows
# only where one of them shares the event type's `trade` field.
COUNTS = """
SELECT o.country_office, o.event_type,
       CASE WHEN m.trade_shared THEN o.data->>'trade' END AS trade,
       count(DISTINCT o.returnee_id) AS returnees
FROM observed_events o
JOIN LATERAL (
    SELECT count(*) AS agreements,
           coalesce(bool_or((a.shares -> o.event_type) ? 'trade'), false) AS trade_shared
    FROM agreements a
    WHERE a.partner_id = $1 AND a.revoked_on IS NULL AND a.ends_on >= current_date
      AND o.country_office = ANY(a.offices) AND a.shares ? o.event_type
      AND o.occurred_at >= a.starts_on AND o.occurred_at < a.ends_on + 1
) m ON m.agreements > 0
GROUP BY 1, 2, 3
"""


class Suppression(BaseModel):
    below: int = Field(description="Counts below this are shown as '<below'")
    why: str


class AggregateCell(BaseModel):
    country_office: str
    event_type: str
    stage: Stage | None = Field(description="The stage of the returnee's path it marks")
    trade: str | None = Field(description="Only where an agreement shares the trade")
    returnees: int | None = Field(description="Distinct returnees; null when suppressed")
    shown: str = Field(examples=["12", "<5"])


class Aggregates(BaseModel):
    as_of: date
    suppression: Suppression
    cells: list[AggregateCell]


@router.get("/aggregates", response_model=Aggregates, responses=CSV_ANSWER)
async def aggregates(
    partner: Partner, db: Db, format: Annotated[Literal["json", "csv"], Query()] = "json"
) -> Aggregates | Response:
    """Counts of returnees, not consent-gated because they name no one: per office, event
    type (stage) and trade, over what the partner's agreements in force cover."""
    rows = await db.fetch(COUNTS, partner)
    minimum = feedstore.settings().aggregate_min_count
    cells = suppressed([RawCount(**dict(row)) for row in rows], minimum)
    if format == "csv":
        columns = ["country_office", "event_type", "stage", "trade", "returnees"]
        lines = [[c.country_office, c.event_type, c.stage or "", c.trade or "", c.shown]
                 for c in cells]  # fmt: skip
        return csv_response(f"aggregates-{partner}", columns, lines)
    return Aggregates(
        as_of=await db.fetchval("SELECT current_date"),
        suppression=Suppression(below=minimum, why=SUPPRESSION_REASON.format(n=minimum)),
        cells=[AggregateCell.model_validate(c, from_attributes=True) for c in cells],
    )
