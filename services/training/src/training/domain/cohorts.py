"""Cohorts: scheduling, enrolment, daily attendance and allowances, completion. One stream per
cohort."""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from uuid import UUID

from reintegration_contracts import EventPayload
from reintegration_contracts.events.training import (
    AllowanceAccrued,
    AttendanceRecorded,
    CertificationRoute,
    CohortScheduled,
    CourseKind,
    DaycareCoverageGranted,
    KitEligibilityEstablished,
    KitGround,
    SkillCertified,
    SkillLevel,
    TrainingCompleted,
    TrainingEnrolled,
)
from reintegration_contracts.types import Locality, Sex
from reintegration_sdk import Decider, InvalidFields, NotFound, RuleViolation
from training.domain.allowances import DailyRate, OfficeRates
from training.domain.centres import Centre
from training.domain.programme import DEFAULT_RULES, ProgrammeRules

# Entrepreneurship training: five days of basic accounting, management and business planning.
ENTREPRENEURSHIP_DAYS = 5
ENTREPRENEURSHIP_MODULES = ("accounting", "management", "business_plan")
# The pass mark and the attendance threshold are the office's programme's (ProgrammeRules):
# a vocational certificate needs both, entrepreneurship (no exam) the attendance alone.

Period = tuple[date, date]


def cohort_stream(cohort_id: UUID) -> str:
    return f"cohort-{cohort_id}"


def course_end(start_date: date, duration_days: int) -> date:
    """The last day of a course: its first day counts as one."""
    return start_date + timedelta(days=duration_days - 1)


def runs_on(period: Period, day: date) -> bool:
    """A course runs from its first to its last day, both included."""
    start, end = period
    return start <= day <= end


@dataclass(frozen=True)
class Trainee:
    enrolled_on: date
    days_recorded: frozenset[date] = frozenset()
    days_present: frozenset[date] = frozenset()
    daycare_daily: int = 0
    completed: bool = False


@dataclass(frozen=True)
class Cohort:
    cohort_id: UUID | None = None
    kind: CourseKind = CourseKind.ENTREPRENEURSHIP
    trade: str | None = None
    centre_id: UUID | None = None
    start_date: date = date.min
    duration_days: int = 1
    capacity: int = 0
    trainees: Mapping[UUID, Trainee] = field(default_factory=dict)

    @property
    def scheduled(self) -> bool:
        return self.cohort_id is not None

    @property
    def end_date(self) -> date:
        return course_end(self.start_date, self.duration_days)

    @property
    def period(self) -> Period:
        return (self.start_date, self.end_date)


@dataclass(frozen=True)
class ScheduleCohort:
    cohort_id: UUID
    kind: CourseKind
    locality: Locality
    start_date: date
    capacity: int
    duration_days: int | None = None
    trade: str | None = None
    centre_id: UUID | None = None
    centre: Centre = field(default_factory=Centre)
    modules: tuple[str, ...] = ()


@dataclass(frozen=True)
class Enrol:
    returnee_id: UUID
    enrolled_on: date
    # Gathered by the handler: whether intake reported a group counselling session in this
    # office, the periods of the returnee's other cohorts, the cohort's centre as it stands
    # now, the trades the returnee is certified in, whether the office registered the
    # returnee and interviewed them, and the office's programme.
    counselled: bool = False
    other_periods: tuple[Period, ...] = ()
    centre: Centre | None = None
    certified_trades: frozenset[str] = frozenset()
    registered: bool = False
    interviewed: bool = False
    rules: ProgrammeRules = DEFAULT_RULES
    today: date = date.max  # the API gives today; the tables leave it open


@dataclass(frozen=True)
class Mark:
    returnee_id: UUID
    present: bool


@dataclass(frozen=True)
class RecordAttendance:
    day: date
    marks: tuple[Mark, ...]
    today: date
    # Gathered by the handler from the office's allowance stream; none means none set.
    rates: OfficeRates | None = None


@dataclass(frozen=True)
class GrantDaycare:
    returnee_id: UUID
    daily_amount: int
    granted_on: date
    rates: OfficeRates | None = None
    # Gathered by the handler: the sex intake registered (none if it registered no one)
    # and the office's programme, which says who may get day-care.
    sex: Sex | None = None
    rules: ProgrammeRules = DEFAULT_RULES
    today: date = date.max


@dataclass(frozen=True)
class CompleteTraining:
    returnee_id: UUID
    completed_on: date
    exam_score: int | None = None
    level: SkillLevel | None = None
    rules: ProgrammeRules = DEFAULT_RULES
    today: date = date.max


CohortCommand = ScheduleCohort | Enrol | RecordAttendance | GrantDaycare | CompleteTraining


def decide(cohort: Cohort, command: CohortCommand) -> list[EventPayload]:
    if isinstance(command, ScheduleCohort):
        return _schedule(cohort, command)
    if not cohort.scheduled:
        raise NotFound("cohort")
    if isinstance(command, Enrol):
        return _enrol(cohort, command)
    if isinstance(command, RecordAttendance):
        return _record_attendance(cohort, command)
    if isinstance(command, GrantDaycare):
        return _grant_daycare(cohort, command)
    return _complete(cohort, command)


def _schedule(cohort: Cohort, command: ScheduleCohort) -> list[EventPayload]:
    if cohort.scheduled:
        raise RuleViolation("cohort_already_scheduled", "This cohort is already scheduled.")
    vocational = command.kind is CourseKind.VOCATIONAL
    duration = command.duration_days or (None if vocational else ENTREPRENEURSHIP_DAYS)
    problems = []
    if duration is None:
        problems.append(("duration_days", "is required for a vocational course"))
    if vocational and command.trade is None:
        problems.append(("trade", "is required for a vocational course"))
    if vocational and command.centre_id is None:
        problems.append(("centre_id", "is required for a vocational course"))
    if not vocational and command.trade is not None:
        problems.append(("trade", "entrepreneurship training is not about one trade"))
    if command.centre_id is not None and not command.centre.registered:
        problems.append(("centre_id", "no training centre of this office has this id"))
    if problems or duration is None:
        raise InvalidFields(problems)
    if command.centre_id is not None:
        _check_centre(command.centre, command.trade, command.capacity, command.start_date, duration)
    modules = command.modules or (() if vocational else ENTREPRENEURSHIP_MODULES)
    return [
        CohortScheduled(
            cohort_id=command.cohort_id,
            kind=command.kind,
            trade=command.trade,
            centre_id=command.centre_id,
            locality=command.locality,
            start_date=command.start_date,
            duration_days=duration,
            capacity=command.capacity,
            modules=list(modules),
        )
    ]


def _check_centre(
    centre: Centre, trade: str | None, capacity: int, start: date, duration: int
) -> None:
    if trade is not None and trade not in centre.trades:
        raise RuleViolation(
            "centre_does_not_offer_trade", f"The centre does not teach or assess {trade}."
        )
    refusal = centre.refusal(start, course_end(start, duration))
    if refusal is not None:
        raise refusal
    if capacity > centre.capacity:
        raise RuleViolation(
            "cohort_exceeds_centre_capacity",
            f"The centre seats {centre.capacity} trainees, fewer than {capacity}.",
        )


def _enrol(cohort: Cohort, command: Enrol) -> list[EventPayload]:
    if not command.registered:
        raise _not_registered()
    _not_in_future("enrolled_on", command.enrolled_on, command.today)
    if not command.rules.counselled(command.counselled, command.interviewed):
        raise RuleViolation(
            "returnee_not_counselled",
            "Only a returnee who attended job counselling in this office can be enrolled "
            "(an individual interview counts where the office's programme says so).",
        )
    if command.returnee_id in cohort.trainees:
        raise RuleViolation("already_enrolled", "The returnee is already in this cohort.")
    if cohort.trade is not None and cohort.trade in command.certified_trades:
        raise RuleViolation(
            "already_certified",
            f"The returnee is already certified in {cohort.trade}; the seat goes to another.",
        )
    if len(cohort.trainees) >= cohort.capacity:
        raise RuleViolation("cohort_full", f"All {cohort.capacity} seats are taken.")
    if command.enrolled_on > cohort.end_date:
        raise RuleViolation("cohort_finished", f"The cohort ended on {cohort.end_date}.")
    start, end = cohort.period
    if any(
        other_start <= end and start <= other_end
        for other_start, other_end in command.other_periods
    ):
        raise RuleViolation(
            "overlapping_enrolment",
            "The returnee is enrolled in another cohort running over the same days.",
        )
    if command.centre is not None:
        refusal = command.centre.refusal(start, end)
        if refusal is not None:
            raise refusal
    return [
        TrainingEnrolled(
            cohort_id=_id(cohort),
            returnee_id=command.returnee_id,
            kind=cohort.kind,
            trade=cohort.trade,
            enrolled_on=command.enrolled_on,
        )
    ]


def _record_attendance(cohort: Cohort, command: RecordAttendance) -> list[EventPayload]:
    problems = []
    if command.day > command.today:
        problems.append(("day", "attendance is recorded for a day that has happened"))
    listed = [mark.returnee_id for mark in command.marks]
    if len(set(listed)) != len(listed):
        problems.append(("marks", "a returnee is listed twice"))
    if problems:
        raise InvalidFields(problems)
    if not runs_on(cohort.period, command.day):
        raise RuleViolation(
            "day_outside_cohort",
            f"The cohort runs from {cohort.start_date} to {cohort.end_date}.",
        )
    events: list[EventPayload] = []
    for mark in command.marks:
        trainee = _trainee(cohort, mark.returnee_id)
        if command.day in trainee.days_recorded:
            raise RuleViolation(
                "attendance_already_recorded",
                f"Attendance of {mark.returnee_id} on {command.day} is already recorded.",
            )
        events.append(
            AttendanceRecorded(
                cohort_id=_id(cohort),
                returnee_id=mark.returnee_id,
                day=command.day,
                present=mark.present,
            )
        )
        if mark.present:
            events.append(_allowance(cohort, mark.returnee_id, trainee, command))
    return events


def _allowance(
    cohort: Cohort, returnee_id: UUID, trainee: Trainee, command: RecordAttendance
) -> AllowanceAccrued:
    # Each attended day earns the allowance in force that day, plus any day-care cover.
    rate = _in_force(command.rates, command.day)
    return AllowanceAccrued(
        cohort_id=_id(cohort),
        returnee_id=returnee_id,
        day=command.day,
        allowance=rate.daily_amount,
        daycare=trainee.daycare_daily,
        currency=rate.currency,
    )


def _in_force(rates: OfficeRates | None, day: date) -> DailyRate:
    rate = rates.on(day) if rates is not None else None
    if rate is None:
        raise RuleViolation(
            "daily_allowance_not_set",
            f"Set the office's daily allowance in force on {day} first.",
        )
    return rate


def _grant_daycare(cohort: Cohort, command: GrantDaycare) -> list[EventPayload]:
    trainee = _trainee(cohort, command.returnee_id)
    _not_in_future("granted_on", command.granted_on, command.today)
    if trainee.daycare_daily:
        raise RuleViolation("daycare_already_granted", "Day-care cover is already granted.")
    rules = command.rules
    if not rules.daycare_offered:
        raise RuleViolation("daycare_not_offered", "The office's programme offers no day-care.")
    if command.sex not in rules.daycare_sexes:
        raise RuleViolation(
            "daycare_not_allowed",
            "The office's programme covers day-care for mothers of young children only.",
        )
    return [
        DaycareCoverageGranted(
            cohort_id=_id(cohort),
            returnee_id=command.returnee_id,
            daily_amount=command.daily_amount,
            # Day-care is paid with the allowance, so in the same currency.
            currency=_in_force(command.rates, command.granted_on).currency,
            granted_on=command.granted_on,
        )
    ]


def _complete(cohort: Cohort, command: CompleteTraining) -> list[EventPayload]:
    trainee = _trainee(cohort, command.returnee_id)
    _not_in_future("completed_on", command.completed_on, command.today)
    if command.completed_on < cohort.end_date:
        raise RuleViolation("course_not_finished", f"The course runs until {cohort.end_date}.")
    vocational = cohort.kind is CourseKind.VOCATIONAL
    problems = []
    if vocational and command.exam_score is None:
        problems.append(("exam_score", "the post-training exam decides a vocational course"))
    if not vocational and command.level is not None:
        problems.append(("level", "entrepreneurship training certifies no trade level"))
    if problems:
        raise InvalidFields(problems)
    if vocational and not trainee.days_recorded:
        # An exam passed by someone no attendance list shows is no certificate.
        raise RuleViolation(
            "attendance_not_recorded",
            f"Record {command.returnee_id}'s attendance before the exam decides.",
        )
    rules = command.rules
    days = len(trainee.days_present)
    attended_enough = days >= rules.days_required(cohort.duration_days)
    if vocational:
        passed = attended_enough and (command.exam_score or 0) >= rules.pass_mark
    else:
        passed = attended_enough
    completed = TrainingCompleted(
        cohort_id=_id(cohort),
        returnee_id=command.returnee_id,
        kind=cohort.kind,
        trade=cohort.trade,
        completed_on=command.completed_on,
        exam_score=command.exam_score,
        passed=passed,
        days_attended=days,
    )
    if not (vocational and passed and cohort.trade and cohort.centre_id):
        return [completed]
    events: list[EventPayload] = [completed]
    events.append(
        SkillCertified(
            returnee_id=command.returnee_id,
            trade=cohort.trade,
            level=command.level or SkillLevel.BASIC,
            route=CertificationRoute.TRAINING,
            centre_id=cohort.centre_id,
            cohort_id=cohort.cohort_id,
            certified_on=command.completed_on,
        )
    )
    if cohort.trade in rules.courses_leading_to_kit:
        # Mali: business management, passed, leads to a starting kit with no plan between.
        events.append(
            KitEligibilityEstablished(
                returnee_id=command.returnee_id,
                trade=cohort.trade,
                ground=KitGround.COURSE,
                cohort_id=cohort.cohort_id,
                established_on=command.completed_on,
                configuration_version=rules.version,
            )
        )
    return events


def _not_registered() -> RuleViolation:
    return RuleViolation("returnee_not_registered", "This office has not registered this returnee.")


def _not_in_future(name: str, day: date, today: date) -> None:
    if day > today:
        raise RuleViolation("dated_in_the_future", f"{name}: {day} has not come yet.")


def _trainee(cohort: Cohort, returnee_id: UUID) -> Trainee:
    trainee = cohort.trainees.get(returnee_id)
    if trainee is None:
        raise RuleViolation("not_enrolled", f"{returnee_id} is not enrolled in this cohort.")
    if trainee.completed:
        raise RuleViolation("already_completed", f"{returnee_id} has completed this course.")
    return trainee


def _id(cohort: Cohort) -> UUID:
    if cohort.cohort_id is None:
        raise NotFound("cohort")
    return cohort.cohort_id


def evolve(cohort: Cohort, event: EventPayload) -> Cohort:
    if isinstance(event, CohortScheduled):
        return Cohort(
            event.cohort_id,
            event.kind,
            event.trade,
            event.centre_id,
            event.start_date,
            event.duration_days,
            event.capacity,
        )
    if isinstance(event, TrainingEnrolled):
        return _with(cohort, event.returnee_id, Trainee(event.enrolled_on))
    if isinstance(event, AttendanceRecorded):
        trainee = cohort.trainees[event.returnee_id]
        present = trainee.days_present | {event.day} if event.present else trainee.days_present
        recorded = trainee.days_recorded | {event.day}
        return _with(
            cohort,
            event.returnee_id,
            replace(trainee, days_recorded=recorded, days_present=present),
        )
    if isinstance(event, DaycareCoverageGranted):
        trainee = cohort.trainees[event.returnee_id]
        return _with(cohort, event.returnee_id, replace(trainee, daycare_daily=event.daily_amount))
    if isinstance(event, TrainingCompleted):
        trainee = cohort.trainees[event.returnee_id]
        return _with(cohort, event.returnee_id, replace(trainee, completed=True))
    return cohort


def _with(cohort: Cohort, returnee_id: UUID, trainee: Trainee) -> Cohort:
    return replace(cohort, trainees={**cohort.trainees, returnee_id: trainee})


decider = Decider(initial=Cohort(), evolve=evolve, decide=decide)
