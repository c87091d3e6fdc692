"""People's own words, kept in procurement's database and never on the wire.

An officer's note and line reasons, and what returnee representatives said of a kit, may name
people or places: the events carry a category (BudgetReviewed v2, KitReviewedByReturnees v2)
and the words are written here by the command that appends the event, in its transaction. They
are primary data, not a read model: a rebuild leaves them alone, and deleting a row (erasure on
request) changes no stream.
"""

import json
from uuid import UUID

import asyncpg

from procurement.domain import RecordReturneeReview, ReviseReview


async def keep_revision_words(
    db: asyncpg.Connection, country_office: str, revision: int, command: ReviseReview
) -> None:
    reasons = {str(a.line): a.reason for a in command.adjustments if a.reason.strip()}
    note = (command.note or "").strip() or None
    if note is None and not reasons:
        return
    await db.execute(
        """INSERT INTO review_words (plan_id, revision, country_office, note, line_reasons)
           VALUES ($1, $2, $3, $4, $5::text::jsonb)""",
        command.plan_id,
        revision,
        country_office,
        note,
        json.dumps(reasons),
    )


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
