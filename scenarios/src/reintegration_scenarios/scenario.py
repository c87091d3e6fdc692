"""A programme described in YAML: who arrives, what each step does, and what it should yield.

The file says what an office would plan and observe (arrivals, counselling, training, business
plans and their fate, committees, kits, follow-ups); `script.build` turns it into dated actions
with a seed, so the same file always gives the same programme.
"""

import itertools
import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, Self

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from reintegration_contracts.events.committee import (
    ConditionKind,
    InKindKind,
    MemberRole,
    RejectionReason,
)
from reintegration_contracts.events.intake import ConsentPurpose, ExpertPresence, PartnerCategory
from reintegration_contracts.types import Locality, ReturnType, Slug, Trade, Vulnerability

BUNDLED = Path(__file__).parent / "bundled"

Share = Annotated[float, Field(ge=0, le=1)]
Days = Annotated[tuple[int, int], Field(description="Inclusive range of days, drawn uniformly")]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Period(_Section):
    start: date
    end: date

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end <= self.start:
            raise ValueError("period.end must be after period.start")
        return self


class Place(_Section):
    region: str
    commune: str
    weight: int = Field(default=1, ge=1, description="Relative share of arrivals")

    @property
    def locality(self) -> Locality:
        return Locality(region=self.region, commune=self.commune)


class Arrivals(_Section):
    returnees: int = Field(ge=1, le=100_000)
    within_days_before_end: int = Field(
        default=120, ge=0, description="Nobody arrives in the last days of the period"
    )
    female_share: Share = 0.2
    age: tuple[int, int] = Field(default=(18, 45), description="Age in years at arrival")
    return_types: dict[ReturnType, int] = Field(
        default_factory=lambda: {ReturnType.ASSISTED_VOLUNTARY: 1}
    )
    vulnerabilities: dict[Vulnerability, Share] = Field(default_factory=dict)
    household_size: tuple[int, int] = (1, 8)
    declared_trade_share: Share = 0.3


class Counselling(_Section):
    by: Literal["group_session", "individual_interview"] = Field(
        default="group_session",
        description="Group sessions (each then interviewed), or an individual interview that "
        "counts as counselling where the office's programme says so (Mali)",
    )
    no_show: int = Field(default=0, ge=0, description="Returnees who never attend counselling")
    days_after_arrival: Days = (20, 40)
    session_size: int = Field(default=20, ge=1, le=200)
    experts: list[ExpertPresence] = Field(min_length=1)
    local_authorities_present: int = 1
    civil_society_present: int = 1
    consents: list[tuple[ConsentPurpose, PartnerCategory]] = Field(default_factory=list)


class Entrepreneurship(_Section):
    participants: int = Field(default=0, ge=0)
    failing: int = Field(default=0, ge=0, description="Attend too few days to pass")
    cohort_size: int = Field(default=25, ge=1, le=500)
    days_after_counselling: Days = (7, 30)


class Vocational(_Section):
    participants: int = Field(default=0, ge=0)
    failing: int = Field(default=0, ge=0, description="Score under the pass mark")
    trades: list[Trade] = Field(default_factory=list)
    completions: dict[Trade, int] = Field(
        default_factory=dict,
        description="Trainees who pass, per trade, as the office reports them; when given, "
        "participants are these and the failing, and the trades are its keys",
    )
    cohort_size: int = Field(default=12, ge=1, le=500)
    duration_days: int = Field(default=20, ge=1, le=365)
    days_after_counselling: Days = (14, 45)

    @model_validator(mode="before")
    @classmethod
    def _from_completions(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("completions"):
            completions = data["completions"]
            data = {
                **data,
                "participants": sum(completions.values()) + data.get("failing", 0),
                "trades": list(completions),
            }
        return data

    @model_validator(mode="after")
    def _completions_add_up(self) -> Self:
        if self.completions:
            if any(n < 0 for n in self.completions.values()):
                raise ValueError("training.vocational.completions are counts")
            if self.participants != sum(self.completions.values()) + self.failing:
                raise ValueError("vocational participants are the completions and the failing")
            if self.trades != list(self.completions):
                raise ValueError("vocational trades are the completions' trades")
        return self


class Daycare(_Section):
    daily_amount: int = Field(gt=0, description="Paid with each attended day")
    mothers_share: Share = Field(description="Of women trainees: mothers of young children")


class Centre(_Section):
    name: str
    city: str
    trades: list[Trade] = Field(min_length=1)
    capacity: int = Field(ge=1)


class Training(_Section):
    daily_allowance: int = Field(gt=0)
    entrepreneurship: Entrepreneurship = Field(default_factory=lambda: Entrepreneurship())
    vocational: Vocational = Field(default_factory=lambda: Vocational())
    centres: list[Centre] = Field(default_factory=list)
    daycare: Daycare | None = None


class Stage(_Section):
    plans: int = Field(ge=0)
    beneficiaries: int = Field(ge=0)


class PlanStages(_Section):
    """Counts the office reported: every plan submitted, those whose budget procurement
    reviewed, and those the committee approved (each stage a subset of the one before)."""

    submitted: Stage
    reviewed: Stage
    approved: Stage

    @model_validator(mode="after")
    def _nested(self) -> Self:
        outer = (self.submitted, self.reviewed, self.approved)
        for bigger, smaller in itertools.pairwise(outer):
            if smaller.plans > bigger.plans or smaller.beneficiaries > bigger.beneficiaries:
                raise ValueError("each plan stage is a subset of the one before")
            if bigger.beneficiaries - smaller.beneficiaries < bigger.plans - smaller.plans:
                raise ValueError("every plan has at least one beneficiary")
        for stage in outer:
            if stage.beneficiaries < stage.plans:
                raise ValueError("every plan has at least one beneficiary")
        return self


class BudgetItem(_Section):
    item: str
    quantity: int = Field(ge=1)
    specification: str


class TradePlan(_Section):
    sector: Slug
    activity: str
    budget: list[BudgetItem] = Field(min_length=1)
    per_member: list[str] = Field(
        default_factory=list, description="Items whose quantity grows with the group"
    )
    in_kind: str = "workspace and own tools"
    in_kind_kind: InKindKind = InKindKind.WORKSPACE


class RejectedFor(_Section):
    """A reason the committee gives, as its category (sent) and in its words (kept by the
    committee service, never in an event)."""

    reason: RejectionReason
    words: str


class SetCondition(_Section):
    condition: ConditionKind
    words: str


class BusinessPlans(_Section):
    stages: PlanStages
    max_group: int = Field(default=5, ge=2, le=50)
    days_after_training: Days = (7, 60)
    trades: dict[Trade, TradePlan] = Field(min_length=1)
    # A plan whose budget names something the catalogue cannot price waits for an officer.
    unpriced_item: BudgetItem
    amended_share: Share = Field(default=0.0, description="Of approvals: approved as amended")
    rejected_share: Share = Field(
        default=1.0, description="Of reviewed plans not approved: rejected (else still waiting)"
    )
    rejection_reasons: list[RejectedFor] = Field(min_length=1)
    conditions: list[SetCondition] = Field(
        default_factory=lambda: [
            SetCondition(
                condition=ConditionKind.SITE_VISIT_BEFORE_KIT,
                words="Site visit before the kit is handed over",
            )
        ]
    )


class CataloguePrice(_Section):
    unit: str = "piece"
    unit_price: int = Field(gt=0)
    supplier: str


class CommitteeMemberSeat(_Section):
    """A seat by role, and the organisation holding it (in words: committee keeps them)."""

    role: MemberRole
    organisation: str = Field(min_length=1, max_length=120)


class Committee(_Section):
    plans_per_session: int = Field(default=5, ge=1, le=50)
    days_after_review: Days = (7, 30)
    members: list[CommitteeMemberSeat] = Field(min_length=3)


class KitLine(_Section):
    item: str
    quantity: int = Field(ge=1)


class Kits(_Section):
    delivery_days_after_approval: Days = (14, 60)
    certified: int = Field(
        default=0,
        ge=0,
        description="Returnees certified in a trade who receive its starting kit, with no "
        "business plan (Mali); those of the courses in straight_after first",
    )
    straight_after: list[Trade] = Field(
        default_factory=list,
        description="The programme's courses leading straight to a kit (its "
        "courses_leading_to_kit): every trainee passing one gets the kit",
    )
    contents: dict[Trade, list[KitLine]] = Field(
        default_factory=dict, description="Each trade's kit, endorsed by returnee representatives"
    )
    days_after_certification: Days = (7, 45)
    delivery_days_after_order: Days = (7, 30)


class Survey(_Section):
    answers: dict[str, str]
    sustainable: bool = Field(description="What the programme's scoring should conclude")


class FollowUps(_Section):
    schedule_days: list[int] = Field(min_length=1)
    visit_late_days: Days = (0, 10)
    missed_share: Share = Field(default=0.0, description="Scheduled visits never made")
    activity_running_share: Share = 0.8
    survey_after_days: int = Field(default=200, ge=1)
    surveys: list[Survey] = Field(min_length=1, description="Answer profiles, drawn in turn")
    surveyed_share: Share = 1.0


class Scenario(_Section):
    name: str
    country_office: str = Field(pattern=r"^[a-z]{2}$")
    programme: str | None = Field(
        default=None,
        pattern=r"^[a-z]{2}$",
        description="A configuration shipped in bundled/programmes/ (e.g. bf), set through "
        "the programme service before anything else",
    )
    seed: int = 1
    currency: str = Field(default="XOF", pattern=r"^[A-Z]{3}$")
    period: Period
    localities: list[Place] = Field(min_length=1)
    arrivals: Arrivals
    counselling: Counselling
    training: Training
    business_plans: BusinessPlans | None = Field(
        default=None, description="None: a programme without business plans or committees"
    )
    catalogue: dict[str, CataloguePrice] = Field(min_length=1)
    price_tolerance_percent: int = Field(default=10, ge=0, le=100)
    committee: Committee | None = None
    kits: Kits = Field(default_factory=lambda: Kits())
    follow_ups: FollowUps

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        counselled = self.arrivals.returnees - self.counselling.no_show
        entrepreneurs = self.training.entrepreneurship
        vocational = self.training.vocational
        if counselled < 0:
            raise ValueError("counselling.no_show exceeds the arrivals")
        if entrepreneurs.participants + vocational.participants > counselled:
            raise ValueError("more trainees than counselled returnees")
        passed = entrepreneurs.participants - entrepreneurs.failing
        plans = self.business_plans
        if (plans is None) != (self.committee is None):
            raise ValueError("business plans and a committee go together")
        if plans is not None and plans.stages.submitted.beneficiaries > passed:
            raise ValueError(
                f"{plans.stages.submitted.beneficiaries} plan beneficiaries, but "
                f"only {passed} pass the entrepreneurship training"
            )
        if vocational.participants and not vocational.trades:
            raise ValueError("training.vocational.trades is empty")
        taught = {t for centre in self.training.centres for t in centre.trades}
        missing = set(vocational.trades) - taught if vocational.participants else set()
        if missing:
            raise ValueError(f"no training centre teaches {sorted(missing)}")
        plan_items = {
            b.item for plan in (plans.trades if plans else {}).values() for b in plan.budget
        }
        kit_items = {line.item for lines in self.kits.contents.values() for line in lines}
        unpriced = (plan_items | kit_items) - set(self.catalogue)
        if unpriced:
            raise ValueError(f"the catalogue does not price {sorted(unpriced)}")
        if plans is not None and plans.unpriced_item.item in self.catalogue:
            raise ValueError("business_plans.unpriced_item must not be in the catalogue")
        self._kits_fit()
        return self

    def _kits_fit(self) -> None:
        kits, vocational = self.kits, self.training.vocational
        if not kits.certified:
            return
        passing = vocational.participants - vocational.failing
        if kits.certified > passing:
            raise ValueError(f"{kits.certified} certified kits, but only {passing} pass a trade")
        without = set(vocational.trades) - set(kits.contents)
        if without:
            raise ValueError(f"kits.contents has no kit for {sorted(without)}")
        straight = sum(vocational.completions.get(t, 0) for t in kits.straight_after)
        if straight > kits.certified:
            raise ValueError(
                f"{straight} pass a course leading straight to a kit, more than the "
                f"{kits.certified} certified kits"
            )


def load(name_or_path: str | Path) -> Scenario:
    """A bundled scenario by name (`burkina-faso`) or any YAML file by path."""
    path = Path(name_or_path)
    if not path.exists():
        path = BUNDLED / f"{name_or_path}.yaml"
    if not path.exists():
        known = ", ".join(sorted(p.stem for p in BUNDLED.glob("*.yaml")))
        raise FileNotFoundError(f"no scenario {name_or_path!r} (bundled: {known})")
    return Scenario.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


PROGRAMMES = BUNDLED / "programmes"


def programme_configuration(name: str) -> dict[str, Any]:
    """The body of `PUT /offices/<cc>/configuration` shipped for one office's programme."""
    path = PROGRAMMES / f"{name}.json"
    if not path.exists():
        known = ", ".join(sorted(p.stem for p in PROGRAMMES.glob("*.json")))
        raise FileNotFoundError(f"no programme configuration {name!r} (shipped: {known})")
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def bundled() -> list[str]:
    return sorted(p.stem for p in BUNDLED.glob("*.yaml"))
