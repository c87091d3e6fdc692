"""Budget review: every line of a submitted plan checked against the office's catalogue.

In the field, budgets reviewed only after approval caused disbursement problems: the review
runs as soon as a plan is submitted, and an officer may revise it until the committee decides.
So the automatic review is dated the day the plan was submitted, not the day this service
happened to process it: a replay, a late consumer or an office entering its past programme
gives the same dates, and a committee session held after the submission follows the review.
Procurement reviews specifications and budget before the committee decides: the automatic
review settles a line priced above the catalogue, but not one the catalogue cannot price or
that says nothing of what is to be bought, so such a review waits for an officer's revision.
"""

from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID, uuid5

from procurement.domain.prices import PriceCatalogue
from reintegration_contracts.events.procurement import (
    AdjustmentReason,
    BudgetReviewed,
    CatalogueItemPriced,
    LineReason,
    ReviewedLine,
    ReviewFlag,
    RevisionNote,
)
from reintegration_sdk import Decider, InvalidField, NotFound, RuleViolation

AUTOMATIC_REVIEWER = "automatic"
# Flags only an officer can settle: no catalogue price to bring the line to, or no
# specification to check the price against.
NEEDS_OFFICER = frozenset({ReviewFlag.NOT_IN_CATALOGUE, ReviewFlag.MISSING_SPECIFICATION})
_REVIEW_IDS = UUID("6f1c7a52-94a4-4f44-9a49-0c3f0b5f8e21")


def review_id_for(plan_id: UUID) -> UUID:
    """One review per plan, whatever its revisions: the committee notes it by this id."""
    return uuid5(_REVIEW_IDS, str(plan_id))


def budget_review_stream(plan_id: UUID) -> str:
    return f"budget-review-{plan_id}"


@dataclass(frozen=True)
class SubmittedLine:
    item: str
    quantity: int
    unit_cost: int
    specified: bool = False  # the words are the plan's, in committee's database


@dataclass(frozen=True)
class BudgetReview:
    plan_id: UUID | None = None
    currency: str = ""
    lines: tuple[SubmittedLine, ...] = ()
    latest: BudgetReviewed | None = None

    @property
    def revision(self) -> int:
        return self.latest.revision if self.latest else 0


@dataclass(frozen=True)
class ReviewSubmittedPlan:
    plan_id: UUID
    lines: tuple[SubmittedLine, ...]
    currency: str
    catalogue: PriceCatalogue
    submitted_on: date


@dataclass(frozen=True)
class LineAdjustment:
    line: int  # 1-based, as the review lists them
    reason: str  # the officer's words: kept in procurement's database, never on the wire
    reviewed_unit_cost: int | None = None
    specification: str | None = None  # the officer's words: kept here, the event says specified
    category: AdjustmentReason = AdjustmentReason.OTHER


@dataclass(frozen=True)
class ReviseReview:
    plan_id: UUID
    adjustments: tuple[LineAdjustment, ...]
    catalogue: PriceCatalogue
    reviewed_on: date
    reviewer: str
    plan_decided: bool
    today: date
    note: str | None = None  # the officer's words: kept in procurement's database
    note_category: RevisionNote | None = None


ReviewCommand = ReviewSubmittedPlan | ReviseReview


def decide_review(review: BudgetReview, command: ReviewCommand) -> list[BudgetReviewed]:
    if isinstance(command, ReviewSubmittedPlan):
        if review.revision:
            return []  # a plan submitted again (or the event replayed) is reviewed once
        return [_reviewed(command.plan_id, command.lines, command.currency, command, 1)]
    return [_revised(review, command)]


def _revised(review: BudgetReview, command: ReviseReview) -> BudgetReviewed:
    if review.latest is None:
        raise NotFound(f"no budget review of plan {command.plan_id}")
    if command.plan_decided:
        raise RuleViolation(
            "plan_already_decided",
            "the committee has decided this plan; its budget review can no longer change",
        )
    if command.reviewed_on > command.today:
        raise InvalidField("reviewed_on", "is in the future")
    if command.reviewed_on < review.latest.reviewed_on:
        raise InvalidField(
            "reviewed_on",
            f"is before revision {review.revision} of {review.latest.reviewed_on}",
        )
    lines = list(review.lines)
    overrides: dict[int, LineAdjustment] = {}
    for index, adjustment in enumerate(command.adjustments):
        if not 1 <= adjustment.line <= len(lines):
            raise InvalidField(f"adjustments.{index}.line", f"the plan has {len(lines)} lines")
        if adjustment.line in overrides:
            raise InvalidField(f"adjustments.{index}.line", "line adjusted twice")
        overrides[adjustment.line] = adjustment
        if adjustment.specification:
            lines[adjustment.line - 1] = replace(lines[adjustment.line - 1], specified=True)
    return _reviewed(
        command.plan_id, tuple(lines), review.currency, command, review.revision + 1, overrides
    )


def _reviewed(
    plan_id: UUID,
    lines: tuple[SubmittedLine, ...],
    currency: str,
    command: ReviewCommand,
    revision: int,
    overrides: dict[int, LineAdjustment] | None = None,
) -> BudgetReviewed:
    checked = [
        _overridden(review_line(line, command.catalogue, currency), (overrides or {}).get(n))
        for n, line in enumerate(lines, start=1)
    ]
    if isinstance(command, ReviseReview):
        revision_by: ReviseReview | None = command
        reviewed_on = command.reviewed_on
    else:
        # The automatic review runs as the plan is submitted: it carries the submission's date.
        revision_by, reviewed_on = None, command.submitted_on
    return BudgetReviewed(
        review_id=review_id_for(plan_id),
        plan_id=plan_id,
        revision=revision,
        reviewed_on=reviewed_on,
        reviewer=revision_by.reviewer if revision_by else AUTOMATIC_REVIEWER,
        lines=checked,
        submitted_total=sum(line.quantity * line.submitted_unit_cost for line in checked),
        reviewed_total=sum(line.quantity * line.reviewed_unit_cost for line in checked),
        currency=currency,
        tolerance_percent=command.catalogue.tolerance_percent,
        note=_note_category(revision_by) if revision_by else None,
        # An officer's revision is complete: the officer has looked at every line.
        awaiting_officer=revision_by is None and any(_needs_officer(line) for line in checked),
    )


def _note_category(command: ReviseReview) -> RevisionNote | None:
    if command.note_category is not None:
        return command.note_category
    # Words without a category still tell the committee there is a note to read here.
    return RevisionNote.OTHER if (command.note or "").strip() else None


def _needs_officer(line: ReviewedLine) -> bool:
    return any(flag in NEEDS_OFFICER for flag in line.flags)


def review_line(line: SubmittedLine, catalogue: PriceCatalogue, currency: str) -> ReviewedLine:
    """Flag a line priced above the catalogue beyond the tolerance, or without a
    specification, and bring its unit cost to the catalogue price."""
    price = catalogue.price_of(line.item)
    comparable = price is not None and price.currency == currency
    flags: list[ReviewFlag] = []
    reasons: list[LineReason] = []
    if price is None:
        flags.append(ReviewFlag.NOT_IN_CATALOGUE)
        reasons.append(LineReason.NOT_IN_CATALOGUE)
    elif not comparable:
        flags.append(ReviewFlag.NOT_IN_CATALOGUE)
        reasons.append(LineReason.PRICED_IN_ANOTHER_CURRENCY)
    elif _above_tolerance(line.unit_cost, price, catalogue.tolerance_percent):
        flags.append(ReviewFlag.ABOVE_CATALOGUE_PRICE)
        reasons.append(LineReason.ABOVE_CATALOGUE_PRICE)
    if not line.specified:
        flags.append(ReviewFlag.MISSING_SPECIFICATION)
        reasons.append(LineReason.MISSING_SPECIFICATION)
    adjust = comparable and any(f is not ReviewFlag.NOT_IN_CATALOGUE for f in flags)
    reviewed_cost = price.unit_price if adjust and price is not None else line.unit_cost
    if reviewed_cost != line.unit_cost:
        reasons.append(LineReason.ADJUSTED_TO_CATALOGUE_PRICE)
    return ReviewedLine(
        item=line.item,
        quantity=line.quantity,
        submitted_unit_cost=line.unit_cost,
        reviewed_unit_cost=reviewed_cost,
        catalogue_unit_price=price.unit_price if comparable and price is not None else None,
        flags=flags,
        reasons=reasons,
        specified=line.specified,
    )


def reason_text(
    line: ReviewedLine, tolerance_percent: int | None, officer_words: str | None = None
) -> str | None:
    """The line's reasons as a sentence for the people who read the review. The event carries
    categories and figures only; an officer's own words come from procurement's database."""
    words = (officer_words or "").strip()
    parts = [
        # A reason recorded before reasons were categories: its words are all there is.
        words if reason is LineReason.OTHER and words else _said(reason, line, tolerance_percent)
        for reason in line.reasons
    ]
    if line.officer_reason is not None:
        parts.append(f"officer: {words or line.officer_reason.value.replace('_', ' ')}")
    return "; ".join(parts) or None


def _said(reason: LineReason, line: ReviewedLine, tolerance_percent: int | None) -> str:
    match reason:
        case LineReason.NOT_IN_CATALOGUE:
            return "not in the office's price catalogue"
        case LineReason.PRICED_IN_ANOTHER_CURRENCY:
            return "the catalogue prices it in another currency than the plan's"
        case LineReason.ABOVE_CATALOGUE_PRICE:
            return (
                f"unit cost {line.submitted_unit_cost} is more than {tolerance_percent}% above "
                f"the catalogue price {line.catalogue_unit_price}"
            )
        case LineReason.MISSING_SPECIFICATION:
            return "no specification of what exactly is to be bought"
        case LineReason.ADJUSTED_TO_CATALOGUE_PRICE:
            return f"adjusted to the catalogue price {line.catalogue_unit_price}"
    return "a reason recorded before reasons were categories"


def _above_tolerance(unit_cost: int, price: CatalogueItemPriced, tolerance_percent: int) -> bool:
    # Whole-number arithmetic: no rounding decides whether a line is flagged.
    return unit_cost * 100 > price.unit_price * (100 + tolerance_percent)


def _overridden(line: ReviewedLine, adjustment: LineAdjustment | None) -> ReviewedLine:
    if adjustment is None:
        return line
    cost = adjustment.reviewed_unit_cost
    return line.model_copy(
        update={
            "reviewed_unit_cost": line.reviewed_unit_cost if cost is None else cost,
            "officer_reason": adjustment.category,
        }
    )


def evolve_review(review: BudgetReview, event: BudgetReviewed) -> BudgetReview:
    if review.latest is None:
        lines = tuple(
            SubmittedLine(line.item, line.quantity, line.submitted_unit_cost, line.specified)
            for line in event.lines
        )
        return BudgetReview(event.plan_id, event.currency, lines, event)
    lines = tuple(
        replace(line, specified=reviewed.specified)
        for line, reviewed in zip(review.lines, event.lines, strict=True)
    )
    return replace(review, lines=lines, latest=event)


budget_review: Decider[BudgetReview, ReviewCommand, BudgetReviewed] = Decider(
    initial=BudgetReview(), evolve=evolve_review, decide=decide_review
)
