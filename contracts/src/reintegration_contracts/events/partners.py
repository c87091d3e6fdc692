"""Events published by the partners service: the partner registry and data-sharing agreements.

A partner is named by its id (a DNS label, also the name of its feed topic
`partners.<partner>.events`); its name, contacts and webhook endpoints stay in the partners
service's database, never in an event. An agreement says, for one partner, which offices,
which consent purposes and which fields of which event types may be shared, and when.
"""

from datetime import date
from enum import StrEnum
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from reintegration_contracts.classification import classified
from reintegration_contracts.events.intake import ConsentPurpose, PartnerCategory
from reintegration_contracts.registry import EventPayload, event
from reintegration_contracts.subscriptions import register_service
from reintegration_contracts.topics import Domain, register_domain
from reintegration_contracts.types import CountryOffice, PartnerId

PARTNERS = register_domain("partners", owner="platform")
# The partners service reads every platform domain: the consents intake records, and the
# events agreements may share.
register_service("partners", publishes=PARTNERS, consumes=list(Domain))

FieldName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,63}$", examples=["trade"])]
EventTypeName = Annotated[
    str, Field(pattern=r"^[A-Z][A-Za-z0-9]{1,63}$", examples=["SkillCertified"])
]


class OrganisationKind(StrEnum):
    LOCAL_NGO = "local_ngo"
    INTERNATIONAL_NGO = "international_ngo"
    UN_AGENCY = "un_agency"
    PRIVATE_COMPANY = "private_company"
    GOVERNMENT = "government"


# Returnees consent to sharing with a kind of partner (intake's PartnerCategory).
CATEGORY_OF_KIND: dict[OrganisationKind, PartnerCategory] = {
    OrganisationKind.LOCAL_NGO: PartnerCategory.NGO,
    OrganisationKind.INTERNATIONAL_NGO: PartnerCategory.NGO,
    OrganisationKind.UN_AGENCY: PartnerCategory.UN_AGENCY,
    OrganisationKind.PRIVATE_COMPANY: PartnerCategory.PRIVATE_SECTOR,
    OrganisationKind.GOVERNMENT: PartnerCategory.GOVERNMENT,
}


class RevocationReason(StrEnum):
    PARTNER_REQUEST = "partner_request"
    BREACH_OF_TERMS = "breach_of_terms"
    PROGRAMME_CLOSED = "programme_closed"
    SUPERSEDED = "superseded"
    OTHER = "other"


@classified(category="event_type fields")
class SharedEventType(BaseModel):
    """One event type an agreement shares, and the only fields of it the partner receives."""

    model_config = ConfigDict(frozen=True)

    event_type: EventTypeName
    fields: list[FieldName] = Field(
        min_length=1, max_length=40, description="Payload fields shared (the returnee id never)"
    )


@classified(identifier="partner_id offices", category="kind category", date="registered_on")
@event("PartnerRegistered", 1, PARTNERS)
class PartnerRegistered(EventPayload):
    """An organisation the office works with; its name and contacts stay in the service."""

    partner_id: PartnerId
    kind: OrganisationKind
    category: PartnerCategory = Field(description="The kind of partner returnees consent to")
    offices: list[CountryOffice] = Field(min_length=1, description="Offices it works with")
    registered_on: date


@classified(
    identifier="agreement_id partner_id offices",
    category="purposes",
    nested="shares",
    date="starts_on ends_on signed_on",
)
@event("AgreementSigned", 1, PARTNERS)
class AgreementSigned(EventPayload):
    """A data-sharing agreement signed by an office manager."""

    agreement_id: UUID
    partner_id: PartnerId
    offices: list[CountryOffice] = Field(min_length=1)
    purposes: list[ConsentPurpose] = Field(min_length=1)
    shares: list[SharedEventType] = Field(min_length=1, max_length=50)
    starts_on: date
    ends_on: date
    signed_on: date


@classified(identifier="agreement_id partner_id", category="reason", date="revoked_on")
@event("AgreementRevoked", 1, PARTNERS)
class AgreementRevoked(EventPayload):
    """The agreement stops now: no feed it opened shares anything more."""

    agreement_id: UUID
    partner_id: PartnerId
    reason: RevocationReason
    revoked_on: date


class EndpointDisabledReason(StrEnum):
    GONE = "gone"  # the endpoint answered 410: it asked never to be called again
    FAILING = "failing"  # no successful delivery for longer than the office's threshold


@classified(
    identifier="endpoint_id partner_id",
    category="reason",
    date="failing_since disabled_on",
    count="stopped_deliveries",
)
@event("WebhookEndpointDisabled", 1, PARTNERS)
class WebhookEndpointDisabled(EventPayload):
    """The partners service stopped calling one of a partner's webhook endpoints, so the
    partner and its office know to fix it; its deliveries wait for a replay. The URL stays in
    the service."""

    endpoint_id: UUID
    partner_id: PartnerId
    reason: EndpointDisabledReason
    failing_since: date | None = Field(
        default=None, description="The day of the first failure no success followed"
    )
    disabled_on: date
    stopped_deliveries: int = Field(ge=0, description="Deliveries stopped until a replay")
