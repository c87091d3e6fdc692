"""What committee told procurement about a business plan, folded into where the plan stands.

Procurement does not decide plans; it needs to know two things about one before acting: has
the committee decided it (then its budget review is closed), and was it approved (then its
kit may be handed over). Committee publishes the plan's events on the plan's stream, so they
arrive in order, but a stream may arrive again from any event on (a redelivery, a rebuild):
the fold keeps the first approval, lets a rejection close only a plan still waiting, and lets a
submission seen again change nothing but its date.
"""

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from uuid import UUID

from reintegration_contracts.events.committee import PlanApproved, PlanRejected, PlanSubmitted


class PlanStatus(StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass(frozen=True)
class PlanFacts:
    """One plan as procurement knows it from committee's events."""

    plan_id: UUID
    kind: str
    trade: str
    beneficiary_ids: tuple[UUID, ...]
    currency: str
    status: PlanStatus
    submitted_on: date | None = None
    decided_on: date | None = None
    approved_total: int | None = None


PlanEvent = PlanSubmitted | PlanApproved | PlanRejected


def evolve_plan(plan: PlanFacts | None, event: PlanEvent) -> PlanFacts | None:
    """The plan after one more of committee's events about it (None: never heard of)."""
    if isinstance(event, PlanSubmitted):
        if plan is None:
            return PlanFacts(
                event.plan_id,
                event.kind.value,
                event.trade,
                tuple(event.beneficiary_ids),
                event.currency,
                PlanStatus.SUBMITTED,
                submitted_on=event.submitted_on,
            )
        # A plan decided before its submission reached us keeps its decision.
        return replace(plan, submitted_on=event.submitted_on)
    if isinstance(event, PlanApproved):
        if plan is not None and plan.status is PlanStatus.APPROVED:
            return plan  # the first approval stands; a replayed one changes nothing
        return PlanFacts(
            event.plan_id,
            event.kind.value,
            # The committee may have amended the plan: what it approved is what is bought.
            event.trade,
            tuple(event.beneficiary_ids),
            event.currency,
            PlanStatus.APPROVED,
            submitted_on=plan.submitted_on if plan else None,
            decided_on=event.approved_on,
            approved_total=event.approved_total,
        )
    # A rejection of a plan never seen here has nothing to close: it is simply not approved.
    if plan is None or plan.status is not PlanStatus.SUBMITTED:
        return plan
    return replace(plan, status=PlanStatus.REJECTED, decided_on=event.rejected_on)


def is_decided(plan: PlanFacts | None) -> bool:
    """The committee approved or rejected it: its budget review can no longer change."""
    return plan is not None and plan.status is not PlanStatus.SUBMITTED


def is_approved(plan: PlanFacts | None) -> bool:
    """Only an approved plan is implemented: its kit may be delivered."""
    return plan is not None and plan.status is PlanStatus.APPROVED
