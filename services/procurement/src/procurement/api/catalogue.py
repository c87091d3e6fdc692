"""HTTP routes of the price catalogue, the tolerance and the kit catalogue per trade."""

from typing import Any
from uuid import uuid4

from fastapi import Response, status

from procurement import handlers
from procurement.api.common import Format, Officer, Reader, TradePath, spreadsheet, today
from procurement.api.models import KitIn, KitReviewIn, PriceIn, ToleranceIn
from procurement.domain import DefineKit, PriceItem, RecordReturneeReview, SetTolerance
from procurement.queries import views
from reintegration_contracts.events.procurement import KitItem
from reintegration_contracts.types import item_code
from reintegration_sdk import CSV_ANSWER, Db, NotFound, OfficePath, Work, office_router

router = office_router(tags=["catalogues"])

_PRICE_COLUMNS = ["item", "unit", "unit_price", "supplier", "currency", "priced_at"]


@router.post("/prices", dependencies=[Officer])
async def price_item(body: PriceIn, work: Work) -> dict[str, Any]:
    """Record an item's unit price and supplier in the office's price catalogue. The item is
    named in words: the catalogue is keyed by its code (`item_code`, in the answer), which
    budget lines, kits and orders carry; the words are kept here."""
    command = PriceItem(body.item, body.unit, body.unit_price, body.supplier, body.currency)
    events = await handlers.change_prices(work, command)
    return {**body.model_dump(), "code": item_code(body.item), "changed": bool(events)}


@router.get("/prices", response_model=None, responses=CSV_ANSWER, dependencies=[Reader])
async def list_prices(
    country_office: OfficePath, db: Db, format: Format = "json"
) -> list[dict[str, Any]] | Response:
    rows = await views.prices(db, country_office)
    if format == "csv":
        return spreadsheet(f"prices-{country_office}", _PRICE_COLUMNS, rows)
    return rows


@router.put("/price-tolerance", dependencies=[Officer])
async def set_tolerance(body: ToleranceIn, work: Work) -> dict[str, int]:
    """How far above the catalogue a budget line may go before the review flags it."""
    await handlers.change_prices(work, SetTolerance(body.tolerance_percent))
    return {"tolerance_percent": body.tolerance_percent}


@router.get("/price-tolerance", dependencies=[Reader])
async def get_tolerance(country_office: OfficePath, db: Db) -> dict[str, int]:
    return {"tolerance_percent": await views.tolerance_percent(db, country_office)}


@router.post("/kits/{trade}", status_code=status.HTTP_201_CREATED, dependencies=[Officer])
async def define_kit(
    trade: TradePath, body: KitIn, work: Work, response: Response
) -> dict[str, Any]:
    """A trade's minimum kit as set with trainers; a changed list is a new version (201),
    the same list again changes nothing (200)."""
    items = tuple(KitItem(item=item_code(i.item), quantity=i.quantity) for i in body.items)
    names = [i.item for i in body.items]
    events = await handlers.change_kit(work, trade, DefineKit(trade, items), names)
    if not events:
        response.status_code = status.HTTP_200_OK
    [current, *_] = await views.kits(work.db, work.country_office, trade)
    return current


@router.post(
    "/kits/{trade}/versions/{kit_version}/returnee-reviews",
    status_code=status.HTTP_201_CREATED,
    dependencies=[Officer],
)
async def review_kit(
    trade: TradePath, kit_version: int, body: KitReviewIn, work: Work
) -> dict[str, Any]:
    """What returnee representatives said of a kit version."""
    command = RecordReturneeReview(
        trade,
        kit_version,
        body.reviewed_on,
        body.endorsed,
        tuple(body.feedback),
        today(),
        categories=tuple(body.categories),
        review_id=uuid4(),
    )
    [reviewed] = await handlers.change_kit(work, trade, command)
    return reviewed.model_dump(mode="json")


@router.get("/kits", dependencies=[Reader])
async def list_kits(country_office: OfficePath, db: Db) -> list[dict[str, Any]]:
    return await views.kits(db, country_office)


@router.get("/kits/{trade}", dependencies=[Reader])
async def get_kit(country_office: OfficePath, trade: TradePath, db: Db) -> list[dict[str, Any]]:
    versions = await views.kits(db, country_office, trade)
    if not versions:
        raise NotFound(f"no kit is defined for {trade}")
    return versions
