"""A returnee's case timeline: one line per event from every service, naming no one.

Events about a plan are filed under the plan and shown on each beneficiary's timeline, so a
budget review that only names the plan still appears for every member of a collective plan.
"""

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from monitoring.casefile import plan_id_of, returnee_ids_of
from reintegration_contracts.events import committee, intake, monitoring, procurement, training
from reintegration_contracts.registry import EventPayload
from reintegration_sdk.events import EventMeta


@dataclass(frozen=True)
class TimelineEntry:
    event_id: UUID
    subject_id: UUID  # the returnee, or the plan for plan events
    country_office: str
    occurred_on: date
    recorded_at: datetime
    domain: str
    event_name: str
    summary: str


def entries_for(event: EventPayload, meta: EventMeta) -> list[TimelineEntry]:
    summary = describe(event)
    if summary is None:
        return []
    plan_id = plan_id_of(event)
    subjects = [plan_id] if plan_id is not None else returnee_ids_of(event)
    return [
        TimelineEntry(
            event_id=meta.event_id,
            subject_id=subject,
            country_office=meta.country_office,
            occurred_on=occurred_on(event) or meta.time.date(),
            recorded_at=meta.time,
            domain=event.event_domain,
            event_name=event.event_name,
            summary=summary,
        )
        for subject in subjects
    ]


_DATE_FIELDS = (
    "arrival_date",
    "given_on",
    "withdrawn_on",
    "interviewed_on",
    "attended_on",
    "erased_on",
    "enrolled_on",
    "completed_on",
    "assessed_on",
    "certified_on",
    "submitted_on",
    "reviewed_on",
    "amended_on",
    "approved_on",
    "rejected_on",
    "ordered_on",
    "delivered_on",
    "visited_on",
    "scored_on",
)


def occurred_on(event: EventPayload) -> date | None:
    for name in _DATE_FIELDS:
        value = getattr(event, name, None)
        if isinstance(value, date):
            return value
    return None


def describe(event: EventPayload) -> str | None:
    """One caseworker-readable line, or None for events the timeline leaves out."""
    match event:
        case intake.ReturneeRegistered():
            place = f"{event.community.commune} ({event.community.region})"
            return f"Returned and registered; community of return {place}"
        case intake.ConsentRecorded():
            return f"Consent given: {_words(event.purpose)} with {_words(event.partner_category)}"
        case intake.ConsentWithdrawn():
            return f"Consent withdrawn: {_words(event.purpose)}"
        case intake.CounsellingInterviewRecorded():
            return f"Counselling interview; intended track {_words(event.intended_track)}"
        case intake.CounsellingAttended():
            return f"Attended group job counselling ({event.days_since_arrival} days after return)"
        case intake.ReturneeErased():
            return "Personal data erased on request; the case stays, anonymous"
        case training.TrainingEnrolled():
            return f"Enrolled in {_words(event.kind)} training" + _trade(event.trade)
        case training.TrainingCompleted():
            result = "passed" if event.passed else "not passed"
            return f"Completed {_words(event.kind)} training{_trade(event.trade)}: {result}"
        case training.SkillAssessed():
            result = "certified" if event.certified else "training recommended"
            return f"Skills assessed in {_words(event.trade)}: {result}"
        case training.SkillCertified():
            return f"Certified in {_words(event.trade)} ({event.level.value}, {event.route.value})"
        case committee.PlanSubmitted():
            people = len(event.beneficiary_ids)
            return f"{event.kind.value.capitalize()} business plan submitted ({people} people)"
        case committee.PlanBudgetReviewNoted():
            return f"Plan budget reviewed by procurement: {event.reviewed_total}"
        case committee.PlanAmended():
            return "Plan amended by the selection committee"
        case committee.PlanApproved():
            budget = f"{event.approved_total} {event.currency}"
            return f"Plan approved by the selection committee ({budget})"
        case committee.PlanRejected():
            return "Plan rejected by the selection committee"
        case procurement.KitOrdered():
            return f"Kit ordered: {_words(event.trade)}"
        case procurement.KitDelivered():
            return f"Kit delivered: {_words(event.trade)} ({event.total_value} {event.currency})"
        case monitoring.FollowUpsScheduled():
            return f"{len(event.due_dates)} follow-up visits scheduled"
        case monitoring.FollowUpRecorded():
            running = "running" if event.activity_running else "not running"
            return f"Follow-up visit: activity {running}, satisfaction {event.satisfaction}/5"
        case monitoring.SustainabilityScored():
            verdict = "sustainable" if event.sustainable else "not yet sustainable"
            return f"Sustainability scored {event.composite:.2f}: {verdict}"
    return None


TIMELINE_EVENTS: tuple[type[EventPayload], ...] = (
    intake.ReturneeRegistered,
    intake.ConsentRecorded,
    intake.ConsentWithdrawn,
    intake.CounsellingInterviewRecorded,
    intake.CounsellingAttended,
    intake.ReturneeErased,
    training.TrainingEnrolled,
    training.TrainingCompleted,
    training.SkillAssessed,
    training.SkillCertified,
    committee.PlanSubmitted,
    committee.PlanBudgetReviewNoted,
    committee.PlanAmended,
    committee.PlanApproved,
    committee.PlanRejected,
    procurement.KitOrdered,
    procurement.KitDelivered,
    monitoring.FollowUpsScheduled,
    monitoring.FollowUpRecorded,
    monitoring.SustainabilityScored,
)


def _words(value: object) -> str:
    return str(getattr(value, "value", value)).replace("_", " ")


def _trade(trade: str | None) -> str:
    return f" ({_words(trade)})" if trade else ""
