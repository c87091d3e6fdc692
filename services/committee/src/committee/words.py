"""People's own words, kept in committee's database and never on the wire.

A plan's activity, its items and specifications in words, the in-kind contribution in words,
the committee's words on a decision and the organisations at a session may name people or
places: the events carry item codes and categories (the v2 committee events) and the words are
written here by the command that appends the event, in its transaction. They are primary
data, not a read model: a rebuild leaves them alone; erasing a returnee deletes the words of
every plan naming them, and changes no stream.
"""

import json
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import asyncpg


@dataclass(frozen=True)
class LineWords:
    item: str
    specification: str | None = None


@dataclass(frozen=True)
class PlanWords:
    """What the submission said in words: the activity, each line by its item code, and
    each in-kind contribution in the order of the event's."""

    activity: str
    lines: dict[str, LineWords] = field(default_factory=dict)
    in_kind: tuple[str | None, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "activity": self.activity,
            "lines": {
                code: {"item": w.item, "specification": w.specification}
                for code, w in self.lines.items()
            },
            "in_kind": list(self.in_kind),
        }


@dataclass(frozen=True)
class DecisionWords:
    """The committee's words on a decision, and an amended budget's lines in words."""

    note: str | None = None
    lines: dict[str, LineWords] = field(default_factory=dict)

    def said_anything(self) -> bool:
        return bool(self.note or self.lines)

    def as_json(self) -> dict[str, Any]:
        return {
            "note": self.note,
            "lines": {
                code: {"item": w.item, "specification": w.specification}
                for code, w in self.lines.items()
            },
        }


async def keep_plan_words(
    db: asyncpg.Connection, office: str, plan_id: UUID, words: PlanWords
) -> None:
    await _keep(db, office, plan_id, "submission", words.as_json())


async def keep_decision_words(
    db: asyncpg.Connection, office: str, plan_id: UUID, words: DecisionWords
) -> None:
    if words.said_anything():
        await _keep(db, office, plan_id, "decision", words.as_json())


async def _keep(
    db: asyncpg.Connection, office: str, plan_id: UUID, part: str, words: dict[str, Any]
) -> None:
    await db.execute(
        """INSERT INTO plan_words (plan_id, part, country_office, words)
           VALUES ($1, $2, $3, $4::text::jsonb)
           ON CONFLICT (plan_id, part) DO UPDATE SET words = excluded.words""",
        plan_id,
        part,
        office,
        json.dumps(words),
    )


async def keep_session_words(
    db: asyncpg.Connection, office: str, session_id: UUID, organisations: list[str]
) -> None:
    await db.execute(
        """INSERT INTO session_words (session_id, country_office, organisations)
           VALUES ($1, $2, $3::text::jsonb) ON CONFLICT (session_id) DO NOTHING""",
        session_id,
        office,
        json.dumps(organisations),
    )


async def plan_words(db: asyncpg.Connection, office: str, plan_id: UUID) -> dict[str, Any]:
    """{'submission': {...}, 'decision': {...}}, each part that is still kept."""
    rows = await db.fetch(
        "SELECT part, words FROM plan_words WHERE plan_id = $1 AND country_office = $2",
        plan_id,
        office,
    )
    return {row["part"]: json.loads(row["words"]) for row in rows}


async def erase_returnee_words(db: asyncpg.Connection, office: str, returnee_id: UUID) -> int:
    """Delete the words of every plan of this office naming the returnee; how many rows."""
    result: str = await db.execute(
        """DELETE FROM plan_words w USING plan_beneficiaries b
           WHERE w.plan_id = b.plan_id AND b.country_office = $1 AND b.returnee_id = $2
             AND w.country_office = $1""",
        office,
        returnee_id,
    )
    return int(result.split()[-1])
