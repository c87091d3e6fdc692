"""The stages a returnee goes through, one vocabulary for every service.

Intake tells a caseworker where a case stands, monitoring counts how many returnees reached each
stage and how long it took; both speak of the same stages, in the order the field goes through
them (DESIGN.md, "The field"). A stage is a fact about a returnee that some service's event
establishes; which event establishes it is the reading service's business, so this module names
the stages and their order and nothing else. It travels in read-model answers and exports, not
in event payloads: adding a stage changes no schema.
"""

from enum import StrEnum


class Stage(StrEnum):
    """Where a returnee stands on the path from return to a sustainable activity.

    The members are in the field's order. A programme need not use every one (Niger's grants
    skip training and certification; job referral skips the plan), and a returnee may skip
    stages, so "later in the order" means "further along", not "went through every earlier one".
    """

    REGISTERED = "registered"
    """Received and registered by intake on return (the arrival date)."""

    COUNSELLED = "counselled"
    """Attended group job counselling, or had the individual interview where the office counts
    it as counselling."""

    IN_TRAINING = "in_training"
    """Enrolled in a cohort: entrepreneurship or vocational training has started."""

    TRAINED = "trained"
    """Completed a course (entrepreneurship or vocational) and passed it: the attendance
    threshold met, and the exam for a vocational course. Who completed and failed is counted
    apart (monitoring's completions per course and trade), not as trained."""

    CERTIFIED = "certified"
    """Holds a certificate in a trade: by a matching centre's assessment or a passed exam."""

    PLAN_SUBMITTED = "plan_submitted"
    """A business plan (individual or collective) naming the returnee awaits the committee."""

    PLAN_REVIEWED = "plan_reviewed"
    """Procurement reviewed the plan's specifications and budget; the committee may decide it."""

    PLAN_EXAMINED = "plan_examined"
    """The selection committee examined the plan in a session and decided it (approved, as
    amended or not, or rejected): a stage of its own after procurement's review."""

    PLAN_REJECTED = "plan_rejected"
    """The selection committee rejected the plan; the returnee may submit another."""

    PLAN_APPROVED = "plan_approved"
    """The selection committee approved the plan: only approved plans are implemented."""

    KIT_DELIVERED = "kit_delivered"
    """The equipment kit (or grant) was delivered: the activity starts."""

    FOLLOWED_UP = "followed_up"
    """A follow-up visit looked at the activity at least once."""

    SUSTAINABLE = "sustainable"
    """The latest sustainability survey scored the reintegration as sustainable."""


STAGE_ORDER: tuple[Stage, ...] = tuple(Stage)
"""Every stage, earliest first."""

PLAN_STAGES: frozenset[Stage] = frozenset(
    {
        Stage.PLAN_SUBMITTED,
        Stage.PLAN_REVIEWED,
        Stage.PLAN_EXAMINED,
        Stage.PLAN_REJECTED,
        Stage.PLAN_APPROVED,
    }
)
"""Stages a business plan reaches: a returnee reaches them through the plans naming them."""


def furthest(stages: set[Stage] | frozenset[Stage]) -> Stage:
    """The stage furthest along the field's order among `stages` (at least one)."""
    return max(stages, key=STAGE_ORDER.index)


__all__ = ["PLAN_STAGES", "STAGE_ORDER", "Stage", "furthest"]
