"""People's own words, kept in procurement's database and never on the wire.

An officer's note, line reasons and specifications, and what returnee representatives said of a
kit, may name people or places: the events carry a category or a flag (BudgetReviewed v3,
KitReviewedByReturnees v2) and the words are written here by the command that appends the
event, in its transaction; items travel as catalogue codes and their names in words are kept
here too. They are primary data, not a read model: a rebuild leaves them alone, and deleting a
row (erasure on request: `erase_returnee_words`) changes no stream.
"""

import json
from collections.abc import Sequence
from uuid import UUID

import asyncpg

from procurement.domain import RecordReturneeReview, ReviseReview
from reintegration_contracts.types import item_code


async def keep_revision_words(
    db: asyncpg.Connection, country_office: str, revision: int, command: ReviseReview
) -> None:
    reasons = {str(a.line): a.reason for a in command.adjustments if a.reason.strip()}
    specifications = {str(a.line): a.specification for a in command.adjustments if a.specification}
    note = (command.note or "").strip() or None
    if note is None and not reasons and not specifications:
        return
    await db.execute(
        """INSERT INTO review_words (plan_id, revision, country_office, note, line_reasons,
               line_specifications)
           VALUES ($1, $2, $3, $4, $5::text::jsonb, $6::text::jsonb)""",
        command.plan_id,
        revision,
        country_office,
        note,
        json.dumps(reasons),
        json.dumps(specifications),
    )


async def keep_item_names(
    db: asyncpg.Connection, country_office: str, names: Sequence[str]
) -> None:
    """An item's name in words, by the code the events carry (the latest words win)."""
    await db.executemany(
        """INSERT INTO item_names (country_office, item, name) VALUES ($1, $2, $3)
           ON CONFLICT (country_office, item) DO UPDATE SET name = excluded.name""",
        [(country_office, item_code(name), " ".join(name.split())) for name in names],
    )


async def erase_returnee_words(
    db: asyncpg.Connection, country_office: str, returnee_id: UUID
) -> int:
    """Delete the officers' words on the reviews of every plan naming the returnee."""
    result: str = await db.execute(
        """DELETE FROM review_words w USING plans p
           WHERE w.plan_id = p.plan_id AND p.country_office = $1 AND $2 = ANY(p.beneficiary_ids)
             AND w.country_office = $1""",
        country_office,
        returnee_id,
    )
    return int(result.split()[-1])


async def keep_kit_feedback(
    db: asyncpg.Connection, country_office: str, review_id: UUID, command: RecordReturneeReview
) -> None:
    await db.execute(
        """INSERT INTO kit_review_words (review_id, country_office, feedback)
           VALUES ($1, $2, $3::text::jsonb)""",
        review_id,
        country_office,
        json.dumps(list(command.feedback)),
    )
