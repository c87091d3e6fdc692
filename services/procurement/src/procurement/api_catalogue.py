"""HTTP routes of the price catalogue, the tolerance and the kit catalogue per trade."""

from typing import Any

from fastapi import APIRouter, status
from fastapi.responses import Response

from procurement import handlers, queries
from procurement.access import FormatQuery, Office, Officer, Reader, TradePath
from procurement.api_models import KitIn, KitReviewIn, PriceIn, ToleranceIn
from procurement.domain.kits import DefineKit, RecordReturneeReview
from procurement.domain.prices import PriceItem, SetTolerance
from procurement.export import Format, csv_response
from reintegration_contracts.events.procurement import KitItem
from reintegration_sdk.errors import NotFound
from reintegration_sdk.http import RuntimeDep

router = APIRouter(prefix="/offices/{country_office}", tags=["catalogues"])


@router.post("/prices")
async def price_item(
    body: PriceIn, country_office: Office, principal: Officer, runtime: RuntimeDep
) -> dict[str, Any]:
    """Record an item's unit price and supplier in the office's price catalogue."""
    command = PriceItem(body.item, body.unit, body.unit_price, body.supplier, body.currency)
    async with runtime.transaction() as db:
        events = await handlers.change_prices(
            db, command, runtime.context(principal, country_office)
        )
    return {**body.model_dump(), "changed": bool(events)}


@router.get("/prices", response_model=None)
async def list_prices(
    country_office: Office, _: Reader, runtime: RuntimeDep, fmt: FormatQuery = Format.JSON
) -> list[dict[str, Any]] | Response:
    rows = await queries.prices(runtime.pool, country_office)
    if fmt is Format.CSV:
        columns = ["item", "unit", "unit_price", "supplier", "currency", "priced_at"]
        return csv_response(rows, columns, f"prices-{country_office}")
    return rows


@router.put("/price-tolerance")
async def set_tolerance(
    body: ToleranceIn, country_office: Office, principal: Officer, runtime: RuntimeDep
) -> dict[str, int]:
    """How far above the catalogue a budget line may go before the review flags it."""
    async with runtime.transaction() as db:
        await handlers.change_prices(
            db,
            SetTolerance(body.tolerance_percent),
            runtime.context(principal, country_office),
        )
    return {"tolerance_percent": body.tolerance_percent}


@router.get("/price-tolerance")
async def get_tolerance(country_office: Office, _: Reader, runtime: RuntimeDep) -> dict[str, int]:
    return {"tolerance_percent": await queries.tolerance_percent(runtime.pool, country_office)}


@router.post("/kits/{trade}", status_code=status.HTTP_201_CREATED)
async def define_kit(
    trade: TradePath,
    body: KitIn,
    country_office: Office,
    principal: Officer,
    runtime: RuntimeDep,
    response: Response,
) -> dict[str, Any]:
    """A trade's minimum kit as set with trainers; a changed list is a new version (201),
    the same list again changes nothing (200)."""
    items = tuple(KitItem(item=i.item, quantity=i.quantity) for i in body.items)
    async with runtime.transaction() as db:
        events = await handlers.change_kit(
            db, trade, DefineKit(trade, items), runtime.context(principal, country_office)
        )
    if not events:
        response.status_code = status.HTTP_200_OK
    [current, *_] = await queries.kits(runtime.pool, country_office, trade)
    return current


@router.post(
    "/kits/{trade}/versions/{kit_version}/returnee-reviews",
    status_code=status.HTTP_201_CREATED,
)
async def review_kit(
    trade: TradePath,
    kit_version: int,
    body: KitReviewIn,
    country_office: Office,
    principal: Officer,
    runtime: RuntimeDep,
) -> dict[str, Any]:
    """What returnee representatives said of a kit version."""
    command = RecordReturneeReview(
        trade, kit_version, body.reviewed_on, body.endorsed, tuple(body.feedback), handlers.today()
    )
    async with runtime.transaction() as db:
        [reviewed] = await handlers.change_kit(
            db, trade, command, runtime.context(principal, country_office)
        )
    return reviewed.model_dump(mode="json")


@router.get("/kits")
async def list_kits(country_office: Office, _: Reader, runtime: RuntimeDep) -> list[dict[str, Any]]:
    return await queries.kits(runtime.pool, country_office)


@router.get("/kits/{trade}")
async def get_kit(
    trade: TradePath, country_office: Office, _: Reader, runtime: RuntimeDep
) -> list[dict[str, Any]]:
    versions = await queries.kits(runtime.pool, country_office, trade)
    if not versions:
        raise NotFound(f"no kit is defined for {trade}")
    return versions
