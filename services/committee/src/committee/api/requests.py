"""Request bodies of the committee API, and the commands they become."""

from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from committee import domain
from committee.words import DecisionWords, LineWords, PlanWords
from reintegration_contracts.events.committee import (
    BudgetLine,
    CommitteeSeat,
    ConditionKind,
    InKindContribution,
    InKindKind,
    MemberRole,
    PlanKind,
    RejectionReason,
)
from reintegration_contracts.types import Amount, Locality, Slug, Trade, item_code


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class BudgetLineRequest(_Body):
    """A budget line as the office writes it: the item in words (its catalogue code is made
    from them, the words stay here) and what exactly is to be bought."""

    item: str = Field(min_length=1, max_length=120, examples=["sewing machine"])
    quantity: int = Field(ge=1, le=100_000)
    unit_cost: Amount
    specification: str | None = Field(
        default=None, max_length=300, description="What exactly is to be bought"
    )

    def line(self) -> BudgetLine:
        return BudgetLine(
            item=item_code(self.item),
            quantity=self.quantity,
            unit_cost=self.unit_cost,
            specified=bool(self.specification),
        )

    def words(self) -> LineWords:
        return LineWords(item=self.item, specification=self.specification or None)


def _lines_in_words(lines: list[BudgetLineRequest]) -> dict[str, LineWords]:
    return {item_code(line.item): line.words() for line in lines}


class InKindRequest(_Body):
    kind: InKindKind = Field(default=InKindKind.OTHER, description="What it is, as a category")
    description: str | None = Field(
        default=None, max_length=200, examples=["workshop space"], description="Kept here"
    )
    value: Amount


class PlanSubmission(_Body):
    kind: PlanKind
    beneficiary_ids: list[UUID] = Field(
        min_length=1, max_length=50, description="Pseudonymous returnee ids"
    )
    sector: Slug = Field(examples=["crafts"])
    trade: Trade
    activity: str = Field(min_length=3, max_length=300, description="The business, in a line")
    locality: Locality
    budget_lines: list[BudgetLineRequest] = Field(min_length=1, max_length=100)
    in_kind_contribution: list[InKindRequest] = Field(default_factory=list, max_length=50)
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
            locality=self.locality,
            budget_lines=tuple(line.line() for line in self.budget_lines),
            in_kind_contribution=tuple(
                InKindContribution(kind=part.kind, value=part.value)
                for part in self.in_kind_contribution
            ),
            kit_requested=self.kit_requested,
            currency=self.currency,
            submitted_on=self.submitted_on or today,
            today=today,
        )

    def words(self) -> PlanWords:
        return PlanWords(
            activity=self.activity,
            lines=_lines_in_words(self.budget_lines),
            in_kind=tuple(part.description or None for part in self.in_kind_contribution),
        )


class Approval(_Body):
    session_id: UUID = Field(description="The committee session that approved the plan")

    def command(self, plan_id: UUID) -> domain.ApprovePlan:
        return domain.ApprovePlan(plan_id=plan_id, session_id=self.session_id)


_NOTE = Field(
    default=None,
    min_length=1,
    max_length=2000,
    description="The committee's words; kept in committee's database, never in an event",
)


class Rejection(_Body):
    session_id: UUID
    reasons: list[RejectionReason] = Field(min_length=1, max_length=20)
    note: str | None = _NOTE

    def command(self, plan_id: UUID) -> domain.RejectPlan:
        return domain.RejectPlan(plan_id, self.session_id, tuple(self.reasons))

    def words(self) -> DecisionWords:
        return DecisionWords(note=self.note)


class Amendment(_Body):
    session_id: UUID
    budget_lines: list[BudgetLineRequest] | None = Field(
        default=None, min_length=1, max_length=100, description="Omit to keep the reviewed budget"
    )
    conditions: list[ConditionKind] = Field(default_factory=list, max_length=20)
    note: str | None = _NOTE

    def command(self, plan_id: UUID) -> domain.AmendPlan:
        lines = (
            tuple(line.line() for line in self.budget_lines)
            if self.budget_lines is not None
            else None
        )
        return domain.AmendPlan(plan_id, self.session_id, lines, tuple(self.conditions))

    def words(self) -> DecisionWords:
        return DecisionWords(note=self.note, lines=_lines_in_words(self.budget_lines or []))


class MemberRequest(_Body):
    """A seat at the session and the organisation holding it (kept here, never a name)."""

    role: MemberRole
    organisation: str = Field(min_length=1, max_length=120)


class SessionRecord(_Body):
    locality: Locality
    held_on: date
    members: list[MemberRequest] = Field(min_length=1, max_length=40)

    def command(self, session_id: UUID, today: date) -> domain.HoldSession:
        return domain.HoldSession(
            session_id=session_id,
            locality=self.locality,
            held_on=self.held_on,
            members=tuple(CommitteeSeat(role=member.role) for member in self.members),
            today=today,
        )

    def organisations(self) -> list[str]:
        return [member.organisation for member in self.members]


class ThresholdSetting(_Body):
    threshold: int = Field(ge=1, le=50, description="Reviewed plans waiting in a locality")

    def command(self, today: date) -> domain.SetConveningThreshold:
        return domain.SetConveningThreshold(threshold=self.threshold, today=today)
