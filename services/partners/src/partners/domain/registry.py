"""Partner organisations and their data-sharing agreements: one stream each."""

from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID

from reintegration_contracts.events.intake import ConsentPurpose
from reintegration_contracts.events.partners import (
    CATEGORY_OF_KIND,
    AgreementRevoked,
    AgreementSigned,
    OrganisationKind,
    PartnerRegistered,
    RevocationReason,
    SharedEventType,
)
from reintegration_contracts.registry import all_kinds, current_model
from reintegration_sdk import Decider, InvalidFields, RuleViolation

# What names the person an event is about; a partner gets a pseudonym of it instead.
SUBJECT_FIELD = "returnee_id"
# Consent and erasure reach a partner as notices of their own, never as shared events.
NOT_SHAREABLE = frozenset({"ConsentRecorded", "ConsentWithdrawn", "ReturneeErased"})


def partner_stream(partner_id: str) -> str:
    return f"partner-{partner_id}"


def agreement_stream(agreement_id: UUID) -> str:
    return f"agreement-{agreement_id}"


def shareable_event_types() -> dict[str, frozenset[str]]:
    """Event type -> its payload fields, for the types about one returnee (the only ones an
    agreement may share: the others are not consent-gated and name no one)."""
    found: dict[str, frozenset[str]] = {}
    for kind in all_kinds():
        model = current_model(kind.name)
        if SUBJECT_FIELD in model.model_fields and kind.name not in NOT_SHAREABLE:
            found[kind.name] = frozenset(model.model_fields) - {SUBJECT_FIELD}
    return found


@dataclass(frozen=True)
class Partner:
    registered: bool = False
    kind: OrganisationKind | None = None
    offices: frozenset[str] = frozenset()


@dataclass(frozen=True)
class RegisterPartner:
    partner_id: str
    kind: OrganisationKind
    offices: tuple[str, ...]
    office: str  # the registering office: it must be one the partner works with
    today: date


def decide_partner(state: Partner, command: RegisterPartner) -> list[PartnerRegistered]:
    if state.registered:
        raise RuleViolation("partner_already_registered", "This partner is already registered.")
    if command.office not in command.offices:
        raise InvalidFields([("offices", f"must include the registering office {command.office}")])
    return [
        PartnerRegistered(
            partner_id=command.partner_id,
            kind=command.kind,
            category=CATEGORY_OF_KIND[command.kind],
            offices=sorted(set(command.offices)),
            registered_on=command.today,
        )
    ]


def evolve_partner(state: Partner, event: PartnerRegistered) -> Partner:
    return Partner(True, event.kind, frozenset(event.offices))


partners = Decider(initial=Partner(), evolve=evolve_partner, decide=decide_partner)


@dataclass(frozen=True)
class Agreement:
    signed: bool = False
    partner_id: str | None = None
    revoked: bool = False


@dataclass(frozen=True)
class SignAgreement:
    agreement_id: UUID
    partner_id: str
    offices: tuple[str, ...]
    purposes: tuple[ConsentPurpose, ...]
    shares: tuple[SharedEventType, ...]
    starts_on: date
    ends_on: date
    today: date
    signer_offices: frozenset[str]
    # Gathered by the handler from the registry: None for a partner nobody registered.
    partner_offices: frozenset[str] | None = None


@dataclass(frozen=True)
class RevokeAgreement:
    agreement_id: UUID
    reason: RevocationReason
    today: date


AgreementCommand = SignAgreement | RevokeAgreement
AgreementEvent = AgreementSigned | AgreementRevoked


def _terms_problems(command: SignAgreement) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    partner_offices = command.partner_offices or frozenset()
    for office in command.offices:
        if office not in partner_offices:
            problems.append(("offices", f"the partner does not work with office {office}"))
        elif office not in command.signer_offices:
            problems.append(("offices", f"the signer does not act for office {office}"))
    if command.ends_on < command.starts_on:
        problems.append(("ends_on", "is before starts_on"))
    if command.ends_on < command.today:
        problems.append(("ends_on", "is in the past"))
    known = shareable_event_types()
    seen: set[str] = set()
    for number, share in enumerate(command.shares):
        where = f"shares.{number}"
        if share.event_type in seen:
            problems.append((f"{where}.event_type", "is named twice"))
        seen.add(share.event_type)
        if share.event_type not in known:
            problems.append((f"{where}.event_type", "is not an event type about one returnee"))
            continue
        unknown = sorted(set(share.fields) - known[share.event_type])
        if unknown:
            fields = ", ".join(unknown)
            problems.append((f"{where}.fields", f"not fields of {share.event_type}: {fields}"))
    return problems


def decide_agreement(state: Agreement, command: AgreementCommand) -> list[AgreementEvent]:
    if isinstance(command, RevokeAgreement):
        if not state.signed or state.partner_id is None:
            raise RuleViolation("agreement_not_found", "No such agreement in this office.")
        if state.revoked:
            raise RuleViolation("agreement_revoked", "This agreement is already revoked.")
        return [
            AgreementRevoked(
                agreement_id=command.agreement_id,
                partner_id=state.partner_id,
                reason=command.reason,
                revoked_on=command.today,
            )
        ]
    if state.signed:
        raise RuleViolation("agreement_already_signed", "This agreement is already signed.")
    if command.partner_offices is None:
        raise RuleViolation("partner_not_registered", "No partner is registered with this id.")
    problems = _terms_problems(command)
    if problems:
        raise InvalidFields(problems)
    return [
        AgreementSigned(
            agreement_id=command.agreement_id,
            partner_id=command.partner_id,
            offices=sorted(set(command.offices)),
            purposes=sorted(set(command.purposes)),
            shares=list(command.shares),
            starts_on=command.starts_on,
            ends_on=command.ends_on,
            signed_on=command.today,
        )
    ]


def evolve_agreement(state: Agreement, event: AgreementEvent) -> Agreement:
    if isinstance(event, AgreementRevoked):
        return replace(state, revoked=True)
    return Agreement(signed=True, partner_id=event.partner_id)


agreements = Decider(initial=Agreement(), evolve=evolve_agreement, decide=decide_agreement)
