"""HTTP routes of kit orders, deliveries and the reports built on them."""

from typing import Any
from uuid import UUID

from fastapi import Response, status

from procurement import handlers
from procurement.api.common import (
    AggregateReader,
    Format,
    Officer,
    Reader,
    TradePath,
    spreadsheet,
    today,
)
from procurement.api.models import DeliveryIn, KitOrderIn
from procurement.domain import DeliverKit, Handover, OrderForCertifiedTrade, PriceCatalogue
from procurement.queries import views
from reintegration_contracts.events.procurement import DeliveredItem, OrderBasis
from reintegration_contracts.types import item_code
from reintegration_sdk import (
    CSV_ANSWER,
    CurrentPrincipal,
    Db,
    NotFound,
    OfficePath,
    Work,
    office_router,
)
from reintegration_sdk.auth import ensure_office

router = office_router(tags=["kits"])

_ORDER_COLUMNS = [
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
_LEAD_TIME_COLUMNS = [
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


def _delivery(basis: OrderBasis, body: DeliveryIn) -> DeliverKit:
    items = tuple(
        DeliveredItem(item=item_code(i.item), quantity=i.quantity, value=i.value)
        for i in body.items
    )
    handover = Handover(items, body.delivered_on, body.acknowledged_by_beneficiary)
    # Whether the plan is approved or the trade certified is the handler's to find out.
    return DeliverKit(basis, entitled=False, handover=handover, today=today())


@router.post(
    "/certifications/{returnee_id}/{trade}/kit-order",
    status_code=status.HTTP_201_CREATED,
    dependencies=[Officer],
)
async def order_certified_kit(
    returnee_id: UUID, trade: TradePath, work: Work, body: KitOrderIn | None = None
) -> dict[str, Any]:
    """Order the individual vocational kit of a certified trade, from the current kit; dated
    today unless `ordered_on` says otherwise. The body is optional."""
    now = today()
    ordered_on = body.ordered_on if body and body.ordered_on else now
    # The certification, the kit and the catalogue are the handler's to read.
    command = OrderForCertifiedTrade(
        returnee_id, trade, None, None, PriceCatalogue(), ordered_on, now
    )
    [ordered] = await handlers.order_for_certified_trade(work, command)
    return ordered.model_dump(mode="json")


@router.post(
    "/plans/{plan_id}/kit-delivery", status_code=status.HTTP_201_CREATED, dependencies=[Officer]
)
async def deliver_plan_kit(plan_id: UUID, body: DeliveryIn, work: Work) -> dict[str, Any]:
    """Record the handover of an approved plan's kit, acknowledged by the beneficiary."""
    command = _delivery(OrderBasis.APPROVED_PLAN, body)
    [delivered] = await handlers.deliver_plan_kit(work, plan_id, command)
    return delivered.model_dump(mode="json")


@router.post(
    "/certifications/{returnee_id}/{trade}/kit-delivery",
    status_code=status.HTTP_201_CREATED,
    dependencies=[Officer],
)
async def deliver_certified_kit(
    returnee_id: UUID, trade: TradePath, body: DeliveryIn, work: Work
) -> dict[str, Any]:
    """Record the handover of a certified trade's kit, acknowledged by the returnee."""
    command = _delivery(OrderBasis.CERTIFIED_TRADE, body)
    [delivered] = await handlers.deliver_certified_kit(work, returnee_id, trade, command)
    return delivered.model_dump(mode="json")


@router.get("/certifications", dependencies=[Reader])
async def list_certifications(country_office: OfficePath, db: Db) -> list[dict[str, Any]]:
    """Certified trades, with the kit order each has (or not yet)."""
    return await views.certifications(db, country_office)


@router.get("/kit-orders", response_model=None, responses=CSV_ANSWER, dependencies=[Reader])
async def list_orders(
    country_office: OfficePath, db: Db, delivered: bool | None = None, format: Format = "json"
) -> list[dict[str, Any]] | Response:
    """Kit orders of the office; `delivered=true` lists deliveries, `false` what is awaited."""
    rows = await views.orders(db, country_office, delivered)
    if format == "csv":
        return spreadsheet(f"kit-orders-{country_office}", _ORDER_COLUMNS, rows)
    return rows


@router.get("/deliveries", response_model=None, responses=CSV_ANSWER, dependencies=[Reader])
async def list_deliveries(
    country_office: OfficePath, db: Db, format: Format = "json"
) -> list[dict[str, Any]] | Response:
    """Kits handed over, with their items, values and the beneficiary's acknowledgement."""
    rows = await views.orders(db, country_office, delivered=True)
    if format == "csv":
        return spreadsheet(f"deliveries-{country_office}", _ORDER_COLUMNS, rows)
    return rows


@router.get("/kit-orders/{order_id}", dependencies=[Reader])
async def get_order(
    country_office: OfficePath, order_id: UUID, db: Db, principal: CurrentPrincipal
) -> dict[str, Any]:
    office, row = await views.order(db, order_id)
    if office is None or row is None:
        raise NotFound(f"no kit order {order_id}")
    ensure_office(principal, office)
    if office != country_office:
        raise NotFound(f"no kit order {order_id} in {country_office}")
    return row


@router.get("/spend", response_model=None, responses=CSV_ANSWER, dependencies=[AggregateReader])
async def spend_per_trade(
    country_office: OfficePath, db: Db, format: Format = "json"
) -> list[dict[str, Any]] | Response:
    """Per trade: approved budgets beside what was ordered and what delivered kits cost."""
    rows = await views.spend_per_trade(db, country_office)
    if format == "csv":
        columns = list(rows[0]) if rows else ["trade", "currency", "approved_budget"]
        return spreadsheet(f"spend-{country_office}", columns, rows)
    return rows


@router.get(
    "/lead-times", response_model=None, responses=CSV_ANSWER, dependencies=[AggregateReader]
)
async def lead_times(
    country_office: OfficePath, db: Db, format: Format = "json"
) -> list[dict[str, Any]] | Response:
    """Days from approval (or certification) to delivery, per kit order."""
    rows = await views.lead_times(db, country_office)
    if format == "csv":
        return spreadsheet(f"lead-times-{country_office}", _LEAD_TIME_COLUMNS, rows)
    return rows
