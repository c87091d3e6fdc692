"""What a partner's feed holds: consent ∩ agreement, reduced, under the partner's pseudonym.

An event about a returnee reaches a partner only if an agreement of that partner, not revoked,
covers the event's office and type and the day it happened, and the returnee's consent to one
of the agreement's purposes for the partner's category was given on or before that day and is
still in effect. The decision depends on dates carried by the events, never on the order in
which they arrive: consent recorded after an event (Kafka interleaves intake's topic with the
others) releases the events of the days it covers, and nothing from before the day it was
given is ever shared. Withdrawal stops everything from then on; the partner is told, and keeps
what it already had until an erasure tells it to purge.
"""

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from reintegration_contracts.events.intake import ConsentPurpose, PartnerCategory


def pseudonym_key(secret: str, partner_id: str) -> bytes:
    """The partner's own key: derived, so one secret serves every partner."""
    return hmac.new(secret.encode(), f"partner-pseudonym:{partner_id}".encode(), "sha256").digest()


def pseudonym(key: bytes, returnee_id: UUID) -> str:
    """The returnee as this partner sees them: keyed, so two partners' ids never match."""
    digest = hmac.new(key, returnee_id.bytes, hashlib.sha256).hexdigest()
    return f"p_{digest[:32]}"


@dataclass(frozen=True)
class Consent:
    purpose: ConsentPurpose
    category: PartnerCategory
    given_on: date
    withdrawn_on: date | None = None

    @property
    def in_effect(self) -> bool:
        # Consent given again after a withdrawal is in effect again.
        return self.withdrawn_on is None or self.given_on > self.withdrawn_on


@dataclass(frozen=True)
class Terms:
    """An agreement as the feed needs it."""

    agreement_id: UUID
    partner_id: str
    category: PartnerCategory
    offices: frozenset[str]
    purposes: frozenset[ConsentPurpose]
    fields: Mapping[str, tuple[str, ...]]  # event type -> shared fields
    starts_on: date
    ends_on: date
    revoked: bool = False

    def active_on(self, day: date) -> bool:
        return not self.revoked and self.starts_on <= day <= self.ends_on


@dataclass(frozen=True)
class Observed:
    """An event about one returnee, as read from a platform topic."""

    event_id: UUID
    event_type: str
    country_office: str
    returnee_id: UUID
    occurred_at: datetime
    data: Mapping[str, Any]

    @property
    def occurred_on(self) -> date:
        return self.occurred_at.astimezone(UTC).date()


def consented(terms: Terms, consents: Iterable[Consent], day: date) -> bool:
    return any(
        c.in_effect and c.category == terms.category and c.purpose in terms.purposes
        and c.given_on <= day
        for c in consents
    )  # fmt: skip


def shared_data(
    terms: Terms, consents: Iterable[Consent], event: Observed, erased: bool
) -> dict[str, Any] | None:
    """The fields of `event` this agreement shares, or None if it shares nothing of it."""
    if erased or event.country_office not in terms.offices:
        return None
    fields = terms.fields.get(event.event_type)
    if fields is None or not terms.active_on(event.occurred_on):
        return None
    if not consented(terms, consents, event.occurred_on):
        return None
    return {name: event.data[name] for name in fields if name in event.data}


def loses_consent(terms: Terms, purpose: ConsentPurpose, category: PartnerCategory) -> bool:
    """Whether a withdrawal of (purpose, category) concerns a partner under these terms."""
    return category == terms.category and purpose in terms.purposes
