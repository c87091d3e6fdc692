"""The office's programme as training keeps it: the rules its configuration sets.

The programme service publishes each office's whole configuration (ProgrammeConfigured);
handlers hand the latest version to commands as a fact. An office that has set none runs on
the platform's defaults below, which are Burkina Faso's path: group counselling, the exam's
pass mark and most of the course attended, day-care for mothers.
"""

from dataclasses import dataclass
from math import ceil

from reintegration_contracts.events.programme import CounsellingStep, ProgrammeConfigured
from reintegration_contracts.types import Sex
from training.domain.allowances import DailyRate


@dataclass(frozen=True)
class ProgrammeRules:
    version: int = 0  # 0: the office has configured no programme yet
    counselling_steps: frozenset[CounsellingStep] = frozenset({CounsellingStep.GROUP_SESSION})
    pass_mark: int = 50
    attendance_threshold_percent: int = 80
    courses_leading_to_kit: frozenset[str] = frozenset()
    assessment_leads_to_kit: bool = False
    daily_allowance: DailyRate | None = None
    legal_minimum_monthly_wage: int | None = None
    working_days_per_month: int = 22
    daycare_offered: bool = True
    daycare_sexes: frozenset[Sex] = frozenset({Sex.FEMALE})

    @classmethod
    def of(cls, configured: ProgrammeConfigured) -> "ProgrammeRules":
        allowance = configured.allowance
        return cls(
            version=configured.version,
            counselling_steps=frozenset(configured.counselling_steps),
            pass_mark=configured.certification.pass_mark,
            attendance_threshold_percent=configured.certification.attendance_threshold_percent,
            courses_leading_to_kit=frozenset(configured.courses_leading_to_kit),
            assessment_leads_to_kit=configured.assessment_leads_to_kit,
            daily_allowance=DailyRate(allowance.daily_amount, allowance.currency),
            legal_minimum_monthly_wage=allowance.legal_minimum_monthly_wage,
            working_days_per_month=allowance.working_days_per_month,
            daycare_offered=configured.daycare.offered,
            daycare_sexes=frozenset(configured.daycare.sexes),
        )

    def counselled(self, group_session: bool, interview: bool) -> bool:
        """Whether what intake reported counts as counselling in this programme (Mali
        interviews each returnee and holds no group sessions)."""
        return (group_session and CounsellingStep.GROUP_SESSION in self.counselling_steps) or (
            interview and CounsellingStep.INDIVIDUAL_INTERVIEW in self.counselling_steps
        )

    def days_required(self, duration_days: int) -> int:
        return ceil(self.attendance_threshold_percent * duration_days / 100)

    def above_minimum_wage(self, daily_amount: int) -> bool:
        if self.legal_minimum_monthly_wage is None:
            return True
        return daily_amount * self.working_days_per_month > self.legal_minimum_monthly_wage


DEFAULT_RULES = ProgrammeRules()
