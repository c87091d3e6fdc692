"""Command handlers: gather the facts a rule needs, then run the command. No rules here.

Each runs in the caller's unit of work (the route's transaction, or the inbox's for a policy),
so the events, the read models they update and the facts read for them are one transaction.
"""

from collections.abc import Sequence
from dataclasses import replace
from uuid import UUID

from procurement import words
from procurement.domain import (
    ApprovedPlan,
    Certification,
    DeliverKit,
    KitCommand,
    KitEvent,
    OrderEvent,
    OrderForApprovedPlan,
    OrderForCertifiedTrade,
    PlanFacts,
    PriceCatalogue,
    PriceCommand,
    PriceEvent,
    PriceItem,
    RecordReturneeReview,
    ReviewSubmittedPlan,
    ReviseReview,
    SubmittedLine,
    budget_review,
    budget_review_stream,
    certified_kit_order_stream,
    is_approved,
    is_decided,
    kit_order,
    plan_kit_order_stream,
    price_catalogue,
    price_catalogue_stream,
    trade_kit,
    trade_kit_stream,
)
from procurement.queries import upstream
from reintegration_contracts.events.committee import PlanApproved, PlanSubmitted
from reintegration_contracts.events.procurement import BudgetReviewed
from reintegration_sdk import UnitOfWork


async def change_prices(work: UnitOfWork, command: PriceCommand) -> list[PriceEvent]:
    stream = price_catalogue_stream(work.country_office)
    events = await work.execute(price_catalogue, stream, command)
    if isinstance(command, PriceItem):
        await words.keep_item_names(work.db, work.country_office, [command.item])
    return events


async def change_kit(
    work: UnitOfWork, trade: str, command: KitCommand, names: Sequence[str] = ()
) -> list[KitEvent]:
    """Change a trade's kit; `names` are its items in words, kept here by their codes."""
    stream = trade_kit_stream(work.country_office, trade)
    events = await work.execute(trade_kit, stream, command)
    await words.keep_item_names(work.db, work.country_office, names)
    if isinstance(command, RecordReturneeReview) and command.review_id and command.feedback:
        await words.keep_kit_feedback(work.db, work.country_office, command.review_id, command)
    return events


async def review_submitted_plan(work: UnitOfWork, plan: PlanSubmitted) -> list[BudgetReviewed]:
    lines = tuple(
        SubmittedLine(line.item, line.quantity, line.unit_cost, line.specified)
        for line in plan.budget_lines
    )
    command = ReviewSubmittedPlan(
        plan.plan_id, lines, plan.currency, await catalogue_of(work), plan.submitted_on
    )
    return await work.execute(budget_review, budget_review_stream(plan.plan_id), command)


async def revise_review(work: UnitOfWork, command: ReviseReview) -> list[BudgetReviewed]:
    stream = budget_review_stream(command.plan_id)
    command = replace(
        command,
        catalogue=await catalogue_of(work),
        plan_decided=is_decided(await plan_of(work, command.plan_id)),
    )
    [revised] = await work.execute(budget_review, stream, command)
    await words.keep_revision_words(work.db, work.country_office, revised.revision, command)
    return [revised]


async def order_for_approved_plan(work: UnitOfWork, approval: PlanApproved) -> list[OrderEvent]:
    plan = ApprovedPlan(
        approval.plan_id,
        tuple(approval.beneficiary_ids),
        approval.trade,
        approval.approved_on,
        tuple(approval.approved_budget),
        approval.currency,
    )
    stream = plan_kit_order_stream(work.country_office, plan.plan_id)
    return await work.execute(kit_order, stream, OrderForApprovedPlan(plan))


async def order_for_certified_trade(
    work: UnitOfWork, command: OrderForCertifiedTrade
) -> list[OrderEvent]:
    office, returnee_id, trade = work.country_office, command.returnee_id, command.trade
    kit = (await work.load(trade_kit, trade_kit_stream(office, trade))).state
    command = replace(
        command,
        certification=await certification_of(work, returnee_id, trade),
        kit=kit.current,
        catalogue=await catalogue_of(work),
    )
    stream = certified_kit_order_stream(office, returnee_id, trade)
    return await work.execute(kit_order, stream, command)


async def deliver_plan_kit(
    work: UnitOfWork, plan_id: UUID, command: DeliverKit
) -> list[OrderEvent]:
    command = replace(command, entitled=is_approved(await plan_of(work, plan_id)))
    stream = plan_kit_order_stream(work.country_office, plan_id)
    return await work.execute(kit_order, stream, command)


async def deliver_certified_kit(
    work: UnitOfWork, returnee_id: UUID, trade: str, command: DeliverKit
) -> list[OrderEvent]:
    certified = await certification_of(work, returnee_id, trade) is not None
    command = replace(command, entitled=certified)
    stream = certified_kit_order_stream(work.country_office, returnee_id, trade)
    return await work.execute(kit_order, stream, command)


# Facts ---------------------------------------------------------------------------------------


async def catalogue_of(work: UnitOfWork) -> PriceCatalogue:
    stream = price_catalogue_stream(work.country_office)
    return (await work.load(price_catalogue, stream)).state


async def plan_of(work: UnitOfWork, plan_id: UUID) -> PlanFacts | None:
    return await upstream.plan(work.db, work.country_office, plan_id)


async def certification_of(work: UnitOfWork, returnee_id: UUID, trade: str) -> Certification | None:
    return await upstream.certification(work.db, work.country_office, returnee_id, trade)
