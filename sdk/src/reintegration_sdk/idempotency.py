"""Idempotent commands: a retry with the same `Idempotency-Key` gets the first answer.

Field staff sync after hours offline and the scenario runner retries on lost answers; a POST
whose answer was lost would otherwise be applied twice. The key, a fingerprint of the request
and the answer are written in the command's own transaction, so either the events and the
answer are both committed or neither is. Only successful answers are kept: a refusal appended
nothing, and its retry may well succeed once the fact it waited for has arrived.

Two requests racing with one key meet at the key's row: the second waits for the first's
transaction and then replays its answer (or runs, if the first was rolled back).
"""

import hashlib
from dataclasses import dataclass

import asyncpg

IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


@dataclass(frozen=True)
class StoredAnswer:
    status: int
    content_type: str | None
    body: bytes


class KeyReused(Exception):
    """The key was already used for a different request (HTTP 422)."""


def fingerprint(method: str, path: str, query: str, body: bytes) -> bytes:
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), query.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.digest()


def valid_key(key: str) -> bool:
    return 0 < len(key) <= MAX_KEY_LENGTH and key.isascii() and key.isprintable()


async def claim(
    db: asyncpg.Connection, scope: str, key: str, request_fingerprint: bytes
) -> StoredAnswer | None:
    """Take the key for this transaction, or return the answer it already has.

    Raises KeyReused when the key answered another request."""
    claimed = await db.fetchval(
        """INSERT INTO idempotency_keys (scope, key, fingerprint) VALUES ($1, $2, $3)
           ON CONFLICT DO NOTHING RETURNING true""",
        scope,
        key,
        request_fingerprint,
    )
    if claimed:
        return None
    row = await db.fetchrow(
        """SELECT fingerprint, status, content_type, body FROM idempotency_keys
           WHERE scope = $1 AND key = $2""",
        scope,
        key,
    )
    if row is None or row["fingerprint"] != request_fingerprint:
        raise KeyReused(key)
    return StoredAnswer(row["status"], row["content_type"], bytes(row["body"]))


async def remember(db: asyncpg.Connection, scope: str, key: str, answer: StoredAnswer) -> None:
    await db.execute(
        """UPDATE idempotency_keys SET status = $3, content_type = $4, body = $5
           WHERE scope = $1 AND key = $2""",
        scope,
        key,
        answer.status,
        answer.content_type,
        answer.body,
    )
