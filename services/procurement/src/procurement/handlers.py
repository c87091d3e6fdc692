"""Command handlers: load the stream and the facts a rule needs, decide, append."""

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any, TypeVar
from uuid import UUID

import asyncpg

from procurement import facts, streams
from procurement.domain import Decider, fold
from procurement.domain.kits import KitCommand, KitEvent, trade_kit
from procurement.domain.orders import (
    ApprovedPlan,
    DeliverKit,
    Handover,
    OrderEvent,
    OrderForApprovedPlan,
    OrderForCertifiedTrade,
    kit_order,
)
from procurement.domain.prices import PriceCatalogue, PriceCommand, PriceEvent, price_catalogue
from procurement.domain.reviews import (
    LineAdjustment,
    ReviewSubmittedPlan,
    ReviseReview,
    SubmittedLine,
    budget_review,
)
from procurement.store import store
from reintegration_contracts import EventPayload
from reintegration_contracts.events.committee import PlanApproved, PlanSubmitted
from reintegration_contracts.events.procurement import BudgetReviewed, OrderBasis
from reintegration_sdk.auth import AuthorizationError
from reintegration_sdk.eventstore import EventContext

S = TypeVar("S")
C = TypeVar("C")
E = TypeVar("E", bound=EventPayload)


def today() -> date:
    return datetime.now(UTC).date()


async def _load(
    db: asyncpg.Connection, decider: Decider[S, Any, Any], stream_id: str, office: str
) -> tuple[S, int]:
    history = await store.load(db, stream_id)
    if history and history[0].country_office != office:
        raise AuthorizationError("this record belongs to another country office")
    payloads: list[Any] = [event.payload() for event in history]
    return fold(decider.evolve, decider.initial, payloads), (history[-1].version if history else 0)


async def _execute(
    db: asyncpg.Connection,
    decider: Decider[S, C, E],
    stream_id: str,
    command: C,
    context: EventContext,
) -> Sequence[E]:
    state, version = await _load(db, decider, stream_id, context.country_office)
    events = decider.decide(state, command)
    await store.append(db, stream_id, version, events, context)
    return events


async def catalogue_of(db: asyncpg.Connection, office: str) -> PriceCatalogue:
    catalogue, _ = await _load(db, price_catalogue, streams.price_catalogue(office), office)
    return catalogue


async def change_prices(
    db: asyncpg.Connection, command: PriceCommand, context: EventContext
) -> Sequence[PriceEvent]:
    stream = streams.price_catalogue(context.country_office)
    return await _execute(db, price_catalogue, stream, command, context)


async def change_kit(
    db: asyncpg.Connection, trade: str, command: KitCommand, context: EventContext
) -> Sequence[KitEvent]:
    stream = streams.trade_kit(context.country_office, trade)
    return await _execute(db, trade_kit, stream, command, context)


async def review_submitted_plan(
    db: asyncpg.Connection, plan: PlanSubmitted, context: EventContext
) -> Sequence[BudgetReviewed]:
    lines = tuple(
        SubmittedLine(line.item, line.quantity, line.unit_cost, line.specification)
        for line in plan.budget_lines
    )
    catalogue = await catalogue_of(db, context.country_office)
    command = ReviewSubmittedPlan(plan.plan_id, lines, plan.currency, catalogue, plan.submitted_on)
    return await _execute(db, budget_review, streams.budget_review(plan.plan_id), command, context)


async def revise_review(
    db: asyncpg.Connection,
    plan_id: UUID,
    adjustments: tuple[LineAdjustment, ...],
    note: str | None,
    reviewed_on: date | None,
    context: EventContext,
) -> Sequence[BudgetReviewed]:
    status = await facts.plan_status(db, plan_id, context.country_office)
    catalogue = await catalogue_of(db, context.country_office)
    decided = status in ("approved", "rejected")
    now = today()
    command = ReviseReview(
        plan_id,
        adjustments,
        catalogue,
        reviewed_on=reviewed_on or now,
        reviewer=context.actor,
        plan_decided=decided,
        today=now,
        note=note,
    )
    return await _execute(db, budget_review, streams.budget_review(plan_id), command, context)


async def order_for_approved_plan(
    db: asyncpg.Connection, approval: PlanApproved, context: EventContext
) -> Sequence[OrderEvent]:
    plan = ApprovedPlan(
        approval.plan_id,
        tuple(approval.beneficiary_ids),
        approval.trade,
        approval.approved_on,
        tuple(approval.approved_budget),
        approval.currency,
    )
    command = OrderForApprovedPlan(plan)
    return await _execute(db, kit_order, streams.plan_kit_order(plan.plan_id), command, context)


async def order_for_certified_trade(
    db: asyncpg.Connection,
    returnee_id: UUID,
    trade: str,
    ordered_on: date | None,
    context: EventContext,
) -> Sequence[OrderEvent]:
    office = context.country_office
    certification = await facts.certification(db, returnee_id, trade, office)
    kit, _ = await _load(db, trade_kit, streams.trade_kit(office, trade), office)
    catalogue = await catalogue_of(db, office)
    now = today()
    command = OrderForCertifiedTrade(
        returnee_id, trade, certification, kit.current, catalogue, ordered_on or now, now
    )
    stream = streams.certified_kit_order(returnee_id, trade)
    return await _execute(db, kit_order, stream, command, context)


async def deliver_plan_kit(
    db: asyncpg.Connection, plan_id: UUID, handover: Handover, context: EventContext
) -> Sequence[OrderEvent]:
    approved = await facts.plan_status(db, plan_id, context.country_office) == "approved"
    command = DeliverKit(OrderBasis.APPROVED_PLAN, approved, handover, today())
    return await _execute(db, kit_order, streams.plan_kit_order(plan_id), command, context)


async def deliver_certified_kit(
    db: asyncpg.Connection,
    returnee_id: UUID,
    trade: str,
    handover: Handover,
    context: EventContext,
) -> Sequence[OrderEvent]:
    office = context.country_office
    certified = await facts.certification(db, returnee_id, trade, office) is not None
    command = DeliverKit(OrderBasis.CERTIFIED_TRADE, certified, handover, today())
    stream = streams.certified_kit_order(returnee_id, trade)
    return await _execute(db, kit_order, stream, command, context)
