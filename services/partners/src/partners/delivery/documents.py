"""One feed entry as a partner receives it, the same over every channel."""

import json
from typing import Any

import asyncpg

# An entry's agreement must still be in force when it leaves: ending or revoking an
# agreement stops every channel at once, entries already in the feed included. Notices
# (withdrawal, erasure) carry no agreement and always go.
DELIVERABLE = """(e.agreement_id IS NULL OR EXISTS (
    SELECT 1 FROM agreements a WHERE a.agreement_id = e.agreement_id
       AND a.revoked_on IS NULL AND a.ends_on >= current_date))"""

NOTICE_TYPES = {"consent_withdrawn": "consent.withdrawn", "returnee_erased": "returnee.erased"}


def entry_type(row: asyncpg.Record) -> str:
    kind: str = row["kind"]
    return NOTICE_TYPES.get(kind, f"event.{row['event_type']}")


def document(row: asyncpg.Record) -> dict[str, Any]:
    """The payload of a delivery (Standard Webhooks' `type`, `timestamp`, `data`)."""
    return {
        "type": entry_type(row),
        "timestamp": row["occurred_at"].isoformat(),
        "data": {
            "id": str(row["entry_id"]),
            "sequence": row["seq"],
            "subject": row["subject"],
            "country_office": row["country_office"],
            "event_type": row["event_type"],
            "fields": json.loads(row["data"]),
        },
    }
