"""Read-side queries behind the API: catalogues, reviews, orders, spend and lead times."""

import json
from typing import Any
from uuid import UUID

import asyncpg

from procurement.domain import DEFAULT_TOLERANCE_PERCENT
from procurement.domain.reviews import reason_text
from reintegration_contracts.events.procurement import ReviewedLine

Row = dict[str, Any]


def _row(record: asyncpg.Record, *json_columns: str) -> Row:
    row = dict(record)
    for column in json_columns:
        if isinstance(row.get(column), str):
            row[column] = json.loads(row[column])
    return row


async def item_names(db: asyncpg.Connection, office: str) -> dict[str, str]:
    """Each item code's name in words, as the office last wrote it."""
    rows = await db.fetch("SELECT item, name FROM item_names WHERE country_office = $1", office)
    return {row["item"]: row["name"] for row in rows}


def _named(items: list[dict[str, Any]], names: dict[str, str]) -> None:
    for item in items:
        item["name"] = names.get(item["item"])


async def prices(db: asyncpg.Connection, office: str) -> list[Row]:
    """The catalogue by item code, each with its name in words."""
    records = await db.fetch(
        """SELECT p.item, n.name, p.unit, p.unit_price, p.supplier, p.currency, p.priced_at
           FROM catalogue_prices p
           LEFT JOIN item_names n USING (country_office, item)
           WHERE p.country_office = $1 ORDER BY p.item_key""",
        office,
    )
    return [dict(r) for r in records]


async def tolerance_percent(db: asyncpg.Connection, office: str) -> int:
    value: int | None = await db.fetchval(
        "SELECT tolerance_percent FROM price_tolerances WHERE country_office = $1", office
    )
    return DEFAULT_TOLERANCE_PERCENT if value is None else value


async def kits(db: asyncpg.Connection, office: str, trade: str | None = None) -> list[Row]:
    """Every version of each trade's kit, newest first, with what returnees said of it."""
    records = await db.fetch(
        """SELECT v.trade, v.kit_version, v.items, v.defined_at,
                  coalesce(jsonb_agg(jsonb_build_object(
                      'reviewed_on', r.reviewed_on, 'endorsed', r.endorsed,
                      'feedback', coalesce(w.feedback, '[]'),
                      'feedback_categories', r.feedback) ORDER BY r.reviewed_on)
                    FILTER (WHERE r.event_id IS NOT NULL), '[]') AS returnee_reviews
           FROM kit_versions v
           LEFT JOIN kit_reviews r USING (country_office, trade, kit_version)
           LEFT JOIN kit_review_words w ON w.review_id = r.review_id
           WHERE v.country_office = $1 AND ($2::text IS NULL OR v.trade = $2)
           GROUP BY v.trade, v.kit_version, v.items, v.defined_at
           ORDER BY v.trade, v.kit_version DESC""",
        office,
        trade,
    )
    rows = [_row(r, "items", "returnee_reviews") for r in records]
    names = await item_names(db, office)
    for row in rows:
        _named(row["items"], names)
    return rows


_REVIEW_COLUMNS = """plan_id, revision, review_id, reviewed_on, reviewer, awaiting_officer,
    lines, flagged_lines, submitted_total, reviewed_total, currency, tolerance_percent,
    note AS note_category"""
_REVIEW_WORDS = """LEFT JOIN review_words w USING (plan_id, revision)"""
_WORDS_COLUMNS = "w.note AS note, w.line_reasons, w.line_specifications"


def _review(record: asyncpg.Record) -> Row:
    """A revision as people read it: each line's reasons in words, the officer's note."""
    row = _row(record, "lines", "line_reasons", "line_specifications")
    said: dict[str, str] = row.pop("line_reasons") or {}
    specified: dict[str, str] = row.pop("line_specifications") or {}
    for number, line in enumerate(row["lines"], start=1):
        reviewed = ReviewedLine.model_validate(line)
        line["reason"] = reason_text(reviewed, row["tolerance_percent"], said.get(str(number)))
        line["specification"] = specified.get(str(number))
    return row


async def latest_reviews(
    db: asyncpg.Connection, office: str, flagged_only: bool, awaiting_officer: bool | None = None
) -> list[Row]:
    """Each plan's latest revision; `awaiting_officer=True` is the officers' queue."""
    records = await db.fetch(
        f"""SELECT latest.*, {_WORDS_COLUMNS} FROM (
                SELECT DISTINCT ON (plan_id) {_REVIEW_COLUMNS} FROM budget_reviews
                WHERE country_office = $1 ORDER BY plan_id, revision DESC) latest
            {_REVIEW_WORDS}
            WHERE (NOT $2 OR flagged_lines > 0)
              AND ($3::boolean IS NULL OR awaiting_officer = $3)
            ORDER BY reviewed_on DESC, plan_id""",
        office,
        flagged_only,
        awaiting_officer,
    )
    return [_review(r) for r in records]


async def review_revisions(db: asyncpg.Connection, plan_id: UUID) -> tuple[str | None, list[Row]]:
    """The office the review belongs to, and its revisions, oldest first."""
    records = await db.fetch(
        f"""SELECT r.*, {_WORDS_COLUMNS} FROM (
                SELECT country_office, {_REVIEW_COLUMNS} FROM budget_reviews
                WHERE plan_id = $1) r
            {_REVIEW_WORDS} ORDER BY revision""",
        plan_id,
    )
    office = records[0]["country_office"] if records else None
    rows = [_review(r) for r in records]
    for row in rows:
        del row["country_office"]
    return office, rows


_ORDER_COLUMNS = """order_id, basis, plan_id, beneficiary_ids, trade, kit_version, lines, total,
    currency, ordered_on, authorised_on, delivered_on, delivered_items, delivered_value,
    acknowledged"""


async def orders(db: asyncpg.Connection, office: str, delivered: bool | None) -> list[Row]:
    records = await db.fetch(
        f"""SELECT {_ORDER_COLUMNS} FROM kit_orders
            WHERE country_office = $1 AND ($2::boolean IS NULL OR (delivered_on IS NOT NULL) = $2)
            ORDER BY ordered_on DESC, order_id""",
        office,
        delivered,
    )
    return [_row(r, "lines", "delivered_items") for r in records]


async def order(db: asyncpg.Connection, order_id: UUID) -> tuple[str | None, Row | None]:
    record = await db.fetchrow(
        f"SELECT country_office, {_ORDER_COLUMNS} FROM kit_orders WHERE order_id = $1", order_id
    )
    if record is None:
        return None, None
    row = _row(record, "lines", "delivered_items")
    return row.pop("country_office"), row


async def certifications(db: asyncpg.Connection, office: str) -> list[Row]:
    """Certified trades and whether their individual kit was ordered yet."""
    records = await db.fetch(
        """SELECT c.returnee_id, c.trade, c.level, c.certified_on, o.order_id, o.delivered_on
           FROM certifications c
           LEFT JOIN kit_orders o ON o.basis = 'certified_trade'
                AND o.beneficiary_ids = ARRAY[c.returnee_id] AND o.trade = c.trade
           WHERE c.country_office = $1 ORDER BY c.certified_on DESC, c.returnee_id""",
        office,
    )
    return [dict(r) for r in records]


async def spend_per_trade(db: asyncpg.Connection, office: str) -> list[Row]:
    """What approved plans may spend per trade, and what handed-over kits cost."""
    records = await db.fetch(
        """WITH budgets AS (
               SELECT trade, currency, count(*) AS approved_plans,
                      sum(approved_total) AS approved_budget
               FROM plans WHERE country_office = $1 AND status = 'approved'
               GROUP BY trade, currency),
           spent AS (
               SELECT trade, currency,
                      count(*) FILTER (WHERE basis = 'approved_plan') AS plan_kits_ordered,
                      count(*) FILTER (WHERE basis = 'certified_trade') AS certified_kits_ordered,
                      count(delivered_on) AS kits_delivered,
                      coalesce(sum(total) FILTER (WHERE basis = 'approved_plan'), 0)
                          AS ordered_for_plans,
                      coalesce(sum(delivered_value) FILTER (WHERE basis = 'approved_plan'), 0)
                          AS spent_on_plans,
                      coalesce(sum(delivered_value) FILTER (WHERE basis = 'certified_trade'), 0)
                          AS spent_on_certified_kits
               FROM kit_orders WHERE country_office = $1 GROUP BY trade, currency)
           SELECT trade, currency,
                  coalesce(b.approved_plans, 0) AS approved_plans,
                  coalesce(b.approved_budget, 0) AS approved_budget,
                  coalesce(s.plan_kits_ordered, 0) AS plan_kits_ordered,
                  coalesce(s.certified_kits_ordered, 0) AS certified_kits_ordered,
                  coalesce(s.kits_delivered, 0) AS kits_delivered,
                  coalesce(s.ordered_for_plans, 0) AS ordered_for_plans,
                  coalesce(s.spent_on_plans, 0) AS spent_on_plans,
                  coalesce(s.spent_on_certified_kits, 0) AS spent_on_certified_kits,
                  coalesce(b.approved_budget, 0) - coalesce(s.spent_on_plans, 0)
                      AS approved_budget_unspent
           FROM budgets b FULL JOIN spent s USING (trade, currency)
           ORDER BY trade, currency""",
        office,
    )
    return [dict(r) for r in records]


async def lead_times(db: asyncpg.Connection, office: str) -> list[Row]:
    """Days from a kit's approval (or certification) to its delivery; open ones count on."""
    records = await db.fetch(
        """SELECT order_id, basis, plan_id, trade, authorised_on, ordered_on, delivered_on,
                  delivered_on - authorised_on AS lead_time_days,
                  CASE WHEN delivered_on IS NULL THEN current_date - authorised_on END
                      AS days_waiting
           FROM kit_orders WHERE country_office = $1
           ORDER BY authorised_on, order_id""",
        office,
    )
    return [dict(r) for r in records]
