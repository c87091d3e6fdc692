"""Object mothers: upstream and own events with sensible defaults, and envelope facts."""

from datetime import UTC, date, datetime
from uuid import UUID, uuid4

from reintegration_contracts.events import committee, intake, monitoring, procurement, training
from reintegration_contracts.registry import EventPayload
from reintegration_contracts.types import AgeBand, Locality, ReturnType, Sex, Vulnerability
from reintegration_sdk.events import EventMeta

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


def plan_submitted(
    plan_id: UUID, beneficiaries: list[UUID], on: date, trade: str = "tailoring"
) -> committee.PlanSubmitted:
    return committee.PlanSubmitted(
        plan_id=plan_id,
        kind="collective" if len(beneficiaries) > 1 else "individual",
        beneficiary_ids=beneficiaries,
        sector="crafts",
        trade=trade,
        activity="A tailoring shop",
        locality=TENKODOGO,
        budget_lines=[{"item": "sewing machine", "quantity": 1, "unit_cost": 90000}],
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
                "item": "sewing machine",
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
        approved_budget=[{"item": "sewing machine", "quantity": 1, "unit_cost": 90000}],
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
        items=[{"item": "sewing machine", "quantity": 1, "value": 90000}],
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
