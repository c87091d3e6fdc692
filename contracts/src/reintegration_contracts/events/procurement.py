"""Events published by procurement: catalogues, budget reviews, orders and deliveries.

Items travel as catalogue codes (`ItemCode`), the key of the office's price catalogue; an
item's name in words, a line's specification, an officer's note and reasons and what returnee
representatives said stay in procurement's database (the newest version of each event; older
versions carried the words and are upcast with the words dropped).
"""

from datetime import date
from enum import StrEnum
from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from reintegration_contracts.classification import classified
from reintegration_contracts.registry import EventPayload, event, upcaster
from reintegration_contracts.topics import Domain
from reintegration_contracts.types import Amount, ItemCode, PartnerId, ReturneeId, Trade, item_code

Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", examples=["XOF"])]
UnitCode = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,29}$", examples=["piece", "kg", "bag"])]


def unit_code(words: str) -> str:
    """'Piece' -> 'piece', '50 kg bag' -> 'item_50_kg_bag'[:30]: a unit as a code."""
    return item_code(words)[:30].rstrip("_")


@classified(free_text="item unit", amount="unit_price", reference="supplier", category="currency")
@event("CatalogueItemPriced", 1, Domain.PROCUREMENT)
class CatalogueItemPricedV1(EventPayload):
    """First version: named the item and its unit in words; v2 carries codes."""

    item: str = Field(min_length=1, max_length=120)
    unit: str = Field(min_length=1, max_length=30, examples=["piece", "kg"])
    unit_price: Amount
    supplier: str = Field(min_length=1, max_length=120)
    currency: str = Field(pattern=r"^[A-Z]{3}$")


@classified(amount="tolerance_percent")
@event("PriceToleranceSet", 1, Domain.PROCUREMENT)
class PriceToleranceSet(EventPayload):
    """How far above the catalogue price a budget line may go before the review flags it."""

    tolerance_percent: int = Field(ge=0, le=100, examples=[10])


@classified(free_text="item", count="quantity")
class KitItemV1(BaseModel):
    model_config = ConfigDict(frozen=True)

    item: str = Field(min_length=1, max_length=120)
    quantity: int = Field(ge=1, le=10_000)


@classified(category="trade", count="kit_version", nested="items")
@event("KitDefined", 1, Domain.PROCUREMENT)
class KitDefinedV1(EventPayload):
    """First version: named the items in words; v2 carries catalogue codes."""

    trade: Trade
    kit_version: int = Field(ge=1)
    items: list[KitItemV1] = Field(min_length=1)


@classified(
    category="trade", count="kit_version", date="reviewed_on", flag="endorsed", free_text="feedback"
)
@event("KitReviewedByReturnees", 1, Domain.PROCUREMENT)
class KitReviewedByReturneesV1(EventPayload):
    """First version: carried the representatives' words, which may name people; v2 carries
    categories, the words stay in procurement's database."""

    trade: Trade
    kit_version: int = Field(ge=1)
    reviewed_on: date
    endorsed: bool
    feedback: list[str] = Field(default_factory=list)


class KitFeedback(StrEnum):
    """What returnee representatives asked of a kit, as a category (their words stay local)."""

    ITEM_MISSING = "item_missing"
    ITEM_NOT_NEEDED = "item_not_needed"
    QUANTITY_TOO_LOW = "quantity_too_low"
    QUANTITY_TOO_HIGH = "quantity_too_high"
    QUALITY_TOO_LOW = "quality_too_low"
    OTHER = "other"


@classified(
    category="trade feedback",
    count="kit_version",
    date="reviewed_on",
    flag="endorsed",
    identifier="review_id",
)
@event("KitReviewedByReturnees", 2, Domain.PROCUREMENT)
class KitReviewedByReturnees(EventPayload):
    """Returnee representatives reviewed a kit version: endorsed, or what they want changed."""

    trade: Trade
    kit_version: int = Field(ge=1)
    reviewed_on: date
    endorsed: bool
    feedback: list[KitFeedback] = Field(
        default_factory=list, description="What they asked for, as categories; no free text"
    )
    review_id: UUID | None = Field(
        default=None, description="Names the review; None for reviews recorded as v1"
    )


@upcaster("KitReviewedByReturnees", from_version=1)
def _kit_reviewed_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    # The words are dropped: what they asked for is no longer known, only that they asked.
    data["feedback"] = [KitFeedback.OTHER.value] if data.get("feedback") else []
    return data


class ReviewFlag(StrEnum):
    ABOVE_CATALOGUE_PRICE = "above_catalogue_price"
    MISSING_SPECIFICATION = "missing_specification"
    NOT_IN_CATALOGUE = "not_in_catalogue"


@classified(
    free_text="item reason specification",
    count="quantity",
    amount="submitted_unit_cost reviewed_unit_cost catalogue_unit_price",
    category="flags",
)
class ReviewedLineV1(BaseModel):
    model_config = ConfigDict(frozen=True)

    item: str
    quantity: int = Field(ge=1)
    submitted_unit_cost: Amount
    reviewed_unit_cost: Amount
    catalogue_unit_price: Amount | None = None
    flags: list[ReviewFlag] = Field(default_factory=list)
    reason: str | None = Field(default=None, description="Why the line was flagged or adjusted")
    specification: str | None = Field(default=None, description="What exactly is to be bought")


class LineReason(StrEnum):
    """Why a budget line was flagged or its cost changed, as a category."""

    NOT_IN_CATALOGUE = "not_in_catalogue"
    PRICED_IN_ANOTHER_CURRENCY = "priced_in_another_currency"
    ABOVE_CATALOGUE_PRICE = "above_catalogue_price"
    MISSING_SPECIFICATION = "missing_specification"
    ADJUSTED_TO_CATALOGUE_PRICE = "adjusted_to_catalogue_price"
    OTHER = "other"


class AdjustmentReason(StrEnum):
    """Why an officer overrode a line, as a category (the officer's words stay local)."""

    MARKET_PRICE_CHECKED = "market_price_checked"
    SUPPLIER_QUOTE = "supplier_quote"
    SPECIFICATION_COMPLETED = "specification_completed"
    NEED_CHANGED = "need_changed"
    OTHER = "other"


@classified(
    free_text="item specification",
    count="quantity",
    amount="submitted_unit_cost reviewed_unit_cost catalogue_unit_price",
    category="flags reasons officer_reason",
)
class ReviewedLineV2(BaseModel):
    model_config = ConfigDict(frozen=True)

    item: str
    quantity: int = Field(ge=1)
    submitted_unit_cost: Amount
    reviewed_unit_cost: Amount
    catalogue_unit_price: Amount | None = None
    flags: list[ReviewFlag] = Field(default_factory=list)
    reasons: list[LineReason] = Field(
        default_factory=list, description="Why the line was flagged or adjusted"
    )
    officer_reason: AdjustmentReason | None = Field(
        default=None, description="Why an officer overrode the line, if one did"
    )
    specification: str | None = Field(default=None, description="What exactly is to be bought")


@classified(
    identifier="review_id plan_id reviewer",
    count="revision",
    date="reviewed_on",
    nested="lines",
    amount="submitted_total reviewed_total tolerance_percent",
    category="currency",
    free_text="note",
    flag="awaiting_officer",
)
@event("BudgetReviewed", 1, Domain.PROCUREMENT)
class BudgetReviewedV1(EventPayload):
    """First version: carried the officer's note and each line's reason word for word, which
    may name people; v2 carries categories, the words stay in procurement's database."""

    review_id: UUID
    plan_id: UUID
    revision: int = Field(ge=1, description="1 for the automatic review, then each revision")
    reviewed_on: date
    reviewer: str = Field(description="'automatic' or the officer's subject id")
    lines: list[ReviewedLineV1] = Field(min_length=1)
    submitted_total: Amount
    reviewed_total: Amount
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    tolerance_percent: int | None = Field(
        default=None, ge=0, le=100, description="The office's price tolerance the review applied"
    )
    note: str | None = Field(default=None, max_length=500, description="The officer's note")
    awaiting_officer: bool = Field(
        default=False,
        description=(
            "True when the automatic review could not settle every line (an item the office's "
            "catalogue cannot price, or a line without a specification): the review is not "
            "complete, and the committee may not decide the plan, until a procurement officer "
            "revises it. An officer's revision is always complete (False)."
        ),
        examples=[True],
    )


class RevisionNote(StrEnum):
    """What an officer's note on a revision is about, as a category."""

    MARKET_PRICES_CHECKED = "market_prices_checked"
    SUPPLIER_QUOTES = "supplier_quotes"
    SPECIFICATIONS_COMPLETED = "specifications_completed"
    BUDGET_REDUCED = "budget_reduced"
    OTHER = "other"


@classified(
    identifier="review_id plan_id reviewer",
    count="revision",
    date="reviewed_on",
    nested="lines",
    amount="submitted_total reviewed_total tolerance_percent",
    category="currency note",
    flag="awaiting_officer",
)
@event("BudgetReviewed", 2, Domain.PROCUREMENT)
class BudgetReviewedV2(EventPayload):
    """Second version: named items and carried specifications in words; v3 carries codes."""

    review_id: UUID
    plan_id: UUID
    revision: int = Field(ge=1, description="1 for the automatic review, then each revision")
    reviewed_on: date
    reviewer: str = Field(description="'automatic' or the officer's subject id")
    lines: list[ReviewedLineV2] = Field(min_length=1)
    submitted_total: Amount
    reviewed_total: Amount
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    tolerance_percent: int | None = Field(
        default=None, ge=0, le=100, description="The office's price tolerance the review applied"
    )
    note: RevisionNote | None = Field(
        default=None, description="What the officer's note is about; its words stay local"
    )
    awaiting_officer: bool = Field(
        default=False,
        description=(
            "True when the automatic review could not settle every line (an item the office's "
            "catalogue cannot price, or a line without a specification): the review is not "
            "complete, and the committee may not decide the plan, until a procurement officer "
            "revises it. An officer's revision is always complete (False)."
        ),
        examples=[True],
    )


@upcaster("BudgetReviewed", from_version=1)
def _budget_reviewed_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    # The words are dropped: only that there was a note, or a reason, is still known.
    data["note"] = RevisionNote.OTHER.value if data.get("note") else None
    lines = []
    for line in data.get("lines", []):
        line = dict(line)
        line["reasons"] = [LineReason.OTHER.value] if line.pop("reason", None) else []
        lines.append(line)
    data["lines"] = lines
    return data


class OrderBasis(StrEnum):
    APPROVED_PLAN = "approved_plan"
    CERTIFIED_TRADE = "certified_trade"


@classified(free_text="item", count="quantity", amount="unit_price")
class OrderLineV1(BaseModel):
    model_config = ConfigDict(frozen=True)

    item: str
    quantity: int = Field(ge=1)
    unit_price: Amount


@classified(
    identifier="order_id plan_id beneficiary_ids",
    category="basis certification_trade trade currency",
    nested="lines",
    amount="total",
    date="ordered_on authorised_on",
    count="kit_version",
)
@event("KitOrdered", 1, Domain.PROCUREMENT)
class KitOrderedV1(EventPayload):
    """First version: named the items in words; v2 carries catalogue codes."""

    order_id: UUID
    basis: OrderBasis
    plan_id: UUID | None = None
    certification_trade: Trade | None = None
    beneficiary_ids: list[ReturneeId] = Field(min_length=1)
    trade: Trade
    lines: list[OrderLineV1] = Field(min_length=1)
    total: Amount
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    ordered_on: date
    authorised_on: date | None = Field(
        default=None, description="The plan's approval or the trade's certification date"
    )
    kit_version: int | None = Field(
        default=None, ge=1, description="The trade's kit version ordered for a certified trade"
    )


@classified(free_text="item", count="quantity", amount="value")
class DeliveredItemV1(BaseModel):
    model_config = ConfigDict(frozen=True)

    item: str
    quantity: int = Field(ge=1)
    value: Amount


@classified(
    identifier="order_id plan_id beneficiary_ids",
    category="basis trade currency",
    date="delivered_on",
    nested="items",
    amount="total_value",
    flag="acknowledged_by_beneficiary",
)
@event("KitDelivered", 1, Domain.PROCUREMENT)
class KitDeliveredV1(EventPayload):
    """First version: named the items in words; v2 carries catalogue codes."""

    order_id: UUID
    basis: OrderBasis
    plan_id: UUID | None = None
    beneficiary_ids: list[ReturneeId] = Field(min_length=1)
    trade: Trade
    delivered_on: date
    items: list[DeliveredItemV1] = Field(min_length=1)
    total_value: Amount
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    acknowledged_by_beneficiary: bool


# Items as catalogue codes, no words on the wire ---------------------------------------------


@classified(category="item unit currency", amount="unit_price", reference="supplier")
@event("CatalogueItemPriced", 2, Domain.PROCUREMENT)
class CatalogueItemPriced(EventPayload):
    """A unit price in the office's price catalogue, keyed by item code (the item's name in
    words stays in procurement's catalogue). The supplier is a business the office buys from,
    named as in its supplier register: a public organisation, never a returnee."""

    item: ItemCode
    unit: UnitCode
    unit_price: Amount
    supplier: str = Field(min_length=1, max_length=120)
    currency: Currency


@classified(category="item", count="quantity")
class KitItem(BaseModel):
    model_config = ConfigDict(frozen=True)

    item: ItemCode
    quantity: int = Field(ge=1, le=10_000)


@classified(category="trade", count="kit_version", nested="items")
@event("KitDefined", 2, Domain.PROCUREMENT)
class KitDefined(EventPayload):
    """A trade's minimum kit, set with trainers; each change is a new kit version."""

    trade: Trade
    kit_version: int = Field(ge=1)
    items: list[KitItem] = Field(min_length=1)


@classified(
    category="item flags reasons officer_reason",
    count="quantity",
    amount="submitted_unit_cost reviewed_unit_cost catalogue_unit_price",
    flag="specified",
)
class ReviewedLine(BaseModel):
    model_config = ConfigDict(frozen=True)

    item: ItemCode
    quantity: int = Field(ge=1)
    submitted_unit_cost: Amount
    reviewed_unit_cost: Amount
    catalogue_unit_price: Amount | None = None
    flags: list[ReviewFlag] = Field(default_factory=list)
    reasons: list[LineReason] = Field(
        default_factory=list, description="Why the line was flagged or adjusted"
    )
    officer_reason: AdjustmentReason | None = Field(
        default=None, description="Why an officer overrode the line, if one did"
    )
    specified: bool = Field(
        default=False,
        description="What exactly is to be bought is specified (the words stay local)",
    )


@classified(
    identifier="review_id plan_id reviewer",
    count="revision",
    date="reviewed_on",
    nested="lines",
    amount="submitted_total reviewed_total tolerance_percent",
    category="currency note",
    flag="awaiting_officer",
)
@event("BudgetReviewed", 3, Domain.PROCUREMENT)
class BudgetReviewed(EventPayload):
    """Procurement checked a plan's budget against the catalogue before the committee decides."""

    review_id: UUID
    plan_id: UUID
    revision: int = Field(ge=1, description="1 for the automatic review, then each revision")
    reviewed_on: date
    reviewer: str = Field(description="'automatic' or the officer's subject id")
    lines: list[ReviewedLine] = Field(min_length=1)
    submitted_total: Amount
    reviewed_total: Amount
    currency: Currency
    tolerance_percent: int | None = Field(
        default=None, ge=0, le=100, description="The office's price tolerance the review applied"
    )
    note: RevisionNote | None = Field(
        default=None, description="What the officer's note is about; its words stay local"
    )
    awaiting_officer: bool = Field(
        default=False,
        description=(
            "True when the automatic review could not settle every line (an item the office's "
            "catalogue cannot price, or a line without a specification): the review is not "
            "complete, and the committee may not decide the plan, until a procurement officer "
            "revises it. An officer's revision is always complete (False)."
        ),
        examples=[True],
    )


@classified(category="item", count="quantity", amount="unit_price")
class OrderLine(BaseModel):
    model_config = ConfigDict(frozen=True)

    item: ItemCode
    quantity: int = Field(ge=1)
    unit_price: Amount


@classified(
    identifier="order_id plan_id beneficiary_ids",
    category="basis certification_trade trade currency",
    nested="lines",
    amount="total",
    date="ordered_on authorised_on",
    count="kit_version",
)
@event("KitOrdered", 2, Domain.PROCUREMENT)
class KitOrdered(EventPayload):
    order_id: UUID
    basis: OrderBasis
    plan_id: UUID | None = None
    certification_trade: Trade | None = None
    beneficiary_ids: list[ReturneeId] = Field(min_length=1)
    trade: Trade
    lines: list[OrderLine] = Field(min_length=1)
    total: Amount
    currency: Currency
    ordered_on: date
    authorised_on: date | None = Field(
        default=None, description="The plan's approval or the trade's certification date"
    )
    kit_version: int | None = Field(
        default=None, ge=1, description="The trade's kit version ordered for a certified trade"
    )


@classified(category="item", count="quantity", amount="value")
class DeliveredItem(BaseModel):
    model_config = ConfigDict(frozen=True)

    item: ItemCode
    quantity: int = Field(ge=1)
    value: Amount


@classified(
    identifier="order_id plan_id beneficiary_ids",
    category="basis trade currency",
    date="delivered_on",
    nested="items",
    amount="total_value",
    flag="acknowledged_by_beneficiary",
)
@event("KitDelivered", 2, Domain.PROCUREMENT)
class KitDelivered(EventPayload):
    order_id: UUID
    basis: OrderBasis
    plan_id: UUID | None = None
    beneficiary_ids: list[ReturneeId] = Field(min_length=1)
    trade: Trade
    delivered_on: date
    items: list[DeliveredItem] = Field(min_length=1)
    total_value: Amount
    currency: Currency
    acknowledged_by_beneficiary: bool


def _coded(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**line, "item": item_code(str(line["item"]))} for line in lines]


@upcaster("CatalogueItemPriced", from_version=1)
def _catalogue_item_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    data["item"] = item_code(str(data["item"]))
    data["unit"] = unit_code(str(data["unit"]))
    return data


@upcaster("KitDefined", from_version=1)
def _kit_defined_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    data["items"] = _coded(data["items"])
    return data


@upcaster("BudgetReviewed", from_version=2)
def _budget_reviewed_v2_to_v3(data: dict[str, Any]) -> dict[str, Any]:
    lines = []
    for line in _coded(data["lines"]):
        line["specified"] = bool((line.pop("specification", None) or "").strip())
        lines.append(line)
    data["lines"] = lines
    return data


@upcaster("KitOrdered", from_version=1)
def _kit_ordered_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    data["lines"] = _coded(data["lines"])
    return data


@upcaster("KitDelivered", from_version=1)
def _kit_delivered_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    data["items"] = _coded(data["items"])
    return data


# Cash support: reintegration grants, school fees, community project grants ------------------


class GrantKind(StrEnum):
    REINTEGRATION_GRANT = "reintegration_grant"  # to a returnee, for an approved plan
    COMMUNITY_PROJECT_GRANT = "community_project_grant"  # to an implementing partner


class GrantBasis(StrEnum):
    APPROVED_PLAN = "approved_plan"
    CERTIFIED_TRADE = "certified_trade"


class PaymentMethod(StrEnum):
    """How money reached its recipient; no account or phone number ever travels."""

    CASH = "cash"
    MOBILE_MONEY = "mobile_money"
    BANK_TRANSFER = "bank_transfer"


@classified(
    identifier="grant_id plan_id beneficiary_ids implementing_partner",
    category="kind basis certification_trade currency",
    amount="ceiling",
    count="tranches_planned",
    date="awarded_on",
)
@event("GrantAwarded", 1, Domain.PROCUREMENT)
class GrantAwarded(EventPayload):
    """A cash grant is agreed: to a returnee for an approved plan or a certified trade, or to
    an implementing partner for an approved community project (the grant agreement). Every
    tranche and school fee paid under it counts against `ceiling`, the reviewed budget."""

    grant_id: UUID
    kind: GrantKind
    basis: GrantBasis
    plan_id: UUID | None = None
    certification_trade: Trade | None = None
    beneficiary_ids: list[ReturneeId] = Field(min_length=1)
    implementing_partner: PartnerId | None = Field(
        default=None, description="The partner paid, for a community project grant"
    )
    ceiling: Amount = Field(gt=0, description="The approved (reviewed) budget of the plan")
    currency: Currency
    tranches_planned: int = Field(ge=1, le=12)
    awarded_on: date


@classified(
    identifier="grant_id plan_id report_id",
    count="tranche",
    amount="amount",
    date="approved_on",
)
@event("GrantTrancheApproved", 1, Domain.PROCUREMENT)
class GrantTrancheApproved(EventPayload):
    """An officer decided to release a tranche; a community project's tranche after the first
    names the partner's progress report it was released against."""

    grant_id: UUID
    plan_id: UUID | None = None
    tranche: int = Field(ge=1, le=12)
    amount: Amount = Field(gt=0)
    approved_on: date
    report_id: UUID | None = None


@classified(
    identifier="grant_id plan_id",
    count="tranche",
    amount="amount",
    category="method currency",
    date="paid_on",
)
@event("GrantTranchePaid", 1, Domain.PROCUREMENT)
class GrantTranchePaid(EventPayload):
    """An approved tranche reached its recipient."""

    grant_id: UUID
    plan_id: UUID | None = None
    tranche: int = Field(ge=1, le=12)
    amount: Amount = Field(gt=0)
    currency: Currency
    method: PaymentMethod
    paid_on: date


SchoolYear = Annotated[str, Field(pattern=r"^\d{4}-\d{4}$", examples=["2016-2017"])]


@classified(
    identifier="payment_id grant_id plan_id returnee_id school_id",
    category="school_year method currency",
    amount="amount",
    date="paid_on",
)
@event("SchoolFeesPaid", 1, Domain.PROCUREMENT)
class SchoolFeesPaid(EventPayload):
    """A minor's schooling paid to the school, under the minor's grant. The school is an id
    of procurement's register; its name stays there."""

    payment_id: UUID
    grant_id: UUID
    plan_id: UUID | None = None
    returnee_id: ReturneeId
    school_id: UUID
    school_year: SchoolYear
    amount: Amount = Field(gt=0)
    currency: Currency
    method: PaymentMethod
    paid_on: date


@classified(
    identifier="report_id grant_id plan_id implementing_partner",
    date="period_end submitted_on",
    count="progress_percent returnees_active community_members_active",
    amount="spent_to_date",
    flag="activity_running",
)
@event("ProgressReportSubmitted", 1, Domain.PROCUREMENT)
class ProgressReportSubmitted(EventPayload):
    """An implementing partner reported on a community project it runs (its narrative stays in
    procurement's database); the next tranche is released against it."""

    report_id: UUID
    grant_id: UUID
    plan_id: UUID | None = None
    implementing_partner: PartnerId
    period_end: date
    submitted_on: date
    progress_percent: int = Field(ge=0, le=100)
    activity_running: bool
    returnees_active: int = Field(ge=0, le=100_000)
    community_members_active: int = Field(ge=0, le=100_000)
    spent_to_date: Amount
