"""Events published by procurement: catalogues, budget reviews, orders and deliveries."""

from datetime import date
from enum import StrEnum
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from reintegration_contracts.registry import EventPayload, event, upcaster
from reintegration_contracts.topics import Domain
from reintegration_contracts.types import Amount, ReturneeId, Trade


@event("CatalogueItemPriced", 1, Domain.PROCUREMENT)
class CatalogueItemPriced(EventPayload):
    """A unit price in the office's price catalogue."""

    item: str = Field(min_length=1, max_length=120)
    unit: str = Field(min_length=1, max_length=30, examples=["piece", "kg"])
    unit_price: Amount
    supplier: str = Field(min_length=1, max_length=120)
    currency: str = Field(pattern=r"^[A-Z]{3}$")


@event("PriceToleranceSet", 1, Domain.PROCUREMENT)
class PriceToleranceSet(EventPayload):
    """How far above the catalogue price a budget line may go before the review flags it."""

    tolerance_percent: int = Field(ge=0, le=100, examples=[10])


class KitItem(BaseModel):
    model_config = ConfigDict(frozen=True)

    item: str = Field(min_length=1, max_length=120)
    quantity: int = Field(ge=1, le=10_000)


@event("KitDefined", 1, Domain.PROCUREMENT)
class KitDefined(EventPayload):
    """A trade's minimum kit, set with trainers; each change is a new kit version."""

    trade: Trade
    kit_version: int = Field(ge=1)
    items: list[KitItem] = Field(min_length=1)


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


class ReviewedLine(BaseModel):
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


@event("BudgetReviewed", 2, Domain.PROCUREMENT)
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


class OrderLine(BaseModel):
    model_config = ConfigDict(frozen=True)

    item: str
    quantity: int = Field(ge=1)
    unit_price: Amount


@event("KitOrdered", 1, Domain.PROCUREMENT)
class KitOrdered(EventPayload):
    order_id: UUID
    basis: OrderBasis
    plan_id: UUID | None = None
    certification_trade: Trade | None = None
    beneficiary_ids: list[ReturneeId] = Field(min_length=1)
    trade: Trade
    lines: list[OrderLine] = Field(min_length=1)
    total: Amount
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    ordered_on: date
    authorised_on: date | None = Field(
        default=None, description="The plan's approval or the trade's certification date"
    )
    kit_version: int | None = Field(
        default=None, ge=1, description="The trade's kit version ordered for a certified trade"
    )


class DeliveredItem(BaseModel):
    model_config = ConfigDict(frozen=True)

    item: str
    quantity: int = Field(ge=1)
    value: Amount


@event("KitDelivered", 1, Domain.PROCUREMENT)
class KitDelivered(EventPayload):
    order_id: UUID
    basis: OrderBasis
    plan_id: UUID | None = None
    beneficiary_ids: list[ReturneeId] = Field(min_length=1)
    trade: Trade
    delivered_on: date
    items: list[DeliveredItem] = Field(min_length=1)
    total_value: Amount
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    acknowledged_by_beneficiary: bool
