"""The rules an office's programme sets, kept by training: given events -> command -> events
or the rule that refuses it. Mali's programme (the configuration that ships with the
platform) beside the platform's defaults, which are Burkina Faso's path."""

from datetime import date, timedelta
from uuid import uuid4

import pytest

from reintegration_contracts import EventPayload
from reintegration_contracts.events.programme import (
    AllowanceRules,
    CertificationRules,
    CounsellingStep,
    DaycareRules,
    ProgrammeConfigured,
    SupportKind,
)
from reintegration_contracts.events.training import (
    AttendanceRecorded,
    CertificationRoute,
    CohortScheduled,
    CourseKind,
    DailyAllowanceSet,
    DaycareCoverageGranted,
    KitEligibilityEstablished,
    KitGround,
    SkillAssessed,
    SkillCertified,
    SkillLevel,
    TrainingCompleted,
    TrainingEnrolled,
)
from reintegration_contracts.types import Locality, Sex
from reintegration_sdk import RuleViolation
from training.domain import allowances, assessments, cohorts
from training.domain.allowances import DailyRate, OfficeRates, SetDailyAllowance
from training.domain.centres import Centre
from training.domain.cohorts import CompleteTraining, Enrol, GrantDaycare
from training.domain.programme import DEFAULT_RULES, ProgrammeRules

pytestmark = pytest.mark.unit

COHORT, CENTRE_ID, AWA, MOUSSA = uuid4(), uuid4(), uuid4(), uuid4()
START = date(2025, 3, 3)
LAST_DAY = START + timedelta(days=9)
TODAY = date(2025, 6, 30)
CENTRE = Centre(
    CENTRE_ID,
    frozenset({"business_management", "tailoring"}),
    30,
    True,
    date(2025, 1, 1),
    date(2025, 12, 31),
)
MALI = ProgrammeRules.of(
    ProgrammeConfigured(
        version=3,
        configured_on=date(2025, 1, 6),
        counselling_steps=[CounsellingStep.INDIVIDUAL_INTERVIEW],
        entrepreneurship_before_plan=False,
        certification=CertificationRules(pass_mark=50, attendance_threshold_percent=80),
        courses_leading_to_kit=["business_management"],
        assessment_leads_to_kit=True,
        allowance=AllowanceRules(
            daily_amount=2000,
            currency="XOF",
            legal_minimum_monthly_wage=40000,
            working_days_per_month=22,
        ),
        daycare=DaycareRules(offered=True, sexes=[Sex.FEMALE]),
        support_offered=[
            SupportKind.VOCATIONAL_TRAINING,
            SupportKind.SKILLS_ASSESSMENT,
            SupportKind.STARTING_KIT,
        ],
    )
)
NO_DAYCARE = ProgrammeRules(daycare_offered=False, daycare_sexes=frozenset())


def course(trade: str = "business_management") -> CohortScheduled:
    return CohortScheduled(
        cohort_id=COHORT,
        kind=CourseKind.VOCATIONAL,
        trade=trade,
        centre_id=CENTRE_ID,
        locality=Locality(region="Bamako", commune="Commune I"),
        start_date=START,
        duration_days=10,
        capacity=20,
    )


ENROLLED = TrainingEnrolled(
    cohort_id=COHORT,
    returnee_id=AWA,
    kind=CourseKind.VOCATIONAL,
    trade="business_management",
    enrolled_on=START,
)


def present(days: int) -> list[EventPayload]:
    """Attendance lists over the ten days: present on the first `days`."""
    return [
        AttendanceRecorded(
            cohort_id=COHORT, returnee_id=AWA, day=START + timedelta(days=d), present=d < days
        )
        for d in range(10)
    ]


def enrol(**facts: object) -> Enrol:
    values: dict[str, object] = {
        "returnee_id": AWA,
        "enrolled_on": START,
        "centre": CENTRE,
        "registered": True,
        "rules": MALI,
        "today": TODAY,
    }
    return Enrol(**{**values, **facts})  # type: ignore[arg-type]


def complete(
    score: int = 70, on: date = LAST_DAY, rules: ProgrammeRules = MALI
) -> CompleteTraining:
    return CompleteTraining(AWA, on, score, SkillLevel.BASIC, rules=rules, today=TODAY)


def completed(passed: bool, days: int, score: int = 70) -> TrainingCompleted:
    return TrainingCompleted(
        cohort_id=COHORT,
        returnee_id=AWA,
        kind=CourseKind.VOCATIONAL,
        trade="business_management",
        completed_on=LAST_DAY,
        exam_score=score,
        passed=passed,
        days_attended=days,
    )


CERTIFIED = SkillCertified(
    returnee_id=AWA,
    trade="business_management",
    level=SkillLevel.BASIC,
    route=CertificationRoute.TRAINING,
    centre_id=CENTRE_ID,
    cohort_id=COHORT,
    certified_on=LAST_DAY,
)


def daycare(sex: Sex | None, rules: ProgrammeRules = MALI, on: date = START) -> GrantDaycare:
    rates = OfficeRates("ml", (), MALI.daily_allowance)
    return GrantDaycare(AWA, 500, on, rates, sex, rules, TODAY)


@pytest.mark.parametrize(
    ("history", "command", "expected"),
    [
        pytest.param(
            [course()],
            enrol(interviewed=True),
            [ENROLLED],
            id="mali: an individual interview counts as counselling",
        ),
        pytest.param(
            [course(), ENROLLED, *present(8)],
            complete(),
            [
                completed(passed=True, days=8),
                CERTIFIED,
                KitEligibilityEstablished(
                    returnee_id=AWA,
                    trade="business_management",
                    ground=KitGround.COURSE,
                    cohort_id=COHORT,
                    established_on=LAST_DAY,
                    configuration_version=3,
                ),
            ],
            id="mali: business management passed leads straight to a kit",
        ),
        pytest.param(
            [course(), ENROLLED, *present(8)],
            complete(rules=DEFAULT_RULES),
            [completed(passed=True, days=8), CERTIFIED],
            id="where not configured, a passed course certifies and no more",
        ),
        pytest.param(
            [course(), ENROLLED, *present(7)],
            complete(score=95),
            [completed(passed=False, days=7, score=95)],
            id="the exam passed below the attendance threshold certifies nothing",
        ),
        pytest.param(
            [course(), ENROLLED, *present(8)],
            complete(score=49),
            [completed(passed=False, days=8, score=49)],
            id="attended but below the pass mark certifies nothing",
        ),
        pytest.param(
            [course(), ENROLLED],
            daycare(Sex.FEMALE),
            [
                DaycareCoverageGranted(
                    cohort_id=COHORT,
                    returnee_id=AWA,
                    daily_amount=500,
                    currency="XOF",
                    granted_on=START,
                )
            ],
            id="day-care for a mother, paid in the programme's allowance currency",
        ),
    ],
)
def test_cohort_decisions(
    history: list[EventPayload], command: cohorts.CohortCommand, expected: list[EventPayload]
) -> None:
    assert cohorts.decider.given(history, command) == expected


@pytest.mark.parametrize(
    ("history", "command", "rule"),
    [
        pytest.param([course()], enrol(registered=False), "returnee_not_registered", id="unknown"),
        pytest.param(
            [course()],
            enrol(interviewed=True, rules=DEFAULT_RULES),
            "returnee_not_counselled",
            id="burkina faso: an interview is not the group session",
        ),
        pytest.param(
            [course()], enrol(counselled=True), "returnee_not_counselled", id="mali: no interview"
        ),
        pytest.param(
            [course()],
            enrol(interviewed=True, enrolled_on=TODAY + timedelta(days=1)),
            "dated_in_the_future",
            id="enrolment dated tomorrow",
        ),
        pytest.param(
            [course(), ENROLLED], complete(), "attendance_not_recorded", id="exam, no attendance"
        ),
        pytest.param(
            [course(), ENROLLED, *present(8)],
            complete(on=TODAY + timedelta(days=1)),
            "dated_in_the_future",
            id="completion dated tomorrow",
        ),
        pytest.param([course(), ENROLLED], daycare(Sex.MALE), "daycare_not_allowed", id="a man"),
        pytest.param(
            [course(), ENROLLED], daycare(None), "daycare_not_allowed", id="sex not registered"
        ),
        pytest.param(
            [course(), ENROLLED],
            daycare(Sex.FEMALE, rules=NO_DAYCARE),
            "daycare_not_offered",
            id="a programme without day-care",
        ),
        pytest.param(
            [course(), ENROLLED],
            daycare(Sex.FEMALE, on=TODAY + timedelta(days=1)),
            "dated_in_the_future",
            id="day-care dated tomorrow",
        ),
    ],
)
def test_cohort_refusals(
    history: list[EventPayload], command: cohorts.CohortCommand, rule: str
) -> None:
    with pytest.raises(RuleViolation) as refused:
        cohorts.decider.given(history, command)
    assert refused.value.rule == rule


def assess(**changes: object) -> assessments.AssessSkill:
    values: dict[str, object] = {
        "returnee_id": MOUSSA,
        "trade": "tailoring",
        "centre_id": CENTRE_ID,
        "assessed_on": START,
        "certified": True,
        "level": SkillLevel.ADVANCED,
        "centre": CENTRE,
        "registered": True,
        "rules": MALI,
        "today": TODAY,
    }
    return assessments.AssessSkill(**{**values, **changes})  # type: ignore[arg-type]


def test_mali_sends_a_qualified_returnee_certified_by_assessment_straight_to_a_kit() -> None:
    [assessed, certified, eligible] = assessments.decider.given([], assess())
    assert isinstance(assessed, SkillAssessed) and isinstance(certified, SkillCertified)
    assert eligible == KitEligibilityEstablished(
        returnee_id=MOUSSA,
        trade="tailoring",
        ground=KitGround.ASSESSMENT,
        established_on=START,
        configuration_version=3,
    )


def test_skills_that_fall_short_lead_to_no_kit() -> None:
    [assessed] = assessments.decider.given([], assess(certified=False, level=None))
    assert isinstance(assessed, SkillAssessed) and assessed.training_recommended


def test_where_not_configured_an_assessment_certifies_and_no_more() -> None:
    events = assessments.decider.given([], assess(rules=DEFAULT_RULES))
    assert [e.event_name for e in events] == ["SkillAssessed", "SkillCertified"]


@pytest.mark.parametrize(
    ("command", "rule"),
    [
        pytest.param(assess(registered=False), "returnee_not_registered", id="never registered"),
        pytest.param(
            assess(assessed_on=TODAY + timedelta(days=1)), "dated_in_the_future", id="tomorrow"
        ),
    ],
)
def test_assessment_refusals(command: assessments.AssessSkill, rule: str) -> None:
    with pytest.raises(RuleViolation) as refused:
        assessments.decider.given([], command)
    assert refused.value.rule == rule


def allowance(daily_amount: int, rules: ProgrammeRules = MALI) -> SetDailyAllowance:
    return SetDailyAllowance(
        daily_amount,
        "XOF",
        START,
        rules.legal_minimum_monthly_wage,
        rules.working_days_per_month,
    )


def test_an_allowance_above_the_legal_minimum_wage_is_set() -> None:
    assert allowances.decider.given([], allowance(2000)) == [
        DailyAllowanceSet(daily_amount=2000, currency="XOF", effective_from=START)
    ]


@pytest.mark.parametrize(
    "daily_amount",
    [
        pytest.param(500, id="500 a day is about 11,000 a month, against 40,000"),
        pytest.param(1818, id="40,000 over 22 days rounds down below it"),
    ],
)
def test_an_allowance_not_above_the_legal_minimum_wage_is_refused(daily_amount: int) -> None:
    with pytest.raises(RuleViolation) as refused:
        allowances.decider.given([], allowance(daily_amount))
    assert refused.value.rule == "allowance_not_above_minimum_wage"


def test_until_an_office_sets_a_rate_its_programmes_allowance_is_in_force() -> None:
    rates = OfficeRates("ml", (), MALI.daily_allowance)
    assert rates.on(START) == DailyRate(2000, "XOF")
    later = DailyRate(2200, "XOF", START)
    assert OfficeRates("ml", (later,), MALI.daily_allowance).on(START) == later
