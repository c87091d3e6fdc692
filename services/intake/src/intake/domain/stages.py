"""Where a case stands: how far a returnee has gone, from everything known about them.

The stages are the platform's one vocabulary (`reintegration_contracts.stages`), which
monitoring counts too. Pure: the stage is a function of the set of facts (counselled or not,
the milestones other services reported, the outcomes of the plans naming the returnee), never
of their order.
"""

from collections.abc import Iterable
from enum import StrEnum

from reintegration_contracts import EventPayload
from reintegration_contracts.events.committee import PlanApproved, PlanRejected, PlanSubmitted
from reintegration_contracts.events.intake import (
    CounsellingAttended,
    CounsellingInterviewRecorded,
    ReturneeRegistered,
)
from reintegration_contracts.events.monitoring import FollowUpRecorded
from reintegration_contracts.events.procurement import KitDelivered
from reintegration_contracts.events.training import SkillCertified, TrainingEnrolled
from reintegration_contracts.stages import PLAN_STAGES, Stage, furthest


class PlanOutcome(StrEnum):
    PENDING = "pending"
    REJECTED = "rejected"
    APPROVED = "approved"


def case_stage(
    counselled: bool, milestones: Iterable[Stage], plans: Iterable[PlanOutcome]
) -> Stage:
    """How far a case has gone, from the set of what is known about it, in any order.

    A case only moves forward, except that a plan submitted again after a rejection puts it
    back before the committee: a returnee takes part in one open plan at a time, so a pending
    plan is always later than any rejected one, whatever order the events arrived in."""
    reached = {Stage.REGISTERED, *(m for m in milestones if m not in PLAN_STAGES)}
    if counselled:
        reached.add(Stage.COUNSELLED)
    outcomes = set(plans)
    if PlanOutcome.APPROVED in outcomes:
        reached.add(Stage.PLAN_APPROVED)
    elif PlanOutcome.PENDING in outcomes:
        reached.add(Stage.PLAN_SUBMITTED)
    elif PlanOutcome.REJECTED in outcomes:
        reached.add(Stage.PLAN_REJECTED)
    return furthest(reached)


_STAGE_REACHED_BY: dict[type[EventPayload], Stage] = {
    ReturneeRegistered: Stage.REGISTERED,
    CounsellingInterviewRecorded: Stage.COUNSELLED,
    CounsellingAttended: Stage.COUNSELLED,
    TrainingEnrolled: Stage.IN_TRAINING,
    SkillCertified: Stage.CERTIFIED,
    PlanSubmitted: Stage.PLAN_SUBMITTED,
    PlanRejected: Stage.PLAN_REJECTED,
    PlanApproved: Stage.PLAN_APPROVED,
    KitDelivered: Stage.KIT_DELIVERED,
    FollowUpRecorded: Stage.FOLLOWED_UP,
}


def stage_reached_by(event: EventPayload) -> Stage | None:
    """The stage an event of any service shows a returnee has reached, if it shows one."""
    return _STAGE_REACHED_BY.get(type(event))
