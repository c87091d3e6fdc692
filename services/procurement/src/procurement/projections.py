"""Read models of procurement's own events, written in the transaction that appends them.

Each handler is idempotent on its own: rows are keyed by what the event names and inserted
once, a price is replaced only by a later one, so a rebuild over live rows or a redelivered
stream changes nothing.
"""

import json

import asyncpg

from procurement.domain.prices import item_key
from reintegration_contracts.events.procurement import (
    BudgetReviewed,
    CatalogueItemPriced,
    KitDefined,
    KitDelivered,
    KitOrdered,
    KitReviewedByReturnees,
    PriceToleranceSet,
)
from reintegration_sdk import EventHandlers, EventMeta, EventStore

read_models = EventHandlers(
    "procurement-read-models",
    tables=[
        "catalogue_prices",
        "price_tolerances",
        "kit_versions",
        "kit_reviews",
        "budget_reviews",
        "kit_orders",
    ],
)


def _json(items: list[object]) -> str:
    return json.dumps(items, default=str)


@read_models.on(CatalogueItemPriced)
async def on_catalogue_item_priced(
    db: asyncpg.Connection, event: CatalogueItemPriced, meta: EventMeta
) -> None:
    await db.execute(
        """INSERT INTO catalogue_prices AS p (country_office, item_key, item, unit, unit_price,
                                               supplier, currency, priced_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (country_office, item_key) DO UPDATE
           SET item = $3, unit = $4, unit_price = $5, supplier = $6, currency = $7,
               priced_at = $8
           WHERE p.priced_at <= excluded.priced_at""",
        meta.country_office,
        item_key(event.item),
        event.item,  # the code; its name in words is in item_names
        event.unit,
        event.unit_price,
        event.supplier,
        event.currency,
        meta.time,
    )


@read_models.on(PriceToleranceSet)
async def on_price_tolerance_set(
    db: asyncpg.Connection, event: PriceToleranceSet, meta: EventMeta
) -> None:
    await db.execute(
        """INSERT INTO price_tolerances (country_office, tolerance_percent) VALUES ($1, $2)
           ON CONFLICT (country_office) DO UPDATE SET tolerance_percent = $2""",
        meta.country_office,
        event.tolerance_percent,
    )


@read_models.on(KitDefined)
async def on_kit_defined(db: asyncpg.Connection, event: KitDefined, meta: EventMeta) -> None:
    await db.execute(
        """INSERT INTO kit_versions (country_office, trade, kit_version, items, defined_at)
           VALUES ($1, $2, $3, $4::text::jsonb, $5) ON CONFLICT DO NOTHING""",
        meta.country_office,
        event.trade,
        event.kit_version,
        _json([item.model_dump() for item in event.items]),
        meta.time,
    )


@read_models.on(KitReviewedByReturnees)
async def on_kit_reviewed_by_returnees(
    db: asyncpg.Connection, event: KitReviewedByReturnees, meta: EventMeta
) -> None:
    await db.execute(
        """INSERT INTO kit_reviews (event_id, country_office, trade, kit_version, reviewed_on,
                                    endorsed, feedback, review_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7::text::jsonb, $8) ON CONFLICT DO NOTHING""",
        meta.event_id,
        meta.country_office,
        event.trade,
        event.kit_version,
        event.reviewed_on,
        event.endorsed,
        _json([category.value for category in event.feedback]),
        # A review recorded as v1 has no name of its own: its event id is one, rebuild or not.
        event.review_id or meta.event_id,
    )


@read_models.on(BudgetReviewed)
async def on_budget_reviewed(
    db: asyncpg.Connection, event: BudgetReviewed, meta: EventMeta
) -> None:
    await db.execute(
        """INSERT INTO budget_reviews (plan_id, revision, country_office, review_id, reviewed_on,
               reviewer, lines, flagged_lines, submitted_total, reviewed_total, currency,
               tolerance_percent, note, awaiting_officer)
           VALUES ($1, $2, $3, $4, $5, $6, $7::text::jsonb, $8, $9, $10, $11, $12, $13, $14)
           ON CONFLICT DO NOTHING""",
        event.plan_id,
        event.revision,
        meta.country_office,
        event.review_id,
        event.reviewed_on,
        event.reviewer,
        _json([line.model_dump(mode="json") for line in event.lines]),
        sum(1 for line in event.lines if line.flags),
        event.submitted_total,
        event.reviewed_total,
        event.currency,
        event.tolerance_percent,
        event.note.value if event.note else None,
        event.awaiting_officer,
    )


@read_models.on(KitOrdered)
async def on_kit_ordered(db: asyncpg.Connection, event: KitOrdered, meta: EventMeta) -> None:
    await db.execute(
        """INSERT INTO kit_orders (order_id, country_office, basis, plan_id, beneficiary_ids,
               trade, kit_version, lines, total, currency, ordered_on, authorised_on)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text::jsonb, $9, $10, $11, $12)
           ON CONFLICT DO NOTHING""",
        event.order_id,
        meta.country_office,
        event.basis.value,
        event.plan_id,
        event.beneficiary_ids,
        event.trade,
        event.kit_version,
        _json([line.model_dump() for line in event.lines]),
        event.total,
        event.currency,
        event.ordered_on,
        event.authorised_on,
    )


@read_models.on(KitDelivered)
async def on_kit_delivered(db: asyncpg.Connection, event: KitDelivered, meta: EventMeta) -> None:
    await db.execute(
        """UPDATE kit_orders SET delivered_on = $2, delivered_items = $3::text::jsonb,
                                 delivered_value = $4, acknowledged = $5
           WHERE order_id = $1""",
        event.order_id,
        event.delivered_on,
        _json([item.model_dump() for item in event.items]),
        event.total_value,
        event.acknowledged_by_beneficiary,
    )


# The one event store of the service: commands append through it, and these read models are
# updated in the appending transaction, so the API reads its writes.
store = EventStore(projections=[read_models])
