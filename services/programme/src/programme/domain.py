"""An office's programme: the configuration its manager sets, checked as a whole. Pure.

One stream per office. Each configuration replaces the one before it entirely (a snapshot),
so a reader needs only the latest version and a manager reads back exactly what is in force.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from reintegration_contracts.events.programme import (
    AllowanceRules,
    CertificationRules,
    CounsellingStep,
    DaycareRules,
    EligibilityRule,
    ProgrammeConfigured,
    SupportKind,
)
from reintegration_contracts.types import Trade
from reintegration_sdk import Decider, InvalidFields, RuleViolation


def programme_stream(office: str) -> str:
    return f"programme-{office}"


class Settings(BaseModel):
    """What a manager decides: the configuration without its version and date."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    counselling_steps: list[CounsellingStep] = Field(min_length=1)
    entrepreneurship_before_plan: bool
    certification: CertificationRules
    courses_leading_to_kit: list[Trade] = Field(default_factory=list)
    assessment_leads_to_kit: bool
    allowance: AllowanceRules
    daycare: DaycareRules
    support_offered: list[SupportKind] = Field(min_length=1)
    eligibility: list[EligibilityRule] = Field(default_factory=list)


@dataclass(frozen=True)
class Programme:
    version: int = 0
    configured_on: date | None = None
    settings: Settings | None = None


@dataclass(frozen=True)
class ConfigureProgramme:
    settings: Settings
    configured_on: date
    today: date


def decide(programme: Programme, command: ConfigureProgramme) -> list[ProgrammeConfigured]:
    settings = command.settings
    problems = _problems(settings)
    if problems:
        raise InvalidFields(problems)
    if command.configured_on > command.today:
        raise RuleViolation("dated_in_the_future", f"{command.configured_on} has not come yet.")
    if programme.configured_on is not None and command.configured_on < programme.configured_on:
        raise RuleViolation(
            "configuration_out_of_order",
            f"The configuration in force was set on {programme.configured_on}; a new one "
            "cannot be dated before it.",
        )
    allowance = settings.allowance
    monthly = allowance.daily_amount * allowance.working_days_per_month
    # Trainees are paid slightly above the legal minimum wage, never at or below it.
    if monthly <= allowance.legal_minimum_monthly_wage:
        raise RuleViolation(
            "allowance_not_above_minimum_wage",
            f"{allowance.daily_amount} {allowance.currency} a day is {monthly} over "
            f"{allowance.working_days_per_month} working days, not above the legal minimum "
            f"of {allowance.legal_minimum_monthly_wage} a month.",
        )
    if settings == programme.settings:
        # Setting what is already in force changes nothing: the office's history stays free
        # of versions that say the same thing.
        return []
    return [
        ProgrammeConfigured(
            version=programme.version + 1,
            configured_on=command.configured_on,
            **settings.model_dump(),
        )
    ]


def _problems(settings: Settings) -> list[tuple[str, str]]:
    problems = [
        (name, "lists the same value twice")
        for name, values in (
            ("counselling_steps", settings.counselling_steps),
            ("courses_leading_to_kit", settings.courses_leading_to_kit),
            ("support_offered", settings.support_offered),
        )
        if _repeated(values)
    ]
    offered = set(settings.support_offered)
    kits = SupportKind.STARTING_KIT in offered
    if settings.courses_leading_to_kit and not kits:
        problems.append(("courses_leading_to_kit", "the programme offers no starting kit"))
    if settings.assessment_leads_to_kit and not (kits and SupportKind.SKILLS_ASSESSMENT in offered):
        problems.append(
            ("assessment_leads_to_kit", "needs skills_assessment and starting_kit offered")
        )
    if settings.daycare.offered and not settings.daycare.sexes:
        problems.append(("daycare.sexes", "name who may get day-care"))
    if not settings.daycare.offered and settings.daycare.sexes:
        problems.append(("daycare.sexes", "day-care is not offered"))
    for index, rule in enumerate(settings.eligibility):
        if rule.support not in offered:
            problems.append((f"eligibility.{index}.support", "is not among the support offered"))
    if _repeated([rule.support for rule in settings.eligibility]):
        problems.append(("eligibility", "one rule per support kind"))
    return problems


def _repeated(values: Sequence[object]) -> bool:
    return any(count > 1 for count in Counter(values).values())


def evolve(programme: Programme, event: ProgrammeConfigured) -> Programme:
    settings = Settings.model_validate(event.model_dump(exclude={"version", "configured_on"}))
    return Programme(event.version, event.configured_on, settings)


decider = Decider(initial=Programme(), evolve=evolve, decide=decide)
