"""Command handlers: gather the facts a rule needs, then run the command. No rules here."""

import json
from collections.abc import Sequence
from dataclasses import replace

from partners.domain.registry import (
    AgreementEvent,
    RegisterPartner,
    RevokeAgreement,
    SignAgreement,
    agreement_stream,
    agreements,
    partner_stream,
    partners,
)
from reintegration_contracts.events.partners import PartnerRegistered
from reintegration_sdk import UnitOfWork


async def register_partner(
    work: UnitOfWork, command: RegisterPartner, name: str, contacts: Sequence[dict[str, str]]
) -> list[PartnerRegistered]:
    events = await work.execute(partners, partner_stream(command.partner_id), command)
    # The organisation's name and its people's contacts stay in this database.
    await work.db.execute(
        """INSERT INTO partner_directory (partner_id, name, contacts) VALUES ($1, $2, $3)
           ON CONFLICT (partner_id) DO UPDATE SET name = EXCLUDED.name,
               contacts = EXCLUDED.contacts""",
        command.partner_id,
        name,
        json.dumps(list(contacts)),
    )
    return events


async def sign_agreement(work: UnitOfWork, command: SignAgreement) -> list[AgreementEvent]:
    offices = await work.db.fetchval(
        "SELECT offices FROM partners WHERE partner_id = $1", command.partner_id
    )
    command = replace(command, partner_offices=None if offices is None else frozenset(offices))
    return await work.execute(agreements, agreement_stream(command.agreement_id), command)


async def revoke_agreement(work: UnitOfWork, command: RevokeAgreement) -> list[AgreementEvent]:
    return await work.execute(agreements, agreement_stream(command.agreement_id), command)
