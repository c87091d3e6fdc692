"""Events published by training: centres, cohorts, attendance, assessment, certification."""

from datetime import date
from enum import StrEnum
from typing import Annotated
from uuid import UUID

from pydantic import Field

from reintegration_contracts.registry import EventPayload, event
from reintegration_contracts.topics import Domain
from reintegration_contracts.types import Amount, Locality, ReturneeId, Slug, Trade

Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", examples=["XOF"])]


class CourseKind(StrEnum):
    ENTREPRENEURSHIP = "entrepreneurship"
    VOCATIONAL = "vocational"


class SkillLevel(StrEnum):
    BASIC = "basic"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


class CertificationRoute(StrEnum):
    ASSESSMENT = "assessment"
    TRAINING = "training"


@event("TrainingCentreRegistered", 1, Domain.TRAINING)
class TrainingCentreRegistered(EventPayload):
    centre_id: UUID
    name: str = Field(min_length=1, max_length=120)
    city: str = Field(min_length=1, max_length=80)
    trades: list[Trade] = Field(min_length=1)
    capacity: int = Field(ge=1, le=10_000)


@event("TrainingCentreInspected", 1, Domain.TRAINING)
class TrainingCentreInspected(EventPayload):
    centre_id: UUID
    inspected_on: date
    equipment_adequate: bool
    trainers_qualified: bool
    passed: bool


@event("TrainingCentreContracted", 1, Domain.TRAINING)
class TrainingCentreContracted(EventPayload):
    centre_id: UUID
    contract_reference: str = Field(min_length=1, max_length=80)
    valid_from: date
    valid_until: date


@event("CohortScheduled", 1, Domain.TRAINING)
class CohortScheduled(EventPayload):
    cohort_id: UUID
    kind: CourseKind
    trade: Trade | None = Field(default=None, description="Vocational courses only")
    centre_id: UUID | None = Field(default=None, description="Vocational courses only")
    locality: Locality
    start_date: date
    duration_days: int = Field(ge=1, le=365)
    capacity: int = Field(ge=1, le=500)
    modules: list[Slug] = Field(
        default_factory=list,
        description="What the course covers",
        examples=[["accounting", "management", "business_plan"]],
    )


@event("TrainingEnrolled", 1, Domain.TRAINING)
class TrainingEnrolled(EventPayload):
    cohort_id: UUID
    returnee_id: ReturneeId
    kind: CourseKind
    trade: Trade | None = None
    enrolled_on: date


@event("AttendanceRecorded", 1, Domain.TRAINING)
class AttendanceRecorded(EventPayload):
    cohort_id: UUID
    returnee_id: ReturneeId
    day: date
    present: bool


@event("DaycareCoverageGranted", 1, Domain.TRAINING)
class DaycareCoverageGranted(EventPayload):
    """Day-care is covered for a parent of young children for each attended day."""

    cohort_id: UUID
    returnee_id: ReturneeId
    daily_amount: Amount
    currency: Currency
    granted_on: date


@event("AllowanceAccrued", 1, Domain.TRAINING)
class AllowanceAccrued(EventPayload):
    """What is owed for one attended day: the office's allowance plus any day-care cover."""

    cohort_id: UUID
    returnee_id: ReturneeId
    day: date
    allowance: Amount
    daycare: Amount = 0
    currency: Currency


@event("TrainingCompleted", 1, Domain.TRAINING)
class TrainingCompleted(EventPayload):
    """A trainee finished a course; for vocational courses the exam decides certification."""

    cohort_id: UUID
    returnee_id: ReturneeId
    kind: CourseKind
    trade: Trade | None = None
    completed_on: date
    exam_score: int | None = Field(default=None, ge=0, le=100)
    passed: bool
    days_attended: int = Field(ge=0)


@event("SkillAssessed", 1, Domain.TRAINING)
class SkillAssessed(EventPayload):
    """A claimed trade tested by certified experts at a matching, contracted centre."""

    returnee_id: ReturneeId
    trade: Trade
    centre_id: UUID
    assessed_on: date
    certified: bool
    level: SkillLevel | None = None
    training_recommended: bool = Field(description="Offered the trade's course instead")


@event("SkillCertified", 1, Domain.TRAINING)
class SkillCertified(EventPayload):
    returnee_id: ReturneeId
    trade: Trade
    level: SkillLevel
    route: CertificationRoute
    centre_id: UUID
    cohort_id: UUID | None = None
    certified_on: date


@event("DailyAllowanceSet", 1, Domain.TRAINING)
class DailyAllowanceSet(EventPayload):
    """The office's allowance per attended day from a date on (set slightly above the legal
    minimum wage); days attended before that date keep the allowance in force then."""

    daily_amount: Amount = Field(gt=0, examples=[2500])
    currency: Currency
    effective_from: date


class KitGround(StrEnum):
    ASSESSMENT = "assessment"
    COURSE = "course"


@event("KitEligibilityEstablished", 1, Domain.TRAINING)
class KitEligibilityEstablished(EventPayload):
    """The office's programme sends this returnee straight to a trade's starting kit: a
    qualified returnee certified by assessment, or a passed course the programme lists (Mali:
    business management), with no business plan or committee in between."""

    returnee_id: ReturneeId
    trade: Trade
    ground: KitGround
    cohort_id: UUID | None = Field(default=None, description="The course, for ground=course")
    established_on: date
    configuration_version: int = Field(ge=1, description="The programme version that decided")
