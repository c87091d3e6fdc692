"""Purchase and delivery of kits: only for an approved plan or a certified trade, and once.

In the field, kits bought without checking skills went unused: an individual vocational kit
is ordered only for a trade the returnee was certified in. Ordering is automatic on approval,
so an approved plan's order is dated the day of the approval, not the day this service happened
to process it: a replay, a late consumer or an office entering its past programme gives the
same dates, and a kit delivered after the approval is never "before the order".
"""

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID, uuid5

from procurement.domain.prices import PriceCatalogue, item_key
from reintegration_contracts.events.committee import BudgetLine
from reintegration_contracts.events.procurement import (
    DeliveredItem,
    KitDefined,
    KitDelivered,
    KitOrdered,
    OrderBasis,
    OrderLine,
)
from reintegration_sdk import Decider, InvalidField, RuleViolation

_ORDER_IDS = UUID("0b7e5d3e-2f7c-4f0a-8a57-5d1e6c9b4a10")


def order_id_for_plan(plan_id: UUID) -> UUID:
    """Derived, not drawn: the same approval always names the same order."""
    return uuid5(_ORDER_IDS, f"plan:{plan_id}")


def order_id_for_certification(returnee_id: UUID, trade: str) -> UUID:
    return uuid5(_ORDER_IDS, f"certified:{returnee_id}:{trade}")


def plan_kit_order_stream(country_office: str, plan_id: UUID) -> str:
    """A kit order's stream is named by what entitles it, so one entitlement never holds two
    orders; and by the office, as every kit stream is, so no office's id can take another's."""
    return f"kit-order-plan-{country_office}-{plan_id}"


def certified_kit_order_stream(country_office: str, returnee_id: UUID, trade: str) -> str:
    return f"kit-order-certified-{country_office}-{returnee_id}-{trade}"


@dataclass(frozen=True)
class KitOrder:
    order: KitOrdered | None = None
    delivery: KitDelivered | None = None


@dataclass(frozen=True)
class ApprovedPlan:
    plan_id: UUID
    beneficiary_ids: tuple[UUID, ...]
    trade: str
    approved_on: date
    approved_budget: tuple[BudgetLine, ...]
    currency: str


@dataclass(frozen=True)
class Certification:
    returnee_id: UUID
    trade: str
    certified_on: date


@dataclass(frozen=True)
class OrderForApprovedPlan:
    plan: ApprovedPlan


@dataclass(frozen=True)
class OrderForCertifiedTrade:
    returnee_id: UUID
    trade: str
    certification: Certification | None
    kit: KitDefined | None
    catalogue: PriceCatalogue
    ordered_on: date
    today: date


@dataclass(frozen=True)
class Handover:
    """What the officer saw handed over, and whether the beneficiary acknowledged it."""

    items: tuple[DeliveredItem, ...]
    delivered_on: date
    acknowledged_by_beneficiary: bool


@dataclass(frozen=True)
class DeliverKit:
    basis: OrderBasis
    entitled: bool  # the plan is approved, or the trade certified
    handover: Handover
    today: date


OrderCommand = OrderForApprovedPlan | OrderForCertifiedTrade | DeliverKit
OrderEvent = KitOrdered | KitDelivered


def decide_order(state: KitOrder, command: OrderCommand) -> list[OrderEvent]:
    if isinstance(command, OrderForApprovedPlan):
        # Only approved plans are implemented, and a replayed approval orders nothing twice.
        return [] if state.order else [_plan_order(command)]
    if isinstance(command, OrderForCertifiedTrade):
        return [_certified_order(state, command)]
    return [_delivery(state, command)]


def _plan_order(command: OrderForApprovedPlan) -> KitOrdered:
    plan = command.plan
    lines = [
        OrderLine(item=b.item, quantity=b.quantity, unit_price=b.unit_cost)
        for b in plan.approved_budget
    ]
    return KitOrdered(
        order_id=order_id_for_plan(plan.plan_id),
        basis=OrderBasis.APPROVED_PLAN,
        plan_id=plan.plan_id,
        beneficiary_ids=list(plan.beneficiary_ids),
        trade=plan.trade,
        lines=lines,
        total=_total(lines),
        currency=plan.currency,
        ordered_on=plan.approved_on,
        authorised_on=plan.approved_on,
    )


def _certified_order(state: KitOrder, command: OrderForCertifiedTrade) -> KitOrdered:
    certification = command.certification
    if certification is None:
        raise RuleViolation(
            "trade_not_certified",
            f"no {command.trade} certification for this returnee: a kit follows certification",
        )
    if state.order is not None:
        raise RuleViolation("kit_already_ordered", "this certification's kit is already ordered")
    if command.kit is None:
        raise RuleViolation("no_kit_for_trade", f"no kit is defined for {command.trade} yet")
    if command.ordered_on > command.today:
        raise InvalidField("ordered_on", "is in the future")
    if command.ordered_on < certification.certified_on:
        raise InvalidField(
            "ordered_on", f"is before the certification of {certification.certified_on}"
        )
    priced = [(i, command.catalogue.price_of(i.item)) for i in command.kit.items]
    unpriced = [i.item for i, price in priced if price is None]
    if unpriced:
        raise RuleViolation(
            "kit_item_not_priced", "not in the price catalogue: " + ", ".join(unpriced)
        )
    lines = [
        OrderLine(item=i.item, quantity=i.quantity, unit_price=price.unit_price)
        for i, price in priced
        if price is not None
    ]
    currency = next(price.currency for _, price in priced if price is not None)
    return KitOrdered(
        order_id=order_id_for_certification(certification.returnee_id, certification.trade),
        basis=OrderBasis.CERTIFIED_TRADE,
        certification_trade=certification.trade,
        beneficiary_ids=[certification.returnee_id],
        trade=certification.trade,
        lines=lines,
        total=_total(lines),
        currency=currency,
        ordered_on=command.ordered_on,
        authorised_on=certification.certified_on,
        kit_version=command.kit.kit_version,
    )


def _delivery(state: KitOrder, command: DeliverKit) -> KitDelivered:
    order = state.order
    if order is None:
        raise _not_orderable(command)
    if state.delivery is not None:
        raise RuleViolation(
            "kit_already_delivered", f"kit delivered on {state.delivery.delivered_on}"
        )
    handover = command.handover
    if not handover.acknowledged_by_beneficiary:
        raise InvalidField(
            "acknowledged_by_beneficiary",
            "a kit counts as delivered once the beneficiary acknowledges it",
        )
    if handover.delivered_on > command.today:
        raise InvalidField("delivered_on", "is in the future")
    if handover.delivered_on < order.ordered_on:
        raise InvalidField("delivered_on", f"is before the order of {order.ordered_on}")
    _check_complete(order, handover.items)
    return KitDelivered(
        order_id=order.order_id,
        basis=order.basis,
        plan_id=order.plan_id,
        beneficiary_ids=order.beneficiary_ids,
        trade=order.trade,
        delivered_on=handover.delivered_on,
        items=list(handover.items),
        total_value=sum(item.value for item in handover.items),
        currency=order.currency,
        acknowledged_by_beneficiary=True,
    )


def _not_orderable(command: DeliverKit) -> RuleViolation:
    if command.entitled:
        return RuleViolation("kit_not_ordered", "no kit has been ordered for this yet")
    if command.basis is OrderBasis.APPROVED_PLAN:
        return RuleViolation("plan_not_approved", "only an approved plan's kit is delivered")
    return RuleViolation("trade_not_certified", "only a certified trade's kit is delivered")


def _check_complete(order: KitOrdered, items: tuple[DeliveredItem, ...]) -> None:
    ordered = Counter[str]()
    for line in order.lines:
        ordered[item_key(line.item)] += line.quantity
    handed = Counter[str]()
    for index, item in enumerate(items):
        key = item_key(item.item)
        if key not in ordered:
            raise InvalidField(f"items.{index}.item", f"{item.item!r} is not on the order")
        handed[key] += item.quantity
        if handed[key] > ordered[key]:
            raise InvalidField(f"items.{index}.quantity", f"more than the {ordered[key]} ordered")
    missing = [
        f"{key} ({ordered[key] - handed[key]})" for key in ordered if handed[key] < ordered[key]
    ]
    if missing:
        # One delivery completes the kit: a part-delivered kit would look finished in reports.
        raise InvalidField("items", "not handed over yet: " + ", ".join(missing))


def _total(lines: list[OrderLine]) -> int:
    return sum(line.quantity * line.unit_price for line in lines)


def evolve_order(state: KitOrder, event: OrderEvent) -> KitOrder:
    if isinstance(event, KitOrdered):
        return replace(state, order=event)
    return replace(state, delivery=event)


kit_order: Decider[KitOrder, OrderCommand, OrderEvent] = Decider(
    initial=KitOrder(), evolve=evolve_order, decide=decide_order
)
