"""Events published by training: centres, cohorts, attendance, assessment, certification."""

from datetime import date
from enum import StrEnum
from typing import Annotated
from uuid import UUID

from pydantic import Field

from reintegration_contracts.classification import classified
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


@classified(identifier="centre_id", reference="name city", category="trades", count="capacity")
@event("TrainingCentreRegistered", 1, Domain.TRAINING)
class TrainingCentreRegistered(EventPayload):
    centre_id: UUID
    name: str = Field(min_length=1, max_length=120)
    city: str = Field(min_length=1, max_length=80)
    trades: list[Trade] = Field(min_length=1)
    capacity: int = Field(ge=1, le=10_000)


@classified(
    identifier="centre_id",
    date="inspected_on",
    flag="equipment_adequate trainers_qualified passed",
)
@event("TrainingCentreInspected", 1, Domain.TRAINING)
class TrainingCentreInspected(EventPayload):
    centre_id: UUID
    inspected_on: date
    equipment_adequate: bool
    trainers_qualified: bool
    passed: bool


@classified(identifier="centre_id contract_reference", date="valid_from valid_until")
@event("TrainingCentreContracted", 1, Domain.TRAINING)
class TrainingCentreContracted(EventPayload):
    centre_id: UUID
    contract_reference: str = Field(min_length=1, max_length=80)
    valid_from: date
    valid_until: date


@classified(
    identifier="cohort_id centre_id",
    category="kind trade modules",
    nested="locality",
    date="start_date",
    count="duration_days capacity",
)
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


@classified(identifier="cohort_id returnee_id", category="kind trade", date="enrolled_on")
@event("TrainingEnrolled", 1, Domain.TRAINING)
class TrainingEnrolled(EventPayload):
    cohort_id: UUID
    returnee_id: ReturneeId
    kind: CourseKind
    trade: Trade | None = None
    enrolled_on: date


@classified(identifier="cohort_id returnee_id", date="day", flag="present")
@event("AttendanceRecorded", 1, Domain.TRAINING)
class AttendanceRecorded(EventPayload):
    cohort_id: UUID
    returnee_id: ReturneeId
    day: date
    present: bool


@classified(
    identifier="cohort_id returnee_id",
    amount="daily_amount",
    category="currency",
    date="granted_on",
)
@event("DaycareCoverageGranted", 1, Domain.TRAINING)
class DaycareCoverageGranted(EventPayload):
    """Day-care is covered for a parent of young children for each attended day."""

    cohort_id: UUID
    returnee_id: ReturneeId
    daily_amount: Amount
    currency: Currency
    granted_on: date


@classified(
    identifier="cohort_id returnee_id",
    date="day",
    amount="allowance daycare",
    category="currency",
)
@event("AllowanceAccrued", 1, Domain.TRAINING)
class AllowanceAccrued(EventPayload):
    """What is owed for one attended day: the office's allowance plus any day-care cover."""

    cohort_id: UUID
    returnee_id: ReturneeId
    day: date
    allowance: Amount
    daycare: Amount = 0
    currency: Currency


@classified(
    identifier="cohort_id returnee_id",
    category="kind trade",
    date="completed_on",
    amount="exam_score",
    flag="passed",
    count="days_attended",
)
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


@classified(
    identifier="returnee_id centre_id",
    category="trade level",
    date="assessed_on",
    flag="certified training_recommended",
)
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


@classified(
    identifier="returnee_id centre_id cohort_id",
    category="trade level route",
    date="certified_on",
)
@event("SkillCertified", 1, Domain.TRAINING)
class SkillCertified(EventPayload):
    returnee_id: ReturneeId
    trade: Trade
    level: SkillLevel
    route: CertificationRoute
    centre_id: UUID
    cohort_id: UUID | None = None
    certified_on: date


@classified(amount="daily_amount", category="currency", date="effective_from")
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


@classified(
    identifier="returnee_id cohort_id",
    category="trade ground",
    date="established_on",
    count="configuration_version",
)
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
