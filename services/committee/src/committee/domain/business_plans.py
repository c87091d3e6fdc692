"""Business plans: submitted by the trained, reviewed by procurement, decided by the committee.

One stream per plan. A handler gathers what other streams know (who passed the entrepreneurship
training, the plans the beneficiaries are already in, the session a decision names) into the
command; `decide` returns the events or raises the rule that refuses it.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from uuid import UUID

from committee.domain.committee_sessions import ensure_quorate
from committee.domain.localities import locality_name, same_locality
from reintegration_contracts.events.committee import (
    BudgetLine,
    CommitteeSessionHeld,
    ConditionKind,
    InKindContribution,
    PlanAmended,
    PlanApproved,
    PlanBudgetReviewNoted,
    PlanKind,
    PlanRejected,
    PlanSubmitted,
    RejectionReason,
    ReviewedBudgetLine,
)
from reintegration_contracts.events.procurement import BudgetReviewed
from reintegration_contracts.events.training import CourseKind, TrainingCompleted
from reintegration_contracts.types import Locality
from reintegration_sdk import Decider, InvalidField, InvalidFields, NotFound, RuleViolation

PlanEvent = PlanSubmitted | PlanBudgetReviewNoted | PlanAmended | PlanApproved | PlanRejected


def plan_stream(plan_id: UUID) -> str:
    return f"plan-{plan_id}"


class PlanStatus(StrEnum):
    SUBMITTED = "submitted"  # waiting for procurement's budget review
    REVIEWED = "reviewed"  # budget reviewed, waiting for the committee
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Plan:
    """A business plan as its stream tells it."""

    submitted: PlanSubmitted
    review: PlanBudgetReviewNoted | None = None
    amendment: PlanAmended | None = None
    decision: PlanApproved | PlanRejected | None = None

    @property
    def status(self) -> PlanStatus:
        if isinstance(self.decision, PlanApproved):
            return PlanStatus.APPROVED
        if isinstance(self.decision, PlanRejected):
            return PlanStatus.REJECTED
        return PlanStatus.REVIEWED if self.review else PlanStatus.SUBMITTED


def evolve(plan: Plan | None, event: PlanEvent) -> Plan | None:
    if isinstance(event, PlanSubmitted):
        return Plan(submitted=event)
    if plan is None:
        return None
    if isinstance(event, PlanBudgetReviewNoted):
        return replace(plan, review=event)
    if isinstance(event, PlanAmended):
        return replace(plan, amendment=event)
    return replace(plan, decision=event)


def holds_a_place(plan: Plan, returnee_id: UUID) -> bool:
    """A returnee takes part in one pending or approved plan at a time; a rejection frees them."""
    return returnee_id in plan.submitted.beneficiary_ids and plan.status is not PlanStatus.REJECTED


def completes_entrepreneurship(event: TrainingCompleted) -> bool:
    """Only a passed entrepreneurship course lets a returnee sign a business plan."""
    return event.kind == CourseKind.ENTREPRENEURSHIP and event.passed


def budget_total(lines: Iterable[BudgetLine]) -> int:
    return sum(line.quantity * line.unit_cost for line in lines)


def approval_rate(approved: int, decided: int) -> float | None:
    """Of the plans the committee decided, the share it approved (amended ones included)."""
    return round(approved / decided, 4) if decided else None


# Commands ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubmitPlan:
    plan_id: UUID
    kind: PlanKind
    beneficiary_ids: tuple[UUID, ...]
    sector: str
    trade: str
    locality: Locality
    budget_lines: tuple[BudgetLine, ...]
    in_kind_contribution: tuple[InKindContribution, ...]
    kit_requested: str | None
    currency: str
    submitted_on: date
    today: date
    # Facts from other streams, gathered by the handler: whether the office's programme puts
    # the entrepreneurship course before a plan, who passed it, and every plan of this office
    # that names one of the beneficiaries.
    entrepreneurship_required: bool = True
    trained: frozenset[UUID] = field(default_factory=frozenset)
    their_plans: tuple[Plan, ...] = ()


@dataclass(frozen=True)
class NoteBudgetReview:
    review: BudgetReviewed


# A decision names its session; the handler finds it among the sessions held in the office
# (`session` stays None when none was).


@dataclass(frozen=True)
class ApprovePlan:
    plan_id: UUID
    session_id: UUID
    session: CommitteeSessionHeld | None = None


@dataclass(frozen=True)
class RejectPlan:
    plan_id: UUID
    session_id: UUID
    reasons: tuple[RejectionReason, ...]
    session: CommitteeSessionHeld | None = None


@dataclass(frozen=True)
class AmendPlan:
    plan_id: UUID
    session_id: UUID
    budget_lines: tuple[BudgetLine, ...] | None
    conditions: tuple[ConditionKind, ...]
    session: CommitteeSessionHeld | None = None


Decision = ApprovePlan | RejectPlan | AmendPlan
PlanCommand = SubmitPlan | NoteBudgetReview | Decision


# Decisions --------------------------------------------------------------------------------


def decide(plan: Plan | None, command: PlanCommand) -> list[PlanEvent]:
    match command:
        case SubmitPlan():
            return [_submit(plan, command)]
        case NoteBudgetReview():
            return _note_review(plan, command.review)
        case ApprovePlan():
            decided = _decidable(plan, command)
            return [_approval(decided, _reviewed_budget(decided), (), False)]
        case RejectPlan():
            return [_rejection(_decidable(plan, command), command)]
        case AmendPlan():
            return _amend(_decidable(plan, command), command)


plans = Decider[Plan | None, PlanCommand, PlanEvent](initial=None, evolve=evolve, decide=decide)


def _submit(plan: Plan | None, command: SubmitPlan) -> PlanSubmitted:
    if plan is not None:
        raise RuleViolation("plan_already_submitted", "This business plan was already submitted.")
    problems = _submission_problems(command)
    if problems:
        raise InvalidFields(problems)
    beneficiaries = command.beneficiary_ids
    untrained = [b for b in beneficiaries if b not in command.trained]
    if untrained and command.entrepreneurship_required:
        raise RuleViolation(
            "beneficiary_not_trained",
            "Every beneficiary completes the entrepreneurship training before a plan is "
            f"submitted; {len(untrained)} of them have not.",
            returnee_ids=untrained,
        )
    committed = [b for b in beneficiaries if any(holds_a_place(p, b) for p in command.their_plans)]
    if committed:
        raise RuleViolation(
            "beneficiary_in_another_plan",
            "A returnee takes part in one pending or approved plan at a time.",
            returnee_ids=committed,
        )
    return PlanSubmitted(
        plan_id=command.plan_id,
        kind=command.kind,
        beneficiary_ids=list(beneficiaries),
        sector=command.sector,
        trade=command.trade,
        locality=command.locality,
        budget_lines=list(command.budget_lines),
        in_kind_contribution=list(command.in_kind_contribution),
        kit_requested=command.kit_requested,
        currency=command.currency,
        submitted_on=command.submitted_on,
    )


def _submission_problems(command: SubmitPlan) -> list[tuple[str, str]]:
    """Every field of the submission that contradicts another, or the field's rules."""
    problems = []
    beneficiaries = command.beneficiary_ids
    if len(set(beneficiaries)) != len(beneficiaries):
        problems.append(("beneficiary_ids", "a returnee is listed more than once"))
    if command.kind == PlanKind.INDIVIDUAL and len(beneficiaries) != 1:
        problems.append(("beneficiary_ids", "an individual plan has exactly one beneficiary"))
    if command.kind == PlanKind.COLLECTIVE and len(beneficiaries) < 2:
        problems.append(("beneficiary_ids", "a collective plan has at least two beneficiaries"))
    items = [line.item for line in command.budget_lines]
    if len(set(items)) != len(items):
        problems.append(("budget_lines", "each item appears on one line only"))
    if not any(part.value > 0 for part in command.in_kind_contribution):
        problems.append(
            ("in_kind_contribution", "a plan includes the beneficiaries' own contribution")
        )
    if command.submitted_on > command.today:
        problems.append(("submitted_on", "is in the future"))
    return problems


def _note_review(plan: Plan | None, review: BudgetReviewed) -> list[PlanEvent]:
    # A review the plan can no longer use (unknown plan, plan already decided, an older
    # revision arriving late) changes nothing rather than stopping the consumer.
    if plan is None or plan.decision is not None:
        return []
    # Procurement reviews specifications and budget before the committee decides: a review
    # with lines only an officer can settle is not one yet, and the plan stays submitted.
    if review.awaiting_officer:
        return []
    # Compared with the last revision noted, not received: an officer's revision 2 after an
    # automatic revision 1 left waiting is noted.
    if plan.review is not None and review.revision <= plan.review.revision:
        return []
    lines = [
        ReviewedBudgetLine(
            item=line.item,
            quantity=line.quantity,
            submitted_unit_cost=line.submitted_unit_cost,
            reviewed_unit_cost=line.reviewed_unit_cost,
            flags=[flag.value for flag in line.flags],
            reasons=line.reasons,
            officer_reason=line.officer_reason,
        )
        for line in review.lines
    ]
    return [
        PlanBudgetReviewNoted(
            plan_id=plan.submitted.plan_id,
            review_id=review.review_id,
            revision=review.revision,
            reviewed_on=review.reviewed_on,
            reviewed_total=review.reviewed_total,
            flagged_lines=sum(1 for line in review.lines if line.flags),
            submitted_total=review.submitted_total,
            lines=lines,
        )
    ]


@dataclass(frozen=True)
class _Decidable:
    plan: Plan
    review: PlanBudgetReviewNoted
    session: CommitteeSessionHeld


def _decidable(plan: Plan | None, command: Decision) -> _Decidable:
    if plan is None:
        # Worded as the SDK words a stream of another office: the two answers are one.
        raise NotFound(plan_stream(command.plan_id))
    if plan.decision is not None:
        raise RuleViolation(
            "plan_already_decided",
            f"This plan was already {plan.status.value}; it is decided once.",
        )
    if plan.review is None:
        raise RuleViolation(
            "budget_not_reviewed",
            "Procurement reviews the plan's budget before the committee decides it.",
        )
    session = command.session
    if session is None:
        raise RuleViolation(
            "session_not_held", "A decision is taken in a committee session held in this office."
        )
    ensure_quorate(session.members)
    if not same_locality(session.locality, plan.submitted.locality):
        raise RuleViolation(
            "session_in_another_locality",
            "The committee of the plan's own locality decides it (plan: "
            f"{locality_name(plan.submitted.locality)}, session: "
            f"{locality_name(session.locality)}).",
        )
    if session.held_on < plan.submitted.submitted_on:
        raise RuleViolation(
            "session_before_submission", "The session was held before the plan was submitted."
        )
    if session.held_on < plan.review.reviewed_on:
        raise RuleViolation(
            "session_before_budget_review",
            "The session was held before procurement reviewed the budget, so it did not see it.",
        )
    return _Decidable(plan, plan.review, session)


def _reviewed_budget(decided: _Decidable) -> list[BudgetLine]:
    """The budget procurement reviewed, keeping whether each submitted line was specified."""
    specified = {line.item: line.specified for line in decided.plan.submitted.budget_lines}
    return [
        BudgetLine(
            item=line.item,
            quantity=line.quantity,
            unit_cost=line.reviewed_unit_cost,
            specified=specified.get(line.item, False),
        )
        for line in decided.review.lines
    ]


def _approval(
    decided: _Decidable,
    budget: list[BudgetLine],
    conditions: Sequence[ConditionKind],
    amended: bool,
) -> PlanApproved:
    submitted = decided.plan.submitted
    return PlanApproved(
        plan_id=submitted.plan_id,
        session_id=decided.session.session_id,
        kind=submitted.kind,
        beneficiary_ids=submitted.beneficiary_ids,
        trade=submitted.trade,
        locality=submitted.locality,
        approved_on=decided.session.held_on,
        approved_budget=budget,
        approved_total=budget_total(budget),
        amended=amended,
        conditions=list(conditions),
        currency=submitted.currency,
    )


def _rejection(decided: _Decidable, command: RejectPlan) -> PlanRejected:
    if not command.reasons:
        raise InvalidField("reasons", "a rejection gives at least one reason")
    return PlanRejected(
        plan_id=decided.plan.submitted.plan_id,
        session_id=decided.session.session_id,
        rejected_on=decided.session.held_on,
        reasons=list(command.reasons),
    )


def _amend(decided: _Decidable, command: AmendPlan) -> list[PlanEvent]:
    if command.budget_lines is None and not command.conditions:
        raise InvalidField("budget_lines", "an amendment changes the budget or sets conditions")
    budget = list(command.budget_lines or _reviewed_budget(decided))
    if budget_total(budget) > decided.review.reviewed_total:
        # Spending procurement has not checked would need a new review first.
        raise RuleViolation(
            "amendment_above_reviewed_budget",
            f"The amended budget ({budget_total(budget)}) exceeds the reviewed budget "
            f"({decided.review.reviewed_total}).",
        )
    amendment = PlanAmended(
        plan_id=decided.plan.submitted.plan_id,
        session_id=decided.session.session_id,
        amended_on=decided.session.held_on,
        budget_lines=budget,
        conditions=list(command.conditions),
    )
    return [amendment, _approval(decided, budget, command.conditions, True)]
