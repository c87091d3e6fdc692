"""The monitoring read model as a pure fold: case files per returnee, plan files per plan.

Every stage keeps its earliest business date (from the payload, never the envelope's clock),
visits, due dates and scores are keyed by their ids, so applying an event twice, or events of
different topics in any order, gives the same files. That is what lets the same handlers run in
a command's transaction, again through the inbox, and again in a rebuild from Kafka.
"""

from datetime import date
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, Field

from reintegration_contracts.events import committee, intake, monitoring, procurement, training
from reintegration_contracts.registry import EventPayload
from reintegration_contracts.stages import Stage
from reintegration_sdk.events import EventMeta

# The stages monitoring counts, in the field's order (contracts' vocabulary, shared with intake).
# "In training" and "plan rejected" say where a case stands now; the funnel counts steps reached.
FUNNEL_STAGES: tuple[Stage, ...] = (
    Stage.REGISTERED,
    Stage.COUNSELLED,
    Stage.TRAINED,
    Stage.CERTIFIED,
    Stage.PLAN_SUBMITTED,
    Stage.PLAN_REVIEWED,
    Stage.PLAN_EXAMINED,
    Stage.PLAN_APPROVED,
    Stage.KIT_DELIVERED,
    Stage.FOLLOWED_UP,
    Stage.SUSTAINABLE,
)
PLAN_STAGES = (
    Stage.PLAN_SUBMITTED,
    Stage.PLAN_REVIEWED,
    Stage.PLAN_EXAMINED,
    Stage.PLAN_APPROVED,
)


class Path(StrEnum):
    """The path a returnee took, from the furthest kind of support reached: a business plan
    (Burkina Faso's committees), a certified trade (Mali's kits after a course or an
    assessment), training without a certificate, counselling only, or nothing yet."""

    BUSINESS_PLAN = "business_plan"
    CERTIFIED_TRADE = "certified_trade"
    TRAINING = "training"
    COUNSELLING = "counselling"
    REGISTERED = "registered"


class Completion(BaseModel):
    """A course's end for one trainee, passed or failed (keyed by the cohort)."""

    kind: str
    trade: str | None = None
    passed: bool
    completed_on: date


class Visit(BaseModel):
    visited_on: date
    order_id: UUID | None = None
    due_on: date | None = None
    activity_running: bool
    caseworker: str


class Score(BaseModel):
    scored_on: date
    composite: float
    sustainable: bool


class DueVisit(BaseModel):
    order_id: UUID
    due_on: date


class CaseFile(BaseModel):
    """What monitoring knows of one returnee: attributes that identify no one, and dates."""

    returnee_id: UUID
    country_office: str
    sex: str | None = None
    age_band: str | None = None
    vulnerabilities: list[str] = Field(default_factory=list)
    region: str | None = None
    commune: str | None = None
    caseworker: str | None = None
    # Which of the case's assignments named the caseworker (registration's is 0): the highest
    # wins, so a reassignment read before the registration still stands.
    caseworker_assignment: int = -1
    trades: dict[str, str] = Field(default_factory=dict, description="source -> trade")
    trade_dates: dict[str, date] = Field(
        default_factory=dict, description="source -> business date of the event it came from"
    )
    stages: dict[Stage, date] = Field(default_factory=dict)
    completions: dict[UUID, Completion] = Field(default_factory=dict, description="by cohort")
    due_visits: list[DueVisit] = Field(default_factory=list)
    visits: dict[UUID, Visit] = Field(default_factory=dict)
    scores: dict[UUID, Score] = Field(default_factory=dict)
    erased_on: date | None = None

    def reach(self, stage: Stage, on: date | None) -> None:
        if on is not None and (stage not in self.stages or on < self.stages[stage]):
            self.stages[stage] = on

    def hold(self, caseworker: str, assignment: int) -> None:
        if assignment > self.caseworker_assignment:
            self.caseworker, self.caseworker_assignment = caseworker, assignment

    def note_trade(self, source: str, trade: str, on: date) -> None:
        """A source's trade is the one its latest event names (by business date, then name):
        two trainings, two certifications or a second plan give one trade in any order."""
        known = self.trades.get(source)
        if known is None or (on, trade) > (self.trade_dates.get(source, date.min), known):
            self.trades[source] = trade
            self.trade_dates[source] = on

    @property
    def trade(self) -> str | None:
        """The trade of the activity, from the most advanced source known."""
        for source in ("kit", "plan", "certified", "training", "declared"):
            if source in self.trades:
                return self.trades[source]
        return None

    @property
    def path(self) -> Path:
        if Stage.PLAN_SUBMITTED in self.stages:
            return Path.BUSINESS_PLAN
        if Stage.CERTIFIED in self.stages:
            return Path.CERTIFIED_TRADE
        if self.completions:
            return Path.TRAINING
        if Stage.COUNSELLED in self.stages:
            return Path.COUNSELLING
        return Path.REGISTERED

    def stage_dates(self) -> dict[Stage, date]:
        dates = dict(self.stages)
        if self.visits:
            dates[Stage.FOLLOWED_UP] = min(v.visited_on for v in self.visits.values())
        latest = max(self.scores.values(), key=lambda s: s.scored_on, default=None)
        if latest is not None and latest.sustainable:
            dates[Stage.SUSTAINABLE] = latest.scored_on
        return dates

    def open_visits(self) -> list[DueVisit]:
        done = {(v.order_id, v.due_on) for v in self.visits.values()}
        return [d for d in self.due_visits if (d.order_id, d.due_on) not in done]


class PlanFile(BaseModel):
    plan_id: UUID
    country_office: str
    kind: str | None = None
    trade: str | None = None
    beneficiary_ids: list[UUID] = Field(default_factory=list)
    stages: dict[Stage, date] = Field(default_factory=dict)
    rejected_on: date | None = None

    def reach(self, stage: Stage, on: date) -> None:
        if stage not in self.stages or on < self.stages[stage]:
            self.stages[stage] = on

    def add_beneficiaries(self, ids: list[UUID]) -> None:
        self.beneficiary_ids = sorted(set(self.beneficiary_ids) | set(ids), key=str)


class ReadModel:
    """The case and plan files an event touches (all of them, in a unit test)."""

    def __init__(
        self, cases: dict[UUID, CaseFile] | None = None, plans: dict[UUID, PlanFile] | None = None
    ) -> None:
        self.cases = cases or {}
        self.plans = plans or {}

    def case(self, returnee_id: UUID, office: str) -> CaseFile:
        if returnee_id not in self.cases:
            self.cases[returnee_id] = CaseFile(returnee_id=returnee_id, country_office=office)
        return self.cases[returnee_id]

    def plan(self, plan_id: UUID, office: str) -> PlanFile:
        if plan_id not in self.plans:
            self.plans[plan_id] = PlanFile(plan_id=plan_id, country_office=office)
        return self.plans[plan_id]


def plan_id_of(event: EventPayload) -> UUID | None:
    return getattr(event, "plan_id", None) if isinstance(event, _PLAN_EVENTS) else None


def returnee_ids_of(event: EventPayload) -> list[UUID]:
    """The returnees an event names itself (a plan's other events name only the plan)."""
    ids = getattr(event, "beneficiary_ids", None)
    if ids is not None:
        return list(ids)
    single = getattr(event, "returnee_id", None)
    return [single] if single is not None else []


def apply(model: ReadModel, event: EventPayload, meta: EventMeta) -> None:
    """Fold one event into the files it touches."""
    office = meta.country_office
    plan_id = plan_id_of(event)
    if plan_id is not None:
        plan = model.plan(plan_id, office)
        _apply_plan(plan, event)
        for returnee_id in plan.beneficiary_ids:
            case = model.case(returnee_id, office)
            for stage, on in plan.stages.items():
                case.reach(stage, on)
            if plan.trade and plan.stages:
                # The plan submitted last is the returnee's current one.
                submitted = plan.stages.get(Stage.PLAN_SUBMITTED, min(plan.stages.values()))
                case.note_trade("plan", plan.trade, submitted)
        return
    for returnee_id in returnee_ids_of(event):
        _apply_case(model.case(returnee_id, office), event, meta)


_PLAN_EVENTS = (
    committee.PlanSubmitted,
    committee.PlanBudgetReviewNoted,
    committee.PlanAmended,
    committee.PlanApproved,
    committee.PlanRejected,
)


def _apply_plan(plan: PlanFile, event: EventPayload) -> None:
    match event:
        case committee.PlanSubmitted():
            plan.kind, plan.trade = event.kind.value, event.trade
            plan.add_beneficiaries(event.beneficiary_ids)
            plan.reach(Stage.PLAN_SUBMITTED, event.submitted_on)
        case committee.PlanBudgetReviewNoted():
            plan.reach(Stage.PLAN_REVIEWED, event.reviewed_on)
        case committee.PlanApproved():
            plan.kind, plan.trade = event.kind.value, event.trade
            plan.add_beneficiaries(event.beneficiary_ids)
            plan.reach(Stage.PLAN_EXAMINED, event.approved_on)
            plan.reach(Stage.PLAN_APPROVED, event.approved_on)
        case committee.PlanRejected():
            # The committee examined it: a rejection is a decision too.
            plan.reach(Stage.PLAN_EXAMINED, event.rejected_on)
            plan.rejected_on = min(filter(None, (plan.rejected_on, event.rejected_on)))


def _apply_case(case: CaseFile, event: EventPayload, meta: EventMeta) -> None:
    match event:
        case intake.ReturneeRegistered():
            case.sex, case.age_band = event.sex.value, event.age_band.value
            case.vulnerabilities = sorted(v.value for v in event.vulnerabilities)
            case.region, case.commune = event.community.region, event.community.commune
            case.hold(event.caseworker or meta.actor, 0)
            if event.declared_trades:
                case.note_trade("declared", event.declared_trades[0].trade, event.arrival_date)
            case.reach(Stage.REGISTERED, event.arrival_date)
        case intake.CaseAssigned():
            case.hold(event.caseworker, event.assignment)
        case intake.CounsellingAttended():
            case.reach(Stage.COUNSELLED, event.attended_on)
        case intake.CounsellingInterviewRecorded():
            case.reach(Stage.COUNSELLED, event.interviewed_on)
        case intake.ReturneeErased():
            case.erased_on = event.erased_on
        case training.TrainingEnrolled() if event.trade:
            case.note_trade("training", event.trade, event.enrolled_on)
        case training.TrainingCompleted():
            if event.trade:
                case.note_trade("training", event.trade, event.completed_on)
            case.completions[event.cohort_id] = Completion(
                kind=event.kind.value,
                trade=event.trade,
                passed=event.passed,
                completed_on=event.completed_on,
            )
            if event.passed:  # who failed is counted apart, not as trained
                case.reach(Stage.TRAINED, event.completed_on)
        case training.SkillCertified():
            case.note_trade("certified", event.trade, event.certified_on)
            case.reach(Stage.CERTIFIED, event.certified_on)
        case procurement.KitDelivered():
            case.note_trade("kit", event.trade, event.delivered_on)
            case.reach(Stage.KIT_DELIVERED, event.delivered_on)
        case monitoring.FollowUpsScheduled():
            known = {(d.order_id, d.due_on) for d in case.due_visits}
            new = [DueVisit(order_id=event.order_id, due_on=day) for day in event.due_dates]
            case.due_visits = sorted(
                [*case.due_visits, *(d for d in new if (d.order_id, d.due_on) not in known)],
                key=lambda d: (d.due_on, str(d.order_id)),
            )
        case monitoring.FollowUpRecorded():
            case.visits[event.visit_id] = Visit(
                visited_on=event.visited_on,
                order_id=event.order_id,
                due_on=event.due_on,
                activity_running=event.activity_running,
                caseworker=event.caseworker,
            )
        case monitoring.SustainabilityScored():
            case.scores[event.survey_id] = Score(
                scored_on=event.scored_on, composite=event.composite, sustainable=event.sustainable
            )


# Events the read model folds (timeline-only events are listed in timeline.py).
FOLDED: tuple[type[EventPayload], ...] = (
    intake.ReturneeRegistered,
    intake.CaseAssigned,
    intake.CounsellingAttended,
    intake.CounsellingInterviewRecorded,
    intake.ReturneeErased,
    training.TrainingEnrolled,
    training.TrainingCompleted,
    training.SkillCertified,
    *_PLAN_EVENTS,
    procurement.KitDelivered,
    monitoring.FollowUpsScheduled,
    monitoring.FollowUpRecorded,
    monitoring.SustainabilityScored,
)
