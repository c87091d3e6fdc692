"""Events published by monitoring: follow-up visits and sustainability scores."""

from datetime import date
from enum import StrEnum
from uuid import UUID

from pydantic import Field

from reintegration_contracts.registry import EventPayload, event
from reintegration_contracts.topics import Domain
from reintegration_contracts.types import ReturneeId, Slug


class IncomeBand(StrEnum):
    NONE = "none"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


@event("FollowUpRecorded", 1, Domain.MONITORING)
class FollowUpRecorded(EventPayload):
    visit_id: UUID
    returnee_id: ReturneeId
    order_id: UUID | None = None
    due_on: date | None = None
    visited_on: date
    activity_running: bool
    monthly_revenue_band: IncomeBand
    monthly_profit_band: IncomeBand
    jobs_created: int = Field(ge=0, le=1000)
    support_needed: bool
    support_kinds: list[Slug] = Field(default_factory=list)
    satisfaction: int = Field(ge=1, le=5)
    caseworker: str = Field(description="Subject id of the visiting caseworker")


@event("SustainabilityScored", 1, Domain.MONITORING)
class SustainabilityScored(EventPayload):
    returnee_id: ReturneeId
    scored_on: date
    scoring_config: str = Field(description="Configuration id and version used")
    economic: float = Field(ge=0, le=1)
    social: float = Field(ge=0, le=1)
    psychosocial: float = Field(ge=0, le=1)
    composite: float = Field(ge=0, le=1)
    sustainable: bool = Field(description="Composite at or above the configuration threshold")
