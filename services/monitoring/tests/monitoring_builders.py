"""Object mothers: upstream and own events with sensible defaults, and envelope facts."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from uuid import UUID, uuid4

from reintegration_contracts import EventEnvelope
from reintegration_contracts.events import committee, intake, monitoring, procurement, training
from reintegration_contracts.registry import EventPayload
from reintegration_contracts.types import AgeBand, Locality, ReturnType, Sex, Vulnerability
from reintegration_sdk.events import EventMeta
from reintegration_sdk.testing.service import upstream_event

TENKODOGO = Locality(region="Centre-Est", commune="Tenkodogo")


def meta(event: EventPayload, office: str = "bf", actor: str = "caseworker-1") -> EventMeta:
    return EventMeta(
        event_id=uuid4(),
        event_name=event.event_name,
        stream_id="test",
        country_office=office,
        actor=actor,
        correlation_id="c",
        causation_id=None,
        traceparent=None,
        time=datetime(2024, 6, 1, tzinfo=UTC),
    )


def registered(
    returnee_id: UUID,
    arrival: date,
    sex: Sex = Sex.FEMALE,
    trade: str | None = "tailoring",
    vulnerabilities: tuple[Vulnerability, ...] = (),
    community: Locality = TENKODOGO,
) -> intake.ReturneeRegistered:
    return intake.ReturneeRegistered(
        returnee_id=returnee_id,
        arrival_date=arrival,
        return_type=ReturnType.ASSISTED_VOLUNTARY,
        community=community,
        sex=sex,
        age_band=AgeBand.AGE_25_34,
        is_minor=False,
        vulnerabilities=list(vulnerabilities),
        declared_trades=[{"trade": trade, "years_of_experience": 2}] if trade else [],
        household_size=4,
    )


def counselled(returnee_id: UUID, on: date) -> intake.CounsellingAttended:
    return intake.CounsellingAttended(
        returnee_id=returnee_id, session_id=uuid4(), attended_on=on, days_since_arrival=30
    )


def certified(returnee_id: UUID, on: date, trade: str = "tailoring") -> training.SkillCertified:
    return training.SkillCertified(
        returnee_id=returnee_id,
        trade=trade,
        level="basic",
        route="assessment",
        centre_id=uuid4(),
        certified_on=on,
    )


def completed(
    returnee_id: UUID,
    on: date,
    passed: bool,
    trade: str | None = None,
    cohort_id: UUID | None = None,
) -> training.TrainingCompleted:
    """A course's end: vocational in `trade` (with an exam), else entrepreneurship."""
    return training.TrainingCompleted(
        cohort_id=cohort_id or uuid4(),
        returnee_id=returnee_id,
        kind="vocational" if trade else "entrepreneurship",
        trade=trade,
        completed_on=on,
        exam_score=(70 if passed else 30) if trade else None,
        passed=passed,
        days_attended=5 if passed or trade else 2,
    )


def plan_submitted(
    plan_id: UUID, beneficiaries: list[UUID], on: date, trade: str = "tailoring"
) -> committee.PlanSubmitted:
    return committee.PlanSubmitted(
        plan_id=plan_id,
        kind="collective" if len(beneficiaries) > 1 else "individual",
        beneficiary_ids=beneficiaries,
        sector="crafts",
        trade=trade,
        locality=TENKODOGO,
        budget_lines=[{"item": "sewing_machine", "quantity": 1, "unit_cost": 90000}],
        currency="XOF",
        submitted_on=on,
    )


def plan_reviewed(plan_id: UUID, on: date) -> committee.PlanBudgetReviewNoted:
    return committee.PlanBudgetReviewNoted(
        plan_id=plan_id,
        review_id=uuid4(),
        revision=1,
        reviewed_on=on,
        reviewed_total=90000,
        flagged_lines=0,
        submitted_total=90000,
        lines=[
            {
                "item": "sewing_machine",
                "quantity": 1,
                "submitted_unit_cost": 90000,
                "reviewed_unit_cost": 90000,
            }
        ],
    )


def plan_approved(
    plan_id: UUID, beneficiaries: list[UUID], on: date, trade: str = "tailoring"
) -> committee.PlanApproved:
    return committee.PlanApproved(
        plan_id=plan_id,
        session_id=uuid4(),
        kind="collective" if len(beneficiaries) > 1 else "individual",
        beneficiary_ids=beneficiaries,
        trade=trade,
        locality=TENKODOGO,
        approved_on=on,
        approved_budget=[{"item": "sewing_machine", "quantity": 1, "unit_cost": 90000}],
        approved_total=90000,
        currency="XOF",
    )


def kit_delivered(
    beneficiaries: list[UUID], on: date, trade: str = "tailoring", order_id: UUID | None = None
) -> procurement.KitDelivered:
    return procurement.KitDelivered(
        order_id=order_id or uuid4(),
        basis="approved_plan",
        plan_id=uuid4(),
        beneficiary_ids=beneficiaries,
        trade=trade,
        delivered_on=on,
        items=[{"item": "sewing_machine", "quantity": 1, "value": 90000}],
        total_value=90000,
        currency="XOF",
        acknowledged_by_beneficiary=True,
    )


def scheduled(
    returnee_id: UUID, order_id: UUID, delivered: date, due: list[date]
) -> monitoring.FollowUpsScheduled:
    return monitoring.FollowUpsScheduled(
        returnee_id=returnee_id,
        order_id=order_id,
        trade="tailoring",
        delivered_on=delivered,
        due_dates=due,
    )


def visit(
    returnee_id: UUID,
    order_id: UUID | None,
    due_on: date | None,
    on: date,
    visit_id: UUID | None = None,
) -> monitoring.FollowUpRecorded:
    return monitoring.FollowUpRecorded(
        visit_id=visit_id or uuid4(),
        returnee_id=returnee_id,
        order_id=order_id,
        due_on=due_on,
        visited_on=on,
        activity_running=True,
        monthly_revenue_band="medium",
        monthly_profit_band="low",
        jobs_created=1,
        support_needed=False,
        satisfaction=4,
        caseworker="caseworker-1",
    )


def scored(
    returnee_id: UUID, on: date, sustainable: bool, composite: float = 0.6
) -> monitoring.SustainabilityScored:
    return monitoring.SustainabilityScored(
        survey_id=uuid4(),
        returnee_id=returnee_id,
        scored_on=on,
        scoring_config="standard@1",
        economic=composite,
        social=composite,
        psychosocial=composite,
        composite=composite,
        sustainable=sustainable,
    )


@dataclass(frozen=True)
class Programme:
    """What the integration tests publish upstream: four returnees in the office, one in the
    other office; a collective plan and kit for two of them, delivered 100 days ago."""

    amina: UUID
    boukary: UUID
    claire: UUID
    dramane: UUID
    elsewhere: UUID
    plan: UUID
    order: UUID
    delivered_on: date
    caseworker: str


def a_programme() -> Programme:
    today = date.today()
    return Programme(
        *(uuid4() for _ in range(7)), delivered_on=today - timedelta(days=100), caseworker="cw-awa"
    )


def programme_envelopes(p: Programme, office: str, other_office: str) -> list[EventEnvelope]:
    start = p.delivered_on - timedelta(days=120)

    def on(days: int) -> date:
        return start + timedelta(days=days)

    def intake(payload: EventPayload, returnee: UUID) -> EventEnvelope:
        return upstream_event(payload, office, f"returnee-{returnee}", actor=p.caseworker)

    plan = f"plan-{p.plan}"
    return [
        intake(registered(p.amina, on(0), vulnerabilities=(Vulnerability.SINGLE_PARENT,)), p.amina),
        intake(registered(p.boukary, on(2), sex=Sex.MALE, trade="welding"), p.boukary),
        intake(registered(p.claire, on(4), trade=None), p.claire),
        intake(registered(p.dramane, on(6), sex=Sex.MALE), p.dramane),
        upstream_event(registered(p.elsewhere, on(0)), other_office, f"returnee-{p.elsewhere}"),
        intake(counselled(p.amina, on(30)), p.amina),
        intake(counselled(p.boukary, on(40)), p.boukary),
        intake(counselled(p.claire, on(34)), p.claire),
        upstream_event(completed(p.claire, on(50), False), office, f"cohort-{p.claire}"),
        upstream_event(
            completed(p.boukary, on(60), True, "welding"), office, f"cohort-{p.boukary}"
        ),
        upstream_event(
            completed(p.dramane, on(60), False, "welding"), office, f"cohort-{p.dramane}"
        ),
        upstream_event(certified(p.boukary, on(60), "welding"), office, f"cert-{p.boukary}"),
        upstream_event(plan_submitted(p.plan, [p.amina, p.boukary], on(70)), office, plan),
        upstream_event(plan_reviewed(p.plan, on(80)), office, plan),
        upstream_event(plan_approved(p.plan, [p.amina, p.boukary], on(95)), office, plan),
        upstream_event(
            kit_delivered([p.amina, p.boukary], p.delivered_on, order_id=p.order),
            office,
            f"order-{p.order}",
        ),
    ]
