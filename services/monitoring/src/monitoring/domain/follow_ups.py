"""A returnee's follow-ups: pure decisions over the stream `follow-ups-<returnee id>`.

A returnee's follow-up stream starts when a kit is delivered: visits fall due at the office's
offsets after the delivery. A visit fulfils the earliest scheduled visit still open, so an early
or late visit is still counted against the schedule rather than leaving a hole in it.
"""

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from uuid import UUID

from monitoring.domain.sustainability import ScoringConfig, score_survey
from reintegration_contracts import EventPayload
from reintegration_contracts.events.monitoring import (
    FollowUpRecorded,
    FollowUpsScheduled,
    IncomeBand,
    SustainabilityScored,
)
from reintegration_sdk import Decider, InvalidField, RuleViolation

_BAND_ORDER = [IncomeBand.NONE, IncomeBand.LOW, IncomeBand.MEDIUM, IncomeBand.HIGH]


def follow_up_stream(returnee_id: UUID) -> str:
    return f"follow-ups-{returnee_id}"


@dataclass(frozen=True)
class Delivery:
    order_id: UUID
    delivered_on: date
    due_dates: tuple[date, ...]


@dataclass(frozen=True)
class FollowUps:
    deliveries: tuple[Delivery, ...] = ()
    fulfilled: frozenset[tuple[UUID, date]] = frozenset()
    visit_ids: frozenset[UUID] = frozenset()
    survey_ids: frozenset[UUID] = frozenset()

    def delivery_before(self, day: date) -> Delivery | None:
        """The latest delivery on or before `day`: the activity a visit that day looks at."""
        candidates = [d for d in self.deliveries if d.delivered_on <= day]
        return max(candidates, key=lambda d: d.delivered_on, default=None)

    def first_open_visit(self, delivery: Delivery) -> date | None:
        open_dates = [d for d in delivery.due_dates if (delivery.order_id, d) not in self.fulfilled]
        return min(open_dates, default=None)


@dataclass(frozen=True)
class ScheduleFollowUps:
    returnee_id: UUID
    order_id: UUID
    trade: str
    delivered_on: date
    offsets_days: tuple[int, ...]


@dataclass(frozen=True)
class RecordFollowUp:
    visit_id: UUID
    returnee_id: UUID
    visited_on: date
    activity_running: bool
    monthly_revenue_band: IncomeBand
    monthly_profit_band: IncomeBand
    jobs_created: int
    support_needed: bool
    support_kinds: tuple[str, ...]
    satisfaction: int
    caseworker: str
    today: date


@dataclass(frozen=True)
class ScoreSustainability:
    survey_id: UUID
    returnee_id: UUID
    scored_on: date
    config: ScoringConfig
    answers: dict[str, str] = field(default_factory=dict)
    today: date = field(default_factory=date.today)


Command = ScheduleFollowUps | RecordFollowUp | ScoreSustainability


def decide(state: FollowUps, command: Command) -> list[EventPayload]:
    if isinstance(command, ScheduleFollowUps):
        return _schedule(state, command)
    if isinstance(command, RecordFollowUp):
        return _record_visit(state, command)
    return _score(state, command)


def _schedule(state: FollowUps, command: ScheduleFollowUps) -> list[EventPayload]:
    # A redelivered or replayed KitDelivered must not schedule the same visits twice.
    if any(d.order_id == command.order_id for d in state.deliveries):
        return []
    due = [command.delivered_on + timedelta(days=n) for n in command.offsets_days]
    return [
        FollowUpsScheduled(
            returnee_id=command.returnee_id,
            order_id=command.order_id,
            trade=command.trade,
            delivered_on=command.delivered_on,
            due_dates=due,
        )
    ]


def _record_visit(state: FollowUps, command: RecordFollowUp) -> list[EventPayload]:
    if command.visit_id in state.visit_ids:
        raise RuleViolation("visit_already_recorded", "This visit has already been recorded.")
    if command.visited_on > command.today:
        raise InvalidField("visited_on", "a visit cannot be recorded before it happens")
    if command.support_needed and not command.support_kinds:
        raise InvalidField("support_kinds", "name at least one kind of support needed")
    if not command.support_needed and command.support_kinds:
        raise InvalidField("support_kinds", "must be empty when no support is needed")
    if _BAND_ORDER.index(command.monthly_profit_band) > _BAND_ORDER.index(
        command.monthly_revenue_band
    ):
        raise InvalidField("monthly_profit_band", "profit cannot be above revenue")
    delivery = _activity_on(state, command.visited_on, "visit")
    return [
        FollowUpRecorded(
            visit_id=command.visit_id,
            returnee_id=command.returnee_id,
            order_id=delivery.order_id,
            due_on=state.first_open_visit(delivery),
            visited_on=command.visited_on,
            activity_running=command.activity_running,
            monthly_revenue_band=command.monthly_revenue_band,
            monthly_profit_band=command.monthly_profit_band,
            jobs_created=command.jobs_created,
            support_needed=command.support_needed,
            support_kinds=list(command.support_kinds),
            satisfaction=command.satisfaction,
            caseworker=command.caseworker,
        )
    ]


def _score(state: FollowUps, command: ScoreSustainability) -> list[EventPayload]:
    if command.survey_id in state.survey_ids:
        raise RuleViolation("survey_already_scored", "This survey has already been scored.")
    if command.scored_on > command.today:
        raise InvalidField("scored_on", "a survey cannot be scored before it is held")
    _activity_on(state, command.scored_on, "survey")
    scores = score_survey(command.config, command.answers)
    return [
        SustainabilityScored(
            survey_id=command.survey_id,
            returnee_id=command.returnee_id,
            scored_on=command.scored_on,
            scoring_config=command.config.reference,
            economic=scores.economic,
            social=scores.social,
            psychosocial=scores.psychosocial,
            composite=scores.composite,
            sustainable=scores.sustainable,
        )
    ]


def _activity_on(state: FollowUps, day: date, what: str) -> Delivery:
    """Follow-ups look at an activity started with a kit: no kit, nothing to follow."""
    if not state.deliveries:
        raise RuleViolation(
            "no_kit_delivered",
            f"No kit has been delivered to this returnee: there is no activity to {what} yet.",
        )
    delivery = state.delivery_before(day)
    if delivery is None:
        first = min(d.delivered_on for d in state.deliveries)
        raise RuleViolation(
            f"{what}_before_delivery",
            f"The {what} is dated before the kit was delivered on {first.isoformat()}.",
        )
    return delivery


def evolve(state: FollowUps, event: EventPayload) -> FollowUps:
    if isinstance(event, FollowUpsScheduled):
        delivery = Delivery(event.order_id, event.delivered_on, tuple(event.due_dates))
        return replace(state, deliveries=(*state.deliveries, delivery))
    if isinstance(event, FollowUpRecorded):
        fulfilled = state.fulfilled
        if event.order_id is not None and event.due_on is not None:
            fulfilled = fulfilled | {(event.order_id, event.due_on)}
        return replace(state, fulfilled=fulfilled, visit_ids=state.visit_ids | {event.visit_id})
    if isinstance(event, SustainabilityScored):
        return replace(state, survey_ids=state.survey_ids | {event.survey_id})
    return state


follow_ups: Decider[FollowUps, Command, EventPayload] = Decider(
    initial=FollowUps(), evolve=evolve, decide=decide
)
