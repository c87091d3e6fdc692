"""The selection committee's rules, pure: business plans, sessions, convening, localities.

Each kind of stream has its Decider (`plans`, `sessions`, `thresholds`); the SDK loads, folds,
decides and appends (`UnitOfWork.execute`). No I/O here.
"""

from committee.domain.business_plans import (
    AmendPlan,
    ApprovePlan,
    Decision,
    NoteBudgetReview,
    Plan,
    PlanCommand,
    PlanEvent,
    PlanStatus,
    RejectPlan,
    SubmitPlan,
    approval_rate,
    budget_total,
    completes_entrepreneurship,
    holds_a_place,
    plan_stream,
    plans,
)
from committee.domain.committee_sessions import (
    MIN_SESSION_MEMBERS,
    REQUIRED_SEATS,
    HoldSession,
    Session,
    is_quorate,
    session_stream,
    sessions,
)
from committee.domain.convening import (
    DEFAULT_CONVENING_THRESHOLD,
    SetConveningThreshold,
    Threshold,
    ready_to_convene,
    threshold_in_force,
    threshold_stream,
    thresholds,
)
from committee.domain.localities import locality_key, place_key, same_locality

__all__ = [
    "DEFAULT_CONVENING_THRESHOLD",
    "MIN_SESSION_MEMBERS",
    "REQUIRED_SEATS",
    "AmendPlan",
    "ApprovePlan",
    "Decision",
    "HoldSession",
    "NoteBudgetReview",
    "Plan",
    "PlanCommand",
    "PlanEvent",
    "PlanStatus",
    "RejectPlan",
    "Session",
    "SetConveningThreshold",
    "SubmitPlan",
    "Threshold",
    "approval_rate",
    "budget_total",
    "completes_entrepreneurship",
    "holds_a_place",
    "is_quorate",
    "locality_key",
    "place_key",
    "plan_stream",
    "plans",
    "ready_to_convene",
    "same_locality",
    "session_stream",
    "sessions",
    "threshold_in_force",
    "threshold_stream",
    "thresholds",
]
