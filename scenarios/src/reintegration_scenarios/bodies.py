"""JSON bodies of the commands an office sends, built from the script (pure, no I/O)."""

from datetime import date, timedelta
from typing import Any

from reintegration_scenarios.scenario import CataloguePrice, Centre, Daycare, KitLine, Scenario
from reintegration_scenarios.script import (
    Cohort,
    CommitteeSession,
    CounsellingSession,
    Decision,
    Fate,
    Plan,
    Returnee,
    SurveyTaken,
    Visit,
)

Body = dict[str, Any]


def daily_allowance(s: Scenario, effective_from: date) -> Body:
    return {
        "daily_amount": s.training.daily_allowance,
        "currency": s.currency,
        "effective_from": str(effective_from),
    }


def centre(c: Centre) -> Body:
    return {"name": c.name, "city": c.city, "trades": c.trades, "capacity": c.capacity}


def inspection(on: date) -> Body:
    return {"inspected_on": str(on), "equipment_adequate": True, "trainers_qualified": True}


def contract(office: str, index: int, valid_from: date, until: date) -> Body:
    return {
        "contract_reference": f"{office.upper()}-CFP-{index + 1:03d}",
        "valid_from": str(valid_from),
        "valid_until": str(until + timedelta(days=365)),
    }


def price(item: str, p: CataloguePrice, currency: str) -> Body:
    return {
        "item": item,
        "unit": p.unit,
        "unit_price": p.unit_price,
        "supplier": p.supplier,
        "currency": currency,
    }


def kit(lines: list[KitLine]) -> Body:
    return {"items": [{"item": line.item, "quantity": line.quantity} for line in lines]}


def kit_endorsement(on: date) -> Body:
    return {"reviewed_on": str(on), "endorsed": True}


def daycare(c: Cohort, d: Daycare, returnee_id: str) -> Body:
    return {
        "returnee_id": returnee_id,
        "daily_amount": d.daily_amount,
        "granted_on": str(c.enrolled_on),
    }


def registration(r: Returnee) -> Body:
    return {
        "arrival_date": str(r.arrival),
        "return_type": r.return_type.value,
        "community": r.locality.model_dump(),
        "sex": r.sex.value,
        "person": {
            "given_names": r.given_names,
            "family_name": r.family_name,
            "birth_date": str(r.birth_date),
            "phone": r.phone,
            "address": f"{r.locality.commune}, secteur {r.key % 30 + 1}",
            "identity_document": {"kind": "national_id", "number": r.document},
        },
        "vulnerabilities": [v.value for v in r.vulnerabilities],
        "declared_trades": [{"trade": r.declared_trade, "years_of_experience": 2}]
        if r.declared_trade
        else [],
        "household_size": r.household_size,
    }


def namesake_override() -> Body:
    return {"reason": "namesake", "note": "Checked the documents: a different person."}


def counselling_session(s: Scenario, session: CounsellingSession, ids: dict[int, str]) -> Body:
    return {
        "held_on": str(session.held_on),
        "community": session.locality.model_dump(),
        "experts_present": [e.model_dump() for e in s.counselling.experts],
        "local_authorities_present": s.counselling.local_authorities_present,
        "civil_society_present": s.counselling.civil_society_present,
        "participant_ids": [ids[p] for p in session.participants],
    }


def interview(r: Returnee) -> Body:
    return {
        "interviewed_on": str(r.interviewed_on),
        "skills": [r.declared_trade] if r.declared_trade else [],
        "years_of_experience": 2 if r.declared_trade else 0,
        "aspirations": ["own_business"] if r.track.value == "entrepreneurship" else [],
        "intended_track": r.track.value,
    }


def cohort(c: Cohort, centre_id: str | None) -> Body:
    if c.trade is None:
        return {
            "kind": "entrepreneurship",
            "locality": c.locality.model_dump(),
            "start_date": str(c.start),
            "capacity": len(c.members),
        }
    return {
        "kind": "vocational",
        "trade": c.trade,
        "centre_id": centre_id,
        "locality": c.locality.model_dump(),
        "start_date": str(c.start),
        "duration_days": c.duration_days,
        "capacity": len(c.members),
    }


def attendance(c: Cohort, day: date, ids: dict[int, str]) -> Body:
    return {
        "day": str(day),
        "marks": [{"returnee_id": ids[m], "present": day in c.present[m]} for m in c.members],
    }


def completion(c: Cohort, member: int, returnee_id: str) -> Body:
    body: Body = {"returnee_id": returnee_id, "completed_on": str(c.end)}
    if c.trade is not None:
        body["exam_score"] = c.exam_scores[member]
    return body


def plan(s: Scenario, p: Plan, ids: dict[int, str]) -> Body:
    assert s.business_plans is not None, "a business plan in a programme without plans"
    return {
        "kind": "individual" if len(p.members) == 1 else "collective",
        "beneficiary_ids": [ids[m] for m in p.members],
        "sector": p.sector,
        "trade": p.trade,
        "activity": p.activity,
        "locality": p.locality.model_dump(),
        "budget_lines": [
            {
                "item": line.item,
                "quantity": line.quantity,
                "unit_cost": line.unit_cost,
                "specification": line.specification,
            }
            for line in p.lines
        ],
        "in_kind_contribution": [
            {
                "kind": s.business_plans.trades[p.trade].in_kind_kind.value,
                "description": p.in_kind[0],
                "value": p.in_kind[1],
            }
        ],
        "currency": s.currency,
        "submitted_on": str(p.submitted_on),
    }


def committee_session(s: Scenario, session: CommitteeSession) -> Body:
    assert s.committee is not None, "a committee session in a programme without committees"
    return {
        "locality": session.locality.model_dump(),
        "held_on": str(session.held_on),
        "members": [m.model_dump() for m in s.committee.members],
    }


def decision(d: Decision, session_id: str) -> tuple[str, Body]:
    """The route (approval, rejection, amendment) and its body."""
    # The categories are what the events carry; the committee's words stay in its database.
    if d.fate is Fate.REJECTED:
        return "rejection", {
            "session_id": session_id,
            "reasons": [r.reason.value for r in d.reasons],
            "note": "; ".join(r.words for r in d.reasons),
        }
    if d.fate is Fate.AMENDED:
        return "amendment", {
            "session_id": session_id,
            "conditions": [c.condition.value for c in d.conditions],
            "note": "; ".join(c.words for c in d.conditions),
        }
    return "approval", {"session_id": session_id}


def delivery(order: Body, delivered_on: date) -> Body:
    """Everything on the order, handed over and acknowledged."""
    return {
        "delivered_on": str(delivered_on),
        "items": [
            {
                "item": line["item"],
                "quantity": line["quantity"],
                "value": line["quantity"] * line["unit_price"],
            }
            for line in order["lines"]
        ],
        "acknowledged_by_beneficiary": True,
    }


def follow_up(action: Visit | SurveyTaken) -> tuple[str, Body]:
    """The route (follow-ups, sustainability-surveys) and its body."""
    if isinstance(action, SurveyTaken):
        return "sustainability-surveys", {
            "scored_on": str(action.scored_on),
            "answers": action.survey.answers,
        }
    running = action.activity_running
    return "follow-ups", {
        "visited_on": str(action.visited_on),
        "activity_running": running,
        "monthly_revenue_band": "medium" if running else "none",
        "monthly_profit_band": "low" if running else "none",
        "jobs_created": 1 if running and action.returnee % 4 == 0 else 0,
        "support_needed": not running,
        "support_kinds": [] if running else ["business_coaching"],
        "satisfaction": 4 if running else 2,
    }
