"""Request bodies of the committee API, and the commands they become."""

from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from committee import domain
from reintegration_contracts.events.committee import (
    BudgetLine,
    CommitteeMember,
    Condition,
    InKindContribution,
    PlanKind,
    Reason,
)
from reintegration_contracts.types import Locality, Slug, Trade


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PlanSubmission(_Body):
    kind: PlanKind
    beneficiary_ids: list[UUID] = Field(
        min_length=1, max_length=50, description="Pseudonymous returnee ids"
    )
    sector: Slug = Field(examples=["crafts"])
    trade: Trade
    activity: str = Field(min_length=3, max_length=300, description="The business, in a line")
    locality: Locality
    budget_lines: list[BudgetLine] = Field(min_length=1, max_length=100)
    in_kind_contribution: list[InKindContribution] = Field(default_factory=list, max_length=50)
    kit_requested: Trade | None = None
    currency: str = Field(pattern=r"^[A-Z]{3}$", examples=["XOF"])
    submitted_on: date | None = Field(default=None, description="Defaults to today")

    def command(self, plan_id: UUID, today: date) -> domain.SubmitPlan:
        return domain.SubmitPlan(
            plan_id=plan_id,
            kind=self.kind,
            beneficiary_ids=tuple(self.beneficiary_ids),
            sector=self.sector,
            trade=self.trade,
            activity=self.activity,
            locality=self.locality,
            budget_lines=tuple(self.budget_lines),
            in_kind_contribution=tuple(self.in_kind_contribution),
            kit_requested=self.kit_requested,
            currency=self.currency,
            submitted_on=self.submitted_on or today,
            today=today,
        )


class Approval(_Body):
    session_id: UUID = Field(description="The committee session that approved the plan")

    def command(self, plan_id: UUID) -> domain.ApprovePlan:
        return domain.ApprovePlan(plan_id=plan_id, session_id=self.session_id)


class Rejection(_Body):
    session_id: UUID
    reasons: list[Reason] = Field(min_length=1, max_length=20)

    def command(self, plan_id: UUID) -> domain.RejectPlan:
        return domain.RejectPlan(plan_id, self.session_id, tuple(self.reasons))


class Amendment(_Body):
    session_id: UUID
    budget_lines: list[BudgetLine] | None = Field(
        default=None, min_length=1, max_length=100, description="Omit to keep the reviewed budget"
    )
    conditions: list[Condition] = Field(default_factory=list, max_length=20)

    def command(self, plan_id: UUID) -> domain.AmendPlan:
        lines = tuple(self.budget_lines) if self.budget_lines is not None else None
        return domain.AmendPlan(plan_id, self.session_id, lines, tuple(self.conditions))


class SessionRecord(_Body):
    locality: Locality
    held_on: date
    members: list[CommitteeMember] = Field(min_length=1, max_length=40)

    def command(self, session_id: UUID, today: date) -> domain.HoldSession:
        return domain.HoldSession(
            session_id=session_id,
            locality=self.locality,
            held_on=self.held_on,
            members=tuple(self.members),
            today=today,
        )


class ThresholdSetting(_Body):
    threshold: int = Field(ge=1, le=50, description="Reviewed plans waiting in a locality")

    def command(self, today: date) -> domain.SetConveningThreshold:
        return domain.SetConveningThreshold(threshold=self.threshold, today=today)
