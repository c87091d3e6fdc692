"""Kits are ordered only for an approved plan or a certified trade, once, and delivered once."""

from datetime import date
from uuid import UUID

import pytest

from procurement.domain.orders import (
    ApprovedPlan,
    Certification,
    DeliverKit,
    Handover,
    KitOrder,
    OrderForApprovedPlan,
    OrderForCertifiedTrade,
    decide_order,
    kit_order,
    order_id_for_certification,
    order_id_for_plan,
)
from procurement.domain.prices import PriceCatalogue, price_catalogue
from reintegration_contracts.events.committee import BudgetLine
from reintegration_contracts.events.procurement import (
    CatalogueItemPriced,
    DeliveredItem,
    KitDefined,
    KitItem,
    OrderBasis,
)
from reintegration_sdk.errors import InvalidField, RuleViolation

pytestmark = pytest.mark.unit

PLAN = UUID("3f9a1c1e-0d6a-4d7b-a2a8-5d0d7c1f9e01")
RETURNEE = UUID("a1b2c3d4-0000-4000-8000-000000000001")
APPROVED_ON = date(2024, 3, 1)
ORDERED_ON = date(2024, 3, 2)
TODAY = date(2024, 4, 1)

PLAN_BUDGET = (
    BudgetLine(item="sewing_machine", quantity=1, unit_cost=90_000, specified=True),
    BudgetLine(item="fabric", quantity=10, unit_cost=1_500, specified=True),
)
APPROVED = ApprovedPlan(PLAN, (RETURNEE,), "tailoring", APPROVED_ON, PLAN_BUDGET, "XOF")
TAILORING_KIT = KitDefined(
    trade="tailoring", kit_version=2, items=[KitItem(item="sewing_machine", quantity=1)]
)
CERTIFIED = Certification(RETURNEE, "tailoring", APPROVED_ON)
PRICES = price_catalogue.fold(
    [
        CatalogueItemPriced(
            item="sewing_machine", unit="piece", unit_price=85_000, supplier="S", currency="XOF"
        )
    ]
)


def order_certified(certification=CERTIFIED, kit=TAILORING_KIT, prices=PRICES, on=ORDERED_ON):
    return OrderForCertifiedTrade(RETURNEE, "tailoring", certification, kit, prices, on, TODAY)


def plan_ordered():
    return decide_order(KitOrder(), OrderForApprovedPlan(APPROVED))


def deliver(
    *items: DeliveredItem,
    basis=OrderBasis.APPROVED_PLAN,
    entitled=True,
    on=date(2024, 3, 20),
    acknowledged=True,
):
    handed = items or (
        DeliveredItem(item="sewing_machine", quantity=1, value=90_000),
        DeliveredItem(item="fabric", quantity=10, value=15_000),
    )
    return DeliverKit(basis, entitled, Handover(handed, on, acknowledged), TODAY)


def test_an_approved_plan_orders_its_approved_budget() -> None:
    [ordered] = plan_ordered()
    assert ordered.order_id == order_id_for_plan(PLAN)
    assert (ordered.basis, ordered.plan_id, ordered.trade) == (
        OrderBasis.APPROVED_PLAN,
        PLAN,
        "tailoring",
    )
    assert ordered.total == 90_000 + 10 * 1_500
    # Ordering is automatic on approval: the order carries the approval's date, not today's.
    assert (ordered.ordered_on, ordered.authorised_on) == (APPROVED_ON, APPROVED_ON)


def test_a_replayed_approval_orders_nothing_twice() -> None:
    state = kit_order.fold(plan_ordered())
    assert decide_order(state, OrderForApprovedPlan(APPROVED)) == []


def test_a_certified_trade_orders_the_current_kit_at_catalogue_prices() -> None:
    [ordered] = decide_order(KitOrder(), order_certified())
    assert ordered.order_id == order_id_for_certification(RETURNEE, "tailoring")
    assert (ordered.basis, ordered.certification_trade) == (OrderBasis.CERTIFIED_TRADE, "tailoring")
    assert ordered.beneficiary_ids == [RETURNEE]
    assert (ordered.total, ordered.currency, ordered.kit_version) == (85_000, "XOF", 2)
    assert (ordered.ordered_on, ordered.authorised_on) == (ORDERED_ON, APPROVED_ON)


@pytest.mark.parametrize(
    "on",
    [
        pytest.param(CERTIFIED.certified_on, id="the day of the certification"),
        pytest.param(TODAY, id="today"),
    ],
)
def test_a_certified_kit_is_ordered_on_the_day_the_officer_says(on) -> None:
    [ordered] = decide_order(KitOrder(), order_certified(on=on))
    assert ordered.ordered_on == on


@pytest.mark.parametrize(
    ("on", "reason"),
    [
        pytest.param(date(2024, 4, 2), "is in the future", id="in the future"),
        pytest.param(
            date(2024, 2, 29),
            "is before the certification of 2024-03-01",
            id="before the certification",
        ),
    ],
)
def test_a_certified_kit_order_date_is_refused_out_of_order(on, reason) -> None:
    with pytest.raises(InvalidField) as refused:
        decide_order(KitOrder(), order_certified(on=on))
    assert (refused.value.field, refused.value.reason) == ("ordered_on", reason)


@pytest.mark.parametrize(
    ("given", "command", "rule"),
    [
        pytest.param(
            [], order_certified(certification=None), "trade_not_certified", id="uncertified"
        ),
        pytest.param([], order_certified(kit=None), "no_kit_for_trade", id="no kit"),
        pytest.param(
            [], order_certified(prices=PriceCatalogue()), "kit_item_not_priced", id="unpriced"
        ),
        pytest.param(
            decide_order(KitOrder(), order_certified()),
            order_certified(),
            "kit_already_ordered",
            id="same certification twice",
        ),
    ],
)
def test_certified_kit_refusals(given, command, rule) -> None:
    with pytest.raises(RuleViolation) as refused:
        decide_order(kit_order.fold(given), command)
    assert refused.value.rule == rule


def test_a_delivery_records_items_values_and_acknowledgement() -> None:
    state = kit_order.fold(plan_ordered())
    [delivered] = decide_order(state, deliver())
    assert delivered.order_id == order_id_for_plan(PLAN)
    assert (delivered.total_value, delivered.currency) == (105_000, "XOF")
    assert delivered.acknowledged_by_beneficiary is True
    assert [i.item for i in delivered.items] == ["sewing_machine", "fabric"]


@pytest.mark.parametrize(
    ("given", "command", "rule"),
    [
        pytest.param([], deliver(entitled=False), "plan_not_approved", id="unapproved plan"),
        pytest.param(
            [],
            deliver(basis=OrderBasis.CERTIFIED_TRADE, entitled=False),
            "trade_not_certified",
            id="uncertified trade",
        ),
        pytest.param(
            [], deliver(basis=OrderBasis.CERTIFIED_TRADE), "kit_not_ordered", id="not ordered"
        ),
        pytest.param(
            [
                *plan_ordered(),
                *decide_order(kit_order.fold(plan_ordered()), deliver()),
            ],
            deliver(),
            "kit_already_delivered",
            id="delivered twice",
        ),
    ],
)
def test_delivery_refusals(given, command, rule) -> None:
    with pytest.raises(RuleViolation) as refused:
        decide_order(kit_order.fold(given), command)
    assert refused.value.rule == rule


@pytest.mark.parametrize(
    ("command", "field"),
    [
        pytest.param(
            deliver(acknowledged=False), "acknowledged_by_beneficiary", id="unacknowledged"
        ),
        pytest.param(deliver(on=date(2024, 4, 2)), "delivered_on", id="in the future"),
        pytest.param(deliver(on=date(2024, 2, 29)), "delivered_on", id="before the order"),
        pytest.param(
            deliver(DeliveredItem(item="iron", quantity=1, value=1)), "items.0.item", id="off order"
        ),
        pytest.param(
            deliver(DeliveredItem(item="sewing_machine", quantity=2, value=1)),
            "items.0.quantity",
            id="more than ordered",
        ),
        pytest.param(
            deliver(DeliveredItem(item="sewing_machine", quantity=1, value=1)),
            "items",
            id="fabric missing",
        ),
    ],
)
def test_delivery_input_refusals(command, field) -> None:
    state = kit_order.fold(plan_ordered())
    with pytest.raises(InvalidField) as refused:
        decide_order(state, command)
    assert refused.value.field == field
