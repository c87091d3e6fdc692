"""Cohorts: given events -> command -> events or the rule that refuses it."""

from datetime import date, timedelta
from uuid import UUID, uuid4

import pytest

from reintegration_contracts import EventPayload
from reintegration_contracts.events.training import (
    AllowanceAccrued,
    AttendanceRecorded,
    CertificationRoute,
    CohortScheduled,
    CourseKind,
    DaycareCoverageGranted,
    SkillCertified,
    SkillLevel,
    TrainingCompleted,
    TrainingEnrolled,
)
from reintegration_contracts.types import Locality, Sex
from reintegration_sdk import InvalidFields, NotFound, RuleViolation
from training.domain.allowances import DailyRate, OfficeRates
from training.domain.centres import Centre
from training.domain.cohorts import (
    Cohort,
    CohortCommand,
    CompleteTraining,
    Enrol,
    GrantDaycare,
    Mark,
    RecordAttendance,
    ScheduleCohort,
    course_end,
    decider,
    runs_on,
)

pytestmark = pytest.mark.unit

COHORT = uuid4()
CENTRE_ID = uuid4()
AMINA = uuid4()
ISSA = uuid4()
START = date(2025, 3, 3)
LOCALITY = Locality(region="Centre-Est", commune="Tenkodogo")
RATE = DailyRate(2500, "XOF")
# An office with no built-in default, so the tables see only the rates they give.
RATES = OfficeRates("ml", (RATE,))
NO_RATES = OfficeRates("ml")
CENTRE = Centre(CENTRE_ID, frozenset({"welding"}), 20, True, date(2025, 1, 1), date(2025, 12, 31))


def vocational(capacity: int = 2, days: int = 20) -> CohortScheduled:
    return CohortScheduled(
        cohort_id=COHORT,
        kind=CourseKind.VOCATIONAL,
        trade="welding",
        centre_id=CENTRE_ID,
        locality=LOCALITY,
        start_date=START,
        duration_days=days,
        capacity=capacity,
    )


ENTREPRENEURSHIP = CohortScheduled(
    cohort_id=COHORT,
    kind=CourseKind.ENTREPRENEURSHIP,
    locality=LOCALITY,
    start_date=START,
    duration_days=5,
    capacity=25,
    modules=["accounting", "management", "business_plan"],
)


def enrolled(returnee: UUID = AMINA, kind: CourseKind = CourseKind.VOCATIONAL) -> TrainingEnrolled:
    trade = "welding" if kind is CourseKind.VOCATIONAL else None
    return TrainingEnrolled(
        cohort_id=COHORT, returnee_id=returnee, kind=kind, trade=trade, enrolled_on=START
    )


def attended(day: int, returnee: UUID = AMINA, present: bool = True) -> AttendanceRecorded:
    return AttendanceRecorded(
        cohort_id=COHORT, returnee_id=returnee, day=START + timedelta(days=day), present=present
    )


def accrued(day: int, returnee: UUID = AMINA, daycare: int = 0) -> AllowanceAccrued:
    return AllowanceAccrued(
        cohort_id=COHORT,
        returnee_id=returnee,
        day=START + timedelta(days=day),
        allowance=2500,
        daycare=daycare,
        currency="XOF",
    )


# The programme's default threshold: 80% of a twenty-day course.
SIXTEEN_OF_TWENTY = [attended(day, present=day < 16) for day in range(20)]

DAYCARE = DaycareCoverageGranted(
    cohort_id=COHORT, returnee_id=AMINA, daily_amount=500, currency="XOF", granted_on=START
)


def completed(
    kind: CourseKind, passed: bool, days: int, score: int | None = None
) -> TrainingCompleted:
    return TrainingCompleted(
        cohort_id=COHORT,
        returnee_id=AMINA,
        kind=kind,
        trade="welding" if kind is CourseKind.VOCATIONAL else None,
        completed_on=START + timedelta(days=19 if kind is CourseKind.VOCATIONAL else 4),
        exam_score=score,
        passed=passed,
        days_attended=days,
    )


def enrol(
    returnee: UUID = AMINA, counselled: bool = True, other: tuple[tuple[date, date], ...] = ()
) -> Enrol:
    return Enrol(returnee, START, counselled, other, CENTRE, registered=True)


def attendance(day: int, *marks: Mark, rates: OfficeRates = RATES) -> RecordAttendance:
    return RecordAttendance(START + timedelta(days=day), marks, date(2025, 12, 31), rates)


def complete(
    day: int, score: int | None = None, level: SkillLevel | None = None
) -> CompleteTraining:
    return CompleteTraining(AMINA, START + timedelta(days=day), score, level)


def given(*events: EventPayload) -> Cohort:
    return decider.fold(events)


@pytest.mark.parametrize(
    ("history", "command", "expected"),
    [
        pytest.param(
            [],
            ScheduleCohort(COHORT, CourseKind.ENTREPRENEURSHIP, LOCALITY, START, capacity=25),
            [ENTREPRENEURSHIP],
            id="entrepreneurship lasts five days of accounting, management and planning",
        ),
        pytest.param(
            [],
            ScheduleCohort(
                COHORT,
                CourseKind.VOCATIONAL,
                LOCALITY,
                START,
                capacity=2,
                duration_days=20,
                trade="welding",
                centre_id=CENTRE_ID,
                centre=CENTRE,
            ),
            [vocational()],
            id="a vocational course at a contracted centre teaching the trade",
        ),
        pytest.param(
            [vocational()],
            enrol(),
            [enrolled()],
            id="a counselled returnee takes a free seat",
        ),
        pytest.param(
            [vocational()],
            enrol(other=((START - timedelta(days=10), START - timedelta(days=1)),)),
            [enrolled()],
            id="an earlier cohort that ended before this one does not overlap",
        ),
        pytest.param(
            [vocational(), enrolled(), enrolled(ISSA)],
            attendance(0, Mark(AMINA, True), Mark(ISSA, False)),
            [attended(0), accrued(0), attended(0, ISSA, present=False)],
            id="an attended day earns the allowance, an absence earns nothing",
        ),
        pytest.param(
            [vocational(), enrolled(), DAYCARE],
            attendance(1, Mark(AMINA, True)),
            [attended(1), accrued(1, daycare=500)],
            id="day-care cover is owed with each attended day",
        ),
        pytest.param(
            [vocational(), enrolled()],
            GrantDaycare(AMINA, 500, START, RATES, Sex.FEMALE),
            [DAYCARE],
            id="day-care cover granted to a parent of young children",
        ),
        pytest.param(
            [vocational(), enrolled(), *SIXTEEN_OF_TWENTY],
            complete(19, score=72, level=SkillLevel.INTERMEDIATE),
            [
                completed(CourseKind.VOCATIONAL, passed=True, days=16, score=72),
                SkillCertified(
                    returnee_id=AMINA,
                    trade="welding",
                    level=SkillLevel.INTERMEDIATE,
                    route=CertificationRoute.TRAINING,
                    centre_id=CENTRE_ID,
                    cohort_id=COHORT,
                    certified_on=START + timedelta(days=19),
                ),
            ],
            id="passing the exam certifies the trade",
        ),
        pytest.param(
            [vocational(), enrolled(), *SIXTEEN_OF_TWENTY],
            complete(19, score=49),
            [completed(CourseKind.VOCATIONAL, passed=False, days=16, score=49)],
            id="failing the exam certifies nothing",
        ),
        pytest.param(
            [ENTREPRENEURSHIP, enrolled(kind=CourseKind.ENTREPRENEURSHIP)]
            + [attended(day) for day in range(4)],
            complete(4),
            [completed(CourseKind.ENTREPRENEURSHIP, passed=True, days=4)],
            id="entrepreneurship completed with four of five days attended",
        ),
        pytest.param(
            [ENTREPRENEURSHIP, enrolled(kind=CourseKind.ENTREPRENEURSHIP)]
            + [attended(day) for day in range(3)],
            complete(4),
            [completed(CourseKind.ENTREPRENEURSHIP, passed=False, days=3)],
            id="entrepreneurship not passed with three of five days attended",
        ),
    ],
)
def test_decisions(
    history: list[EventPayload], command: CohortCommand, expected: list[EventPayload]
) -> None:
    assert decider.given(history, command) == expected


@pytest.mark.parametrize(
    ("history", "command", "rule"),
    [
        pytest.param(
            [vocational()], enrol(counselled=False), "returnee_not_counselled", id="not counselled"
        ),
        pytest.param([vocational(), enrolled()], enrol(), "already_enrolled", id="enrolled twice"),
        pytest.param(
            [vocational(capacity=1), enrolled(ISSA)], enrol(), "cohort_full", id="no free seat"
        ),
        pytest.param(
            [vocational()],
            Enrol(AMINA, START, True, (), CENTRE, frozenset({"welding"}), registered=True),
            "already_certified",
            id="a course in a trade already certified",
        ),
        pytest.param(
            [vocational()],
            enrol(other=((START + timedelta(days=5), START + timedelta(days=40)),)),
            "overlapping_enrolment",
            id="another cohort over the same days",
        ),
        pytest.param(
            [vocational()],
            Enrol(AMINA, START + timedelta(days=20), True, (), CENTRE, registered=True),
            "cohort_finished",
            id="enrolment after the cohort ended",
        ),
        pytest.param(
            [vocational()],
            Enrol(
                AMINA,
                START,
                True,
                (),
                Centre(CENTRE_ID, frozenset({"welding"}), 20, False),
                registered=True,
            ),
            "centre_not_inspected",
            id="the centre failed a later inspection",
        ),
        pytest.param(
            [vocational(), enrolled()],
            attendance(0, Mark(ISSA, True)),
            "not_enrolled",
            id="attendance of someone not enrolled",
        ),
        pytest.param(
            [vocational(), enrolled(), attended(0)],
            attendance(0, Mark(AMINA, False)),
            "attendance_already_recorded",
            id="the same day recorded twice",
        ),
        pytest.param(
            [vocational(), enrolled()],
            attendance(20, Mark(AMINA, True)),
            "day_outside_cohort",
            id="a day after the course",
        ),
        pytest.param(
            [vocational(), enrolled()],
            attendance(0, Mark(AMINA, True), rates=NO_RATES),
            "daily_allowance_not_set",
            id="no allowance in force",
        ),
        pytest.param(
            [vocational(), enrolled(), DAYCARE],
            GrantDaycare(AMINA, 700, START, RATES, Sex.FEMALE),
            "daycare_already_granted",
            id="day-care granted twice",
        ),
        pytest.param(
            [vocational(), enrolled()],
            complete(18, score=80),
            "course_not_finished",
            id="completion before the last day",
        ),
        pytest.param(
            [vocational(), enrolled(), completed(CourseKind.VOCATIONAL, True, 0, 80)],
            complete(19, score=90),
            "already_completed",
            id="completed twice",
        ),
        pytest.param(
            [vocational(), enrolled(), completed(CourseKind.VOCATIONAL, True, 0, 80)],
            attendance(19, Mark(AMINA, True)),
            "already_completed",
            id="attendance after completion",
        ),
        pytest.param(
            [vocational()],
            GrantDaycare(ISSA, 500, START, RATES, Sex.MALE),
            "not_enrolled",
            id="day-care",
        ),
    ],
)
def test_refusals(history: list[EventPayload], command: CohortCommand, rule: str) -> None:
    with pytest.raises(RuleViolation) as refused:
        decider.given(history, command)
    assert refused.value.rule == rule


def schedule(**changes: object) -> ScheduleCohort:
    values: dict[str, object] = {
        "cohort_id": COHORT,
        "kind": CourseKind.VOCATIONAL,
        "locality": LOCALITY,
        "start_date": START,
        "capacity": 2,
        "duration_days": 20,
        "trade": "welding",
        "centre_id": CENTRE_ID,
        "centre": CENTRE,
    }
    return ScheduleCohort(**{**values, **changes})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("command", "rule"),
    [
        (schedule(trade="plumbing"), "centre_does_not_offer_trade"),
        (schedule(capacity=21), "cohort_exceeds_centre_capacity"),
        (schedule(start_date=date(2025, 12, 20)), "centre_not_contracted"),
        (schedule(centre=Centre(CENTRE_ID, frozenset({"welding"}), 20)), "centre_not_inspected"),
    ],
    ids=["trade not taught", "more seats than the centre", "past the contract", "not inspected"],
)
def test_a_vocational_course_needs_a_fitting_centre(command: ScheduleCohort, rule: str) -> None:
    with pytest.raises(RuleViolation) as refused:
        decider.given([], command)
    assert refused.value.rule == rule


@pytest.mark.parametrize(
    ("history", "command", "field"),
    [
        ([], schedule(trade=None), "trade"),
        ([], schedule(centre_id=None), "centre_id"),
        ([], schedule(duration_days=None), "duration_days"),
        ([], schedule(centre=Centre()), "centre_id"),
        ([], schedule(kind=CourseKind.ENTREPRENEURSHIP), "trade"),
        ([vocational(), enrolled()], complete(19), "exam_score"),
        (
            [ENTREPRENEURSHIP, enrolled(kind=CourseKind.ENTREPRENEURSHIP)],
            complete(4, level=SkillLevel.BASIC),
            "level",
        ),
        ([vocational(), enrolled()], attendance(0, Mark(AMINA, True), Mark(AMINA, False)), "marks"),
        (
            [vocational(), enrolled()],
            RecordAttendance(START + timedelta(days=1), (Mark(AMINA, True),), START, RATES),
            "day",
        ),
    ],
    ids=[
        "vocational without trade",
        "vocational without centre",
        "vocational without duration",
        "unknown centre",
        "entrepreneurship about a trade",
        "vocational completion without exam",
        "entrepreneurship with a level",
        "a trainee marked twice",
        "attendance for a day to come",
    ],
)
def test_bad_input_names_the_field(
    history: list[EventPayload], command: CohortCommand, field: str
) -> None:
    with pytest.raises(InvalidFields) as refused:
        decider.given(history, command)
    # Exactly this field is named: a good one is never blamed beside it.
    assert [named for named, _ in refused.value.problems] == [field]


def test_commands_on_an_unscheduled_cohort_are_not_found() -> None:
    with pytest.raises(NotFound):
        decider.given([], enrol())


def test_the_state_remembers_attendance_and_completion() -> None:
    cohort = given(vocational(), enrolled(), attended(0), attended(1, present=False), DAYCARE)
    trainee = cohort.trainees[AMINA]
    assert trainee.days_present == {START}
    assert trainee.days_recorded == {START, START + timedelta(days=1)}
    assert trainee.daycare_daily == 500
    assert cohort.end_date == START + timedelta(days=19)
    assert given(*cohort_events_done()).trainees[AMINA].completed


def cohort_events_done() -> list[EventPayload]:
    return [vocational(), enrolled(), completed(CourseKind.VOCATIONAL, True, 0, 80)]


def test_a_vocational_plan_missing_everything_names_every_field_at_once() -> None:
    bare = ScheduleCohort(COHORT, CourseKind.VOCATIONAL, LOCALITY, START, capacity=5)
    with pytest.raises(InvalidFields) as refused:
        decider.given([], bare)
    assert refused.value.problems == [
        ("duration_days", "is required for a vocational course"),
        ("trade", "is required for a vocational course"),
        ("centre_id", "is required for a vocational course"),
    ]


def test_a_sheet_for_a_day_to_come_listing_someone_twice_names_both_fields() -> None:
    sheet = RecordAttendance(START + timedelta(days=1), (Mark(AMINA, True),) * 2, START, RATES)
    with pytest.raises(InvalidFields) as refused:
        decider.given([vocational(), enrolled()], sheet)
    assert [field for field, _ in refused.value.problems] == ["day", "marks"]


@pytest.mark.parametrize(
    ("start", "duration", "last_day"),
    [(START, 1, START), (START, 5, date(2025, 3, 7)), (date(2025, 2, 26), 5, date(2025, 3, 2))],
    ids=["one day", "five days", "across a month's end"],
)
def test_a_course_ends_on_its_last_day_counting_the_first(
    start: date, duration: int, last_day: date
) -> None:
    assert course_end(start, duration) == last_day


@pytest.mark.parametrize(
    ("day", "running"),
    [
        (START - timedelta(days=1), False),
        (START, True),
        (START + timedelta(days=19), True),
        (START + timedelta(days=20), False),
    ],
    ids=["the day before", "the first day", "the last day", "the day after"],
)
def test_a_course_runs_from_its_first_to_its_last_day(day: date, running: bool) -> None:
    assert runs_on(given(vocational()).period, day) is running
