"""Partners and agreements, as an office manages them."""

import json
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

import asyncpg
from fastapi import Depends
from pydantic import BaseModel, ConfigDict, Field

from partners import handlers
from partners.domain.registry import RegisterPartner, RevokeAgreement, SignAgreement
from reintegration_contracts.events.intake import ConsentPurpose
from reintegration_contracts.events.partners import (
    EndpointDisabledReason,
    OrganisationKind,
    RevocationReason,
    SharedEventType,
)
from reintegration_contracts.types import CountryOffice, PartnerId
from reintegration_sdk import (
    CurrentPrincipal,
    Db,
    NotFound,
    OfficePath,
    Role,
    Work,
    office_router,
    office_scoped,
)

router = office_router(tags=["partners and agreements"])
Manager = Depends(office_scoped(Role.OFFICE_MANAGER))
Reader = Depends(office_scoped(Role.OFFICE_MANAGER, Role.CASEWORKER, Role.MONITORING_OFFICER))


def today() -> date:
    return datetime.now(UTC).date()


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Contact(_Body):
    role: str = Field(min_length=1, max_length=80, examples=["programme officer"])
    name: str = Field(min_length=1, max_length=120)
    email: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    phone: str | None = Field(default=None, pattern=r"^\+?[0-9 ]{6,20}$")


class PartnerRegistration(_Body):
    partner_id: PartnerId
    name: str = Field(min_length=2, max_length=200, description="Kept here, never in an event")
    kind: OrganisationKind
    offices: list[CountryOffice] = Field(min_length=1, max_length=20)
    contacts: list[Contact] = Field(default_factory=list, max_length=20)


class PartnerView(BaseModel):
    partner_id: str
    name: str
    kind: OrganisationKind
    category: str
    offices: list[str]
    registered_on: date


class AgreementTerms(_Body):
    offices: list[CountryOffice] = Field(min_length=1, max_length=20)
    purposes: list[ConsentPurpose] = Field(min_length=1)
    shares: list[SharedEventType] = Field(min_length=1, max_length=50)
    starts_on: date
    ends_on: date


class AgreementView(BaseModel):
    agreement_id: UUID
    partner_id: str
    country_office: str
    offices: list[str]
    purposes: list[str]
    shares: dict[str, list[str]]
    starts_on: date
    ends_on: date
    signed_on: date
    revoked_on: date | None
    in_force: bool


class Revocation(_Body):
    reason: RevocationReason


async def _partner(db: Db, partner_id: str) -> PartnerView:
    row = await db.fetchrow(
        """SELECT p.*, d.name FROM partners p JOIN partner_directory d USING (partner_id)
           WHERE partner_id = $1""",
        partner_id,
    )
    if row is None:
        raise NotFound("partner")
    return PartnerView.model_validate(dict(row))


async def _agreement(db: Db, country_office: str, agreement_id: UUID) -> AgreementView:
    row = await db.fetchrow(
        "SELECT * FROM agreements WHERE agreement_id = $1 AND $2 = ANY(offices)",
        agreement_id,
        country_office,
    )
    if row is None:
        raise NotFound("agreement")
    return _agreement_view(row)


def _agreement_view(row: asyncpg.Record) -> AgreementView:
    data: dict[str, Any] = dict(row)
    data["shares"] = json.loads(data["shares"])
    data["in_force"] = data["revoked_on"] is None and data["ends_on"] >= today()
    return AgreementView.model_validate(data)


@router.post("/partners", status_code=201, dependencies=[Manager])
async def register_partner(body: PartnerRegistration, work: Work) -> PartnerView:
    """Register an organisation the office works with (409 `partner_already_registered`)."""
    command = RegisterPartner(
        body.partner_id, body.kind, tuple(body.offices), work.country_office, today()
    )
    contacts = [c.model_dump(mode="json", exclude_none=True) for c in body.contacts]
    await handlers.register_partner(work, command, body.name, contacts)
    return await _partner(work.db, body.partner_id)


@router.get("/partners", dependencies=[Reader])
async def list_partners(country_office: OfficePath, db: Db) -> list[PartnerView]:
    """The partners working with this office."""
    rows = await db.fetch(
        """SELECT p.*, d.name FROM partners p JOIN partner_directory d USING (partner_id)
           WHERE $1 = ANY(p.offices) ORDER BY partner_id""",
        country_office,
    )
    return [PartnerView.model_validate(dict(row)) for row in rows]


@router.post("/partners/{partner_id}/agreements", status_code=201, dependencies=[Manager])
async def sign_agreement(
    partner_id: PartnerId, body: AgreementTerms, work: Work, principal: CurrentPrincipal
) -> AgreementView:
    """Sign a data-sharing agreement: the fields of each event type shared with the partner,
    about returnees who consented to one of the purposes for the partner's category."""
    command = SignAgreement(
        agreement_id=uuid4(),
        partner_id=partner_id,
        offices=tuple(body.offices),
        purposes=tuple(body.purposes),
        shares=tuple(body.shares),
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        today=today(),
        signer_offices=principal.country_offices,
    )
    [signed] = await handlers.sign_agreement(work, command)
    return await _agreement(work.db, work.country_office, signed.agreement_id)


@router.get("/agreements", dependencies=[Reader])
async def list_agreements(country_office: OfficePath, db: Db) -> list[AgreementView]:
    """Agreements covering this office, newest first."""
    rows = await db.fetch(
        "SELECT * FROM agreements WHERE $1 = ANY(offices) ORDER BY signed_on DESC, agreement_id",
        country_office,
    )
    return [_agreement_view(row) for row in rows]


@router.post("/agreements/{agreement_id}/revocation", status_code=201, dependencies=[Manager])
async def revoke_agreement(agreement_id: UUID, body: Revocation, work: Work) -> AgreementView:
    """Revoke an agreement: every channel stops sharing what it covered, now."""
    await handlers.revoke_agreement(work, RevokeAgreement(agreement_id, body.reason, today()))
    return await _agreement(work.db, work.country_office, agreement_id)


class DisabledEndpoint(BaseModel):
    endpoint_id: UUID
    partner_id: str
    reason: EndpointDisabledReason
    failing_since: datetime | None
    disabled_at: datetime
    stopped_deliveries: int = Field(description="Waiting for the partner's replay")


@router.get("/disabled-webhook-endpoints", dependencies=[Manager])
async def list_disabled_endpoints(country_office: OfficePath, db: Db) -> list[DisabledEndpoint]:
    """The webhook endpoints of this office's partners that are no longer called, newest
    first: the partner fixes its receiver, then enables and replays (no URL here)."""
    rows = await db.fetch(
        """SELECT w.endpoint_id, w.partner_id, w.disabled_reason AS reason, w.failing_since,
                  w.disabled_at,
                  (SELECT count(*) FROM webhook_deliveries d WHERE d.endpoint_id = w.endpoint_id
                     AND d.state = 'stopped') AS stopped_deliveries
           FROM webhook_endpoints w JOIN partners p USING (partner_id)
           WHERE w.state = 'disabled' AND $1 = ANY(p.offices)
           ORDER BY w.disabled_at DESC, w.endpoint_id""",
        country_office,
    )
    return [DisabledEndpoint.model_validate(dict(row)) for row in rows]
