"""What the API accepts: request bodies, checked field by field before any command runs."""

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from reintegration_contracts.events.procurement import AdjustmentReason, KitFeedback, RevisionNote
from reintegration_contracts.types import Amount

Text = Annotated[str, Field(min_length=1, max_length=120)]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", examples=["XOF"])]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PriceIn(_Body):
    item: Text = Field(examples=["sewing machine"])
    unit: str = Field(min_length=1, max_length=30, examples=["piece"])
    unit_price: Amount = Field(gt=0)
    supplier: Text
    currency: Currency


class ToleranceIn(_Body):
    tolerance_percent: int = Field(ge=0, le=100, examples=[10])


class KitItemIn(_Body):
    item: Text
    quantity: int = Field(ge=1, le=10_000)


class KitIn(_Body):
    items: list[KitItemIn] = Field(min_length=1, max_length=200)


class KitReviewIn(_Body):
    reviewed_on: date
    endorsed: bool
    feedback: list[Annotated[str, Field(min_length=1, max_length=500)]] = Field(
        default_factory=list,
        max_length=50,
        description="Their words: kept in procurement's database, never published",
    )
    categories: list[KitFeedback] = Field(
        default_factory=list,
        max_length=10,
        description="What they asked for, as published; `other` if only words are given",
    )


class LineAdjustmentIn(_Body):
    line: int = Field(ge=1, description="The line's number in the review, from 1")
    reason: str = Field(
        min_length=3, max_length=300, description="The officer's words: kept here, not published"
    )
    category: AdjustmentReason = Field(
        default=AdjustmentReason.OTHER, description="Why, as published"
    )
    reviewed_unit_cost: Amount | None = None
    specification: str | None = Field(default=None, min_length=1, max_length=300)


class RevisionIn(_Body):
    adjustments: list[LineAdjustmentIn] = Field(default_factory=list, max_length=500)
    note: str | None = Field(
        default=None, max_length=500, description="The officer's words: kept here, not published"
    )
    note_category: RevisionNote | None = Field(
        default=None, description="What the note is about, as published; `other` by default"
    )
    reviewed_on: date | None = Field(
        default=None, description="The day the officer reviewed the lines; default today"
    )


class KitOrderIn(_Body):
    ordered_on: date | None = Field(
        default=None, description="The day the kit was ordered; default today"
    )


class DeliveredItemIn(_Body):
    item: Text
    quantity: int = Field(ge=1, le=100_000)
    value: Amount


class DeliveryIn(_Body):
    delivered_on: date
    items: list[DeliveredItemIn] = Field(min_length=1, max_length=500)
    acknowledged_by_beneficiary: bool
