"""Stream ids: one per office catalogue, trade kit, plan review, and kit entitlement.

A kit order's stream is named by what entitles it (the plan, or the returnee's certified
trade), so the same entitlement can never hold two orders.
"""

from uuid import UUID


def price_catalogue(country_office: str) -> str:
    return f"price-catalogue-{country_office}"


def trade_kit(country_office: str, trade: str) -> str:
    return f"kit-{country_office}-{trade}"


def budget_review(plan_id: UUID) -> str:
    return f"budget-review-{plan_id}"


def plan_kit_order(plan_id: UUID) -> str:
    return f"kit-order-plan-{plan_id}"


def certified_kit_order(returnee_id: UUID, trade: str) -> str:
    return f"kit-order-certified-{returnee_id}-{trade}"
