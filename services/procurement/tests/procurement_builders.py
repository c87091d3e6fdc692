"""Object mothers for procurement's tests: upstream events and requests with sensible defaults."""

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from reintegration_contracts.events.committee import (
    BudgetLine,
    PlanApproved,
    PlanKind,
    PlanRejected,
    PlanSubmitted,
)
from reintegration_contracts.events.training import CertificationRoute, SkillCertified, SkillLevel
from reintegration_contracts.types import Locality
from reintegration_sdk.auth import Role
from reintegration_sdk.testing.service import auth_headers

TODAY = datetime.now(UTC).date()  # the service dates by UTC too
LOCALITY = Locality(region="Centre-Est", commune="Tenkodogo")
SEWING_MACHINE = BudgetLine(item="sewing_machine", quantity=1, unit_cost=120_000, specified=True)
FABRIC = BudgetLine(item="fabric", quantity=10, unit_cost=1_500, specified=True)


def officer(office: str) -> dict[str, str]:
    return auth_headers([Role.PROCUREMENT_OFFICER], [office], subject="officer-1")


def plan_submitted(
    plan_id: UUID,
    *lines: BudgetLine,
    trade: str = "tailoring",
    submitted_on: date | None = None,
) -> PlanSubmitted:
    return PlanSubmitted(
        plan_id=plan_id,
        kind=PlanKind.INDIVIDUAL,
        beneficiary_ids=[uuid4()],
        sector="crafts",
        trade=trade,
        locality=LOCALITY,
        budget_lines=list(lines or (SEWING_MACHINE, FABRIC)),
        currency="XOF",
        submitted_on=submitted_on or TODAY - timedelta(days=20),
    )


def plan_approved(plan_id: UUID, *lines: BudgetLine, days_ago: int = 10) -> PlanApproved:
    budget = list(lines or (SEWING_MACHINE, FABRIC))
    return PlanApproved(
        plan_id=plan_id,
        session_id=uuid4(),
        kind=PlanKind.INDIVIDUAL,
        beneficiary_ids=[uuid4()],
        trade="tailoring",
        locality=LOCALITY,
        approved_on=TODAY - timedelta(days=days_ago),
        approved_budget=budget,
        approved_total=sum(line.quantity * line.unit_cost for line in budget),
        currency="XOF",
    )


def plan_rejected(plan_id: UUID) -> PlanRejected:
    return PlanRejected(
        plan_id=plan_id, session_id=uuid4(), rejected_on=TODAY, reasons=["not_viable"]
    )


def skill_certified(returnee_id: UUID, trade: str = "tailoring") -> SkillCertified:
    return SkillCertified(
        returnee_id=returnee_id,
        trade=trade,
        level=SkillLevel.INTERMEDIATE,
        route=CertificationRoute.ASSESSMENT,
        centre_id=uuid4(),
        certified_on=TODAY - timedelta(days=5),
    )


def price(item: str = "sewing machine", unit_price: int = 90_000) -> dict[str, Any]:
    return {
        "item": item,
        "unit": "piece",
        "unit_price": unit_price,
        "supplier": "Sahel Equipements",
        "currency": "XOF",
    }


def delivery(*items: tuple[str, int, int], acknowledged: bool = True) -> dict[str, Any]:
    handed = items or (("sewing machine", 1, 120_000), ("fabric", 10, 15_000))
    return {
        "delivered_on": TODAY.isoformat(),
        "items": [{"item": i, "quantity": q, "value": v} for i, q, v in handed],
        "acknowledged_by_beneficiary": acknowledged,
    }
