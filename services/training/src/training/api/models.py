"""Request bodies and command results of the training API."""

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from reintegration_contracts import EventPayload
from reintegration_contracts.events.training import CourseKind, SkillLevel
from reintegration_contracts.types import Amount, Locality, ReturneeId, Slug, Trade


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CentreRegistration(Body):
    name: str = Field(min_length=1, max_length=120, examples=["CFP de Tenkodogo"])
    city: str = Field(min_length=1, max_length=80, examples=["Tenkodogo"])
    trades: list[Trade] = Field(min_length=1, examples=[["welding", "tailoring"]])
    capacity: int = Field(ge=1, le=10_000, description="Trainees the centre seats at once")


class InspectionReport(Body):
    inspected_on: date
    equipment_adequate: bool
    trainers_qualified: bool


class ContractRecord(Body):
    contract_reference: str = Field(min_length=1, max_length=80)
    valid_from: date
    valid_until: date


class CohortPlan(Body):
    kind: CourseKind
    locality: Locality
    start_date: date
    capacity: int = Field(ge=1, le=500)
    duration_days: int | None = Field(
        default=None, ge=1, le=365, description="Entrepreneurship: five days unless given"
    )
    trade: Trade | None = Field(default=None, description="Vocational courses only")
    centre_id: UUID | None = Field(default=None, description="Required for vocational courses")
    modules: list[Slug] = Field(default_factory=list, max_length=30)


class EnrolmentRequest(Body):
    returnee_id: ReturneeId
    enrolled_on: date | None = Field(default=None, description="Today unless given")


class AttendanceMark(Body):
    returnee_id: ReturneeId
    present: bool


class AttendanceSheet(Body):
    day: date
    marks: list[AttendanceMark] = Field(min_length=1, max_length=500)


class DaycareRequest(Body):
    returnee_id: ReturneeId
    daily_amount: Amount = Field(gt=0, description="Paid with each attended day")
    granted_on: date | None = Field(default=None, description="Today unless given")


class CompletionRequest(Body):
    returnee_id: ReturneeId
    completed_on: date
    exam_score: int | None = Field(
        default=None, ge=0, le=100, description="Post-training exam; required for vocational"
    )
    level: SkillLevel | None = Field(default=None, description="Certified level if passed")


class AssessmentRequest(Body):
    returnee_id: ReturneeId
    trade: Trade
    centre_id: UUID
    assessed_on: date
    certified: bool = Field(description="Whether the claimed skills hold")
    level: SkillLevel | None = Field(default=None, description="Required when certified")


class DailyAllowanceRequest(Body):
    daily_amount: Amount = Field(gt=0, le=1_000_000, examples=[2500])
    currency: str = Field(pattern=r"^[A-Z]{3}$", examples=["XOF"])
    effective_from: date


class Created(BaseModel):
    id: UUID


class Recorded(BaseModel):
    events: list[str] = Field(description="Names of the events recorded, in order")

    @classmethod
    def of(cls, events: Sequence[EventPayload]) -> "Recorded":
        return cls(events=[event.event_name for event in events])


class AttendanceSummary(BaseModel):
    recorded: int
    allowances_accrued: int


class Outcome(BaseModel):
    passed: bool
    certified: bool
