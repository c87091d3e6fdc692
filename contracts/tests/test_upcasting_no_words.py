"""Versions that carried words read as the current ones with codes and categories instead."""

from uuid import uuid4

import pytest

from reintegration_contracts import read_payload
from reintegration_contracts.events.committee import (
    CommitteeSessionHeld,
    ConditionKind,
    InKindKind,
    PlanApproved,
    PlanBudgetReviewNoted,
    PlanRejected,
    PlanSubmitted,
    RejectionReason,
)
from reintegration_contracts.events.procurement import (
    BudgetReviewed,
    CatalogueItemPriced,
    KitDefined,
    KitDelivered,
    LineReason,
)
from reintegration_contracts.types import item_code

pytestmark = pytest.mark.unit

LOCALITY = {"region": "Centre-Est", "commune": "Tenkodogo"}
WORDS = ("Awa", "cousin", "treadle", "Mairie", "saturated", "savings bank", "workshop")


def _no_words(payload: object) -> None:
    text = payload.model_dump_json()  # type: ignore[attr-defined]
    assert not [w for w in WORDS if w in text]


def test_item_codes_are_the_words_made_a_code() -> None:
    assert item_code("Sewing  machine") == "sewing_machine"
    assert item_code("Drinker and feeder set") == item_code("drinker-and-feeder SET")
    assert item_code("Pièce détachée") == "piece_detachee"
    assert item_code("4x4 tyre") == "item_4x4_tyre"


def test_plan_submitted_v1_reads_without_its_activity_and_specifications() -> None:
    stored = {
        "plan_id": str(uuid4()),
        "kind": "individual",
        "beneficiary_ids": [str(uuid4())],
        "sector": "crafts",
        "trade": "tailoring",
        "activity": "Awa's workshop, by her cousin's house",
        "locality": LOCALITY,
        "budget_lines": [
            {
                "item": "Sewing machine",
                "quantity": 1,
                "unit_cost": 95000,
                "specification": "Manual treadle",
            },
            {"item": "fabric roll", "quantity": 2, "unit_cost": 22000, "specification": None},
        ],
        "in_kind_contribution": [{"description": "workshop at Awa's", "value": 50000}],
        "currency": "XOF",
        "submitted_on": "2018-03-02",
    }
    plan = read_payload("PlanSubmitted", 1, stored)
    assert isinstance(plan, PlanSubmitted)
    assert [(line.item, line.specified) for line in plan.budget_lines] == [
        ("sewing_machine", True),
        ("fabric_roll", False),
    ]
    assert [part.kind for part in plan.in_kind_contribution] == [InKindKind.OTHER]
    _no_words(plan)


def test_decisions_and_sessions_v1_read_with_categories() -> None:
    ids = {"plan_id": str(uuid4()), "session_id": str(uuid4())}
    rejected = read_payload(
        "PlanRejected", 1, {**ids, "rejected_on": "2018-04-02", "reasons": ["Market saturated"]}
    )
    assert isinstance(rejected, PlanRejected) and rejected.reasons == [RejectionReason.OTHER]
    approved = read_payload(
        "PlanApproved",
        1,
        {
            **ids,
            "kind": "individual",
            "beneficiary_ids": [str(uuid4())],
            "trade": "tailoring",
            "locality": LOCALITY,
            "approved_on": "2018-04-02",
            "approved_budget": [{"item": "Sewing machine", "quantity": 1, "unit_cost": 95000}],
            "approved_total": 95000,
            "amended": True,
            "conditions": ["Account at the savings bank", "Visit Awa first"],
            "currency": "XOF",
        },
    )
    assert isinstance(approved, PlanApproved)
    assert approved.conditions == [ConditionKind.OTHER]
    assert approved.approved_budget[0].item == "sewing_machine"
    held = read_payload(
        "CommitteeSessionHeld",
        1,
        {
            "session_id": ids["session_id"],
            "locality": LOCALITY,
            "held_on": "2018-04-02",
            "members": [
                {"role": "local_authority", "organisation": "Mairie"},
                {"role": "civil_society", "organisation": "Awa's association"},
                {"role": "technical_expert", "organisation": "ANPE"},
            ],
        },
    )
    assert isinstance(held, CommitteeSessionHeld)
    assert [m.role.value for m in held.members] == [
        "local_authority",
        "civil_society",
        "technical_expert",
    ]
    for payload in (rejected, approved, held):
        _no_words(payload)


def test_a_noted_review_v1_reads_its_categories_back() -> None:
    noted = read_payload(
        "PlanBudgetReviewNoted",
        1,
        {
            "plan_id": str(uuid4()),
            "review_id": str(uuid4()),
            "revision": 1,
            "reviewed_on": "2018-03-10",
            "reviewed_total": 95000,
            "flagged_lines": 1,
            "submitted_total": 120000,
            "lines": [
                {
                    "item": "Sewing machine",
                    "quantity": 1,
                    "submitted_unit_cost": 120000,
                    "reviewed_unit_cost": 95000,
                    "flags": ["above_catalogue_price"],
                    "reason": "above catalogue price; adjusted to catalogue price",
                },
                {
                    "item": "Iron",
                    "quantity": 1,
                    "submitted_unit_cost": 1,
                    "reviewed_unit_cost": 1,
                    "reason": "Awa said so",
                },
            ],
        },
    )
    assert isinstance(noted, PlanBudgetReviewNoted)
    assert [line.reasons for line in noted.lines] == [
        [LineReason.ABOVE_CATALOGUE_PRICE, LineReason.ADJUSTED_TO_CATALOGUE_PRICE],
        [LineReason.OTHER],
    ]
    _no_words(noted)


def test_procurement_v1_items_read_as_catalogue_codes() -> None:
    priced = read_payload(
        "CatalogueItemPriced",
        1,
        {
            "item": "Sewing machine",
            "unit": "Piece",
            "unit_price": 95000,
            "supplier": "Quincaillerie du Centre",
            "currency": "XOF",
        },
    )
    assert isinstance(priced, CatalogueItemPriced)
    assert (priced.item, priced.unit) == ("sewing_machine", "piece")
    kit = read_payload(
        "KitDefined",
        1,
        {
            "trade": "tailoring",
            "kit_version": 1,
            "items": [{"item": "Sewing machine", "quantity": 1}],
        },
    )
    assert isinstance(kit, KitDefined) and kit.items[0].item == "sewing_machine"
    delivered = read_payload(
        "KitDelivered",
        1,
        {
            "order_id": str(uuid4()),
            "basis": "approved_plan",
            "plan_id": str(uuid4()),
            "beneficiary_ids": [str(uuid4())],
            "trade": "tailoring",
            "delivered_on": "2018-05-01",
            "items": [{"item": "Fabric roll", "quantity": 2, "value": 44000}],
            "total_value": 44000,
            "currency": "XOF",
            "acknowledged_by_beneficiary": True,
        },
    )
    assert isinstance(delivered, KitDelivered) and delivered.items[0].item == "fabric_roll"


def test_budget_reviewed_v2_reads_as_v3_with_a_flag_for_the_specification() -> None:
    line = {
        "item": "Sewing machine",
        "quantity": 1,
        "submitted_unit_cost": 95000,
        "reviewed_unit_cost": 95000,
        "specification": "Manual treadle, Awa's choice",
    }
    review = read_payload(
        "BudgetReviewed",
        2,
        {
            "review_id": str(uuid4()),
            "plan_id": str(uuid4()),
            "revision": 1,
            "reviewed_on": "2018-03-10",
            "reviewer": "automatic",
            "lines": [line, {**line, "item": "iron", "specification": None}],
            "submitted_total": 190000,
            "reviewed_total": 190000,
            "currency": "XOF",
        },
    )
    assert isinstance(review, BudgetReviewed)
    assert [(x.item, x.specified) for x in review.lines] == [
        ("sewing_machine", True),
        ("iron", False),
    ]
    _no_words(review)
