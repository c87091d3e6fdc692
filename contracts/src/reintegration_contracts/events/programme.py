"""Events published by programme: each office's programme, as configuration.

Country offices run different programmes on the same services (DESIGN.md, "The field"). An
office manager sets the whole configuration at once and the event carries it whole, as a
snapshot: a service that reads the programme topic needs only the latest version of each
office, never a history of partial changes to fold.
"""

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from reintegration_contracts.classification import classified
from reintegration_contracts.registry import EventPayload, event
from reintegration_contracts.subscriptions import register_service
from reintegration_contracts.topics import register_domain
from reintegration_contracts.types import Amount, Sex, Trade, Vulnerability

PROGRAMME = register_domain("programme", owner="platform")
# It reads nothing: the configuration is the office manager's, not a fold of other domains.
register_service("programme", publishes=PROGRAMME, consumes=[])


class CounsellingStep(StrEnum):
    """What counts as job counselling before training: Burkina Faso holds group sessions,
    Mali interviews each returnee."""

    GROUP_SESSION = "group_session"
    INDIVIDUAL_INTERVIEW = "individual_interview"


class SupportKind(StrEnum):
    ENTREPRENEURSHIP_TRAINING = "entrepreneurship_training"
    VOCATIONAL_TRAINING = "vocational_training"
    SKILLS_ASSESSMENT = "skills_assessment"
    BUSINESS_PLAN = "business_plan"
    STARTING_KIT = "starting_kit"
    CASH_GRANT = "cash_grant"
    JOB_REFERRAL = "job_referral"
    PSYCHOSOCIAL = "psychosocial"
    COMMUNITY_PROJECT = "community_project"


class Part(BaseModel):
    model_config = ConfigDict(extra="forbid")


@classified(amount="pass_mark attendance_threshold_percent")
class CertificationRules(Part):
    pass_mark: int = Field(ge=0, le=100, description="Post-training exam score that passes")
    attendance_threshold_percent: int = Field(
        ge=0, le=100, description="Share of the course's days a trainee attended, at least"
    )


@classified(
    amount="daily_amount legal_minimum_monthly_wage",
    category="currency",
    count="working_days_per_month",
)
class AllowanceRules(Part):
    """Trainees get an allowance slightly above the legal minimum wage, which is monthly:
    a daily rate is compared with it over the working days of a month."""

    daily_amount: Amount = Field(gt=0, examples=[2000])
    currency: str = Field(pattern=r"^[A-Z]{3}$", examples=["XOF"])
    legal_minimum_monthly_wage: Amount = Field(gt=0, examples=[40000])
    working_days_per_month: int = Field(ge=1, le=31, examples=[22])


@classified(flag="offered", category="sexes")
class DaycareRules(Part):
    """Who may get day-care cover: mothers of young children, say, is `sexes: [female]`
    (the officer granting it has seen the children; the configuration says who can be)."""

    offered: bool
    sexes: list[Sex] = Field(default_factory=list, examples=[["female"]])


@classified(category="support vulnerabilities sexes", flag="minors")
class EligibilityRule(Part):
    """A support kind reserved to returnees with one of these vulnerabilities, or of one of
    these sexes, or (with `minors`) under 18: Niger's individual grants go to unaccompanied
    minors, women, victims of trafficking and other vulnerable cases."""

    support: SupportKind
    vulnerabilities: list[Vulnerability] = Field(min_length=1)
    sexes: list[Sex] = Field(default_factory=list, examples=[["female"]])
    minors: bool = Field(default=False, description="Every minor is eligible too")


@classified(
    count="version",
    date="configured_on",
    category="counselling_steps courses_leading_to_kit support_offered",
    flag="entrepreneurship_before_plan assessment_leads_to_kit",
    nested="certification allowance daycare eligibility",
)
@event("ProgrammeConfigured", 1, PROGRAMME)
class ProgrammeConfigured(EventPayload):
    """An office's whole programme from this version on; each version replaces the last."""

    version: int = Field(ge=1, description="1 for the office's first configuration, then +1")
    configured_on: date
    counselling_steps: list[CounsellingStep] = Field(
        min_length=1, description="Any one of these counts as counselling before training"
    )
    entrepreneurship_before_plan: bool = Field(
        description="A business plan needs the entrepreneurship course completed first"
    )
    certification: CertificationRules
    courses_leading_to_kit: list[Trade] = Field(
        default_factory=list,
        description="Courses whose passed completion leads straight to a kit",
        examples=[["business_management"]],
    )
    assessment_leads_to_kit: bool = Field(
        description="A returnee certified by skills assessment goes straight to a kit"
    )
    allowance: AllowanceRules
    daycare: DaycareRules
    support_offered: list[SupportKind] = Field(min_length=1)
    eligibility: list[EligibilityRule] = Field(default_factory=list)
