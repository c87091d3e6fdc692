"""Events published by monitoring: follow-up schedules and visits, sustainability scores.

A follow-up stream belongs to one returnee (`follow-ups-<returnee id>`); an office's schedule
of visit offsets is its own stream. No payload names a person or carries free text about one.
"""

from datetime import date
from enum import StrEnum
from uuid import UUID

from pydantic import Field

from reintegration_contracts.classification import classified
from reintegration_contracts.registry import EventPayload, event
from reintegration_contracts.topics import Domain
from reintegration_contracts.types import ReturneeId, Slug, Trade


class IncomeBand(StrEnum):
    """Monthly revenue or profit, in bands an office defines for its currency."""

    NONE = "none"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


@classified(count="offsets_days", date="configured_on")
@event("FollowUpScheduleConfigured", 1, Domain.MONITORING)
class FollowUpScheduleConfigured(EventPayload):
    """An office set the days after a kit delivery at which follow-up visits fall due.

    Applies to kits delivered from then on; visits already scheduled keep their dates.
    """

    offsets_days: list[int] = Field(
        min_length=1,
        max_length=24,
        description="Days after delivery, strictly increasing",
        examples=[[15, 30, 60, 90, 180, 270, 365]],
    )
    configured_on: date


@classified(identifier="returnee_id order_id", category="trade", date="delivered_on due_dates")
@event("FollowUpsScheduled", 1, Domain.MONITORING)
class FollowUpsScheduled(EventPayload):
    """A kit was delivered to the returnee: follow-up visits fall due on these dates."""

    returnee_id: ReturneeId
    order_id: UUID = Field(description="The procurement order whose kit was delivered")
    trade: Trade
    delivered_on: date
    due_dates: list[date] = Field(min_length=1, description="One date per expected visit")


@classified(
    identifier="visit_id returnee_id order_id caseworker",
    date="due_on visited_on",
    flag="activity_running support_needed",
    category="monthly_revenue_band monthly_profit_band support_kinds",
    amount="satisfaction",
    count="jobs_created",
)
@event("FollowUpRecorded", 1, Domain.MONITORING)
class FollowUpRecorded(EventPayload):
    """A caseworker visited the returnee's activity and recorded how it is doing."""

    visit_id: UUID
    returnee_id: ReturneeId
    order_id: UUID | None = Field(default=None, description="The delivery the visit follows")
    due_on: date | None = Field(
        default=None, description="The scheduled visit this one fulfils (none if unscheduled)"
    )
    visited_on: date
    activity_running: bool
    monthly_revenue_band: IncomeBand
    monthly_profit_band: IncomeBand
    jobs_created: int = Field(ge=0, le=1000, description="Jobs besides the returnee's own")
    support_needed: bool
    support_kinds: list[Slug] = Field(
        default_factory=list, examples=[["working_capital", "coaching"]]
    )
    satisfaction: int = Field(ge=1, le=5, description="1 very dissatisfied .. 5 very satisfied")
    caseworker: str = Field(description="Subject id of the visiting caseworker")


@classified(
    identifier="survey_id returnee_id scoring_config",
    date="scored_on",
    amount="economic social psychosocial composite",
    flag="sustainable",
)
@event("SustainabilityScored", 1, Domain.MONITORING)
class SustainabilityScored(EventPayload):
    """A sustainability survey was scored with a programme's scoring configuration.

    Only the scores travel: the answers stay with the caseworker's survey form.
    """

    survey_id: UUID
    returnee_id: ReturneeId
    scored_on: date
    scoring_config: str = Field(description="Configuration id and version used, e.g. 'standard@1'")
    economic: float = Field(ge=0, le=1)
    social: float = Field(ge=0, le=1)
    psychosocial: float = Field(ge=0, le=1)
    composite: float = Field(ge=0, le=1)
    sustainable: bool = Field(description="Composite at or above the configuration threshold")
