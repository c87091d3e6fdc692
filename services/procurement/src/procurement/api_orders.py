"""HTTP routes of kit orders, deliveries and the reports built on them."""

from typing import Any
from uuid import UUID

from fastapi import APIRouter, status
from fastapi.responses import Response

from procurement import handlers, queries
from procurement.access import (
    AggregateReader,
    FormatQuery,
    Office,
    Officer,
    Reader,
    TradePath,
)
from procurement.api_models import DeliveryIn, KitOrderIn
from procurement.domain.orders import Handover
from procurement.export import Format, csv_response
from reintegration_contracts.events.procurement import DeliveredItem
from reintegration_sdk.auth import ensure_office
from reintegration_sdk.errors import NotFound
from reintegration_sdk.http import RuntimeDep

router = APIRouter(prefix="/offices/{country_office}", tags=["kits"])

_ORDER_CSV = [
    "order_id",
    "basis",
    "plan_id",
    "trade",
    "kit_version",
    "total",
    "currency",
    "authorised_on",
    "ordered_on",
    "delivered_on",
    "delivered_value",
    "acknowledged",
]


def _handover(body: DeliveryIn) -> Handover:
    items = tuple(
        DeliveredItem(item=i.item, quantity=i.quantity, value=i.value) for i in body.items
    )
    return Handover(items, body.delivered_on, body.acknowledged_by_beneficiary)


@router.post("/certifications/{returnee_id}/{trade}/kit-order", status_code=status.HTTP_201_CREATED)
async def order_certified_kit(
    returnee_id: UUID,
    trade: TradePath,
    country_office: Office,
    principal: Officer,
    runtime: RuntimeDep,
    body: KitOrderIn | None = None,
) -> dict[str, Any]:
    """Order the individual vocational kit of a certified trade, from the current kit; dated
    today unless `ordered_on` says otherwise. The body is optional."""
    ordered_on = body.ordered_on if body else None
    async with runtime.transaction() as db:
        [ordered] = await handlers.order_for_certified_trade(
            db, returnee_id, trade, ordered_on, runtime.context(principal, country_office)
        )
    return ordered.model_dump(mode="json")


@router.post("/plans/{plan_id}/kit-delivery", status_code=status.HTTP_201_CREATED)
async def deliver_plan_kit(
    plan_id: UUID, body: DeliveryIn, country_office: Office, principal: Officer, runtime: RuntimeDep
) -> dict[str, Any]:
    """Record the handover of an approved plan's kit, acknowledged by the beneficiary."""
    async with runtime.transaction() as db:
        [delivered] = await handlers.deliver_plan_kit(
            db, plan_id, _handover(body), runtime.context(principal, country_office)
        )
    return delivered.model_dump(mode="json")


@router.post(
    "/certifications/{returnee_id}/{trade}/kit-delivery", status_code=status.HTTP_201_CREATED
)
async def deliver_certified_kit(
    returnee_id: UUID,
    trade: TradePath,
    body: DeliveryIn,
    country_office: Office,
    principal: Officer,
    runtime: RuntimeDep,
) -> dict[str, Any]:
    """Record the handover of a certified trade's kit, acknowledged by the returnee."""
    async with runtime.transaction() as db:
        [delivered] = await handlers.deliver_certified_kit(
            db, returnee_id, trade, _handover(body), runtime.context(principal, country_office)
        )
    return delivered.model_dump(mode="json")


@router.get("/certifications")
async def list_certifications(
    country_office: Office, _: Reader, runtime: RuntimeDep
) -> list[dict[str, Any]]:
    """Certified trades, with the kit order each has (or not yet)."""
    return await queries.certifications(runtime.pool, country_office)


@router.get("/kit-orders", response_model=None)
async def list_orders(
    country_office: Office,
    _: Reader,
    runtime: RuntimeDep,
    delivered: bool | None = None,
    fmt: FormatQuery = Format.JSON,
) -> list[dict[str, Any]] | Response:
    """Kit orders of the office; `delivered=true` lists deliveries, `false` what is awaited."""
    rows = await queries.orders(runtime.pool, country_office, delivered)
    if fmt is Format.CSV:
        return csv_response(rows, _ORDER_CSV, f"kit-orders-{country_office}")
    return rows


@router.get("/deliveries", response_model=None)
async def list_deliveries(
    country_office: Office, _: Reader, runtime: RuntimeDep, fmt: FormatQuery = Format.JSON
) -> list[dict[str, Any]] | Response:
    """Kits handed over, with their items, values and the beneficiary's acknowledgement."""
    rows = await queries.orders(runtime.pool, country_office, delivered=True)
    if fmt is Format.CSV:
        return csv_response(rows, _ORDER_CSV, f"deliveries-{country_office}")
    return rows


@router.get("/kit-orders/{order_id}")
async def get_order(
    order_id: UUID, country_office: Office, principal: Reader, runtime: RuntimeDep
) -> dict[str, Any]:
    office, row = await queries.order(runtime.pool, order_id)
    if office is None or row is None:
        raise NotFound(f"no kit order {order_id}")
    ensure_office(principal, office)
    if office != country_office:
        raise NotFound(f"no kit order {order_id} in {country_office}")
    return row


@router.get("/spend", response_model=None)
async def spend_per_trade(
    country_office: Office, _: AggregateReader, runtime: RuntimeDep, fmt: FormatQuery = Format.JSON
) -> list[dict[str, Any]] | Response:
    """Per trade: approved budgets beside what was ordered and what delivered kits cost."""
    rows = await queries.spend_per_trade(runtime.pool, country_office)
    if fmt is Format.CSV:
        columns = list(rows[0]) if rows else ["trade", "currency", "approved_budget"]
        return csv_response(rows, columns, f"spend-{country_office}")
    return rows


@router.get("/lead-times", response_model=None)
async def lead_times(
    country_office: Office, _: AggregateReader, runtime: RuntimeDep, fmt: FormatQuery = Format.JSON
) -> list[dict[str, Any]] | Response:
    """Days from approval (or certification) to delivery, per kit order."""
    rows = await queries.lead_times(runtime.pool, country_office)
    if fmt is Format.CSV:
        columns = [
            "order_id",
            "basis",
            "plan_id",
            "trade",
            "authorised_on",
            "ordered_on",
            "delivered_on",
            "lead_time_days",
            "days_waiting",
        ]
        return csv_response(rows, columns, f"lead-times-{country_office}")
    return rows
