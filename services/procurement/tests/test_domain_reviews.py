"""Budget review: each submitted line against the office's catalogue, then officer revisions."""

from datetime import date
from uuid import UUID

import pytest

from procurement.domain.prices import PriceCatalogue, price_catalogue
from procurement.domain.reviews import (
    AUTOMATIC_REVIEWER,
    BudgetReview,
    LineAdjustment,
    ReviewSubmittedPlan,
    ReviseReview,
    SubmittedLine,
    budget_review,
    decide_review,
    evolve_review,
    reason_text,
    review_id_for,
    review_line,
)
from reintegration_contracts.events.procurement import (
    AdjustmentReason,
    CatalogueItemPriced,
    LineReason,
    PriceToleranceSet,
    ReviewFlag,
    RevisionNote,
)
from reintegration_contracts.types import item_code
from reintegration_sdk.errors import InvalidField, NotFound, RuleViolation

pytestmark = pytest.mark.unit

PLAN = UUID("7d0c3c55-46c1-4a0e-9d9e-1f5a8c0e2b11")
SUBMITTED_ON = date(2018, 3, 12)  # a past programme entered later: not the day it is processed
ON = date(2024, 5, 10)
TODAY = date(2024, 5, 14)
ABOVE = ReviewFlag.ABOVE_CATALOGUE_PRICE
NO_SPEC = ReviewFlag.MISSING_SPECIFICATION
UNKNOWN = ReviewFlag.NOT_IN_CATALOGUE


def catalogue(*events: CatalogueItemPriced | PriceToleranceSet) -> PriceCatalogue:
    machine = CatalogueItemPriced(
        item="sewing_machine", unit="piece", unit_price=90_000, supplier="Sahel", currency="XOF"
    )
    return price_catalogue.fold([machine, *events])


def line(cost: int, spec: str | None = "Singer, pedal", item: str = "sewing machine"):
    # The plan's specification stays in committee: the review sees whether there is one.
    specified = bool((spec or "").strip())
    return SubmittedLine(item=item_code(item), quantity=2, unit_cost=cost, specified=specified)


@pytest.mark.parametrize(
    ("submitted", "prices", "flags", "reviewed_cost", "reason_mentions"),
    [
        pytest.param(line(99_000), catalogue(), [], 99_000, None, id="at the tolerance"),
        pytest.param(line(80_000), catalogue(), [], 80_000, None, id="below the catalogue"),
        pytest.param(line(99_001), catalogue(), [ABOVE], 90_000, "more than 10% above", id="above"),
        pytest.param(
            line(91_000),
            catalogue(PriceToleranceSet(tolerance_percent=0)),
            [ABOVE],
            90_000,
            "more than 0% above",
            id="office without tolerance",
        ),
        pytest.param(
            line(120_000, spec=None),
            catalogue(),
            [ABOVE, NO_SPEC],
            90_000,
            "no specification",
            id="above and unspecified",
        ),
        pytest.param(
            line(85_000, spec="  "), catalogue(), [NO_SPEC], 90_000, "adjusted", id="blank spec"
        ),
        pytest.param(
            line(5_000, item="iron"),
            catalogue(),
            [UNKNOWN],
            5_000,
            "not in the office's price catalogue",
            id="unknown item is kept",
        ),
    ],
)
def test_each_line_is_compared_with_the_catalogue(
    submitted, prices, flags, reviewed_cost, reason_mentions
) -> None:
    reviewed = review_line(submitted, prices, "XOF")
    assert reviewed.flags == flags
    assert reviewed.reviewed_unit_cost == reviewed_cost
    # The event carries categories; the sentence people read is rendered from them.
    said = reason_text(reviewed, prices.tolerance_percent)
    if reason_mentions is None:
        assert (reviewed.reasons, said) == ([], None)
    else:
        assert reason_mentions in (said or "")


def test_a_catalogue_in_another_currency_cannot_judge_the_line() -> None:
    reviewed = review_line(line(500), catalogue(), "EUR")
    assert reviewed.flags == [UNKNOWN]
    assert reviewed.catalogue_unit_price is None
    assert reviewed.reviewed_unit_cost == 500


def automatic(*lines: SubmittedLine, prices: PriceCatalogue | None = None):
    return ReviewSubmittedPlan(PLAN, tuple(lines), "XOF", prices or catalogue(), SUBMITTED_ON)


def test_the_automatic_review_carries_both_budgets_and_the_reasons() -> None:
    [reviewed] = decide_review(BudgetReview(), automatic(line(120_000), line(5_000, item="iron")))
    assert reviewed.review_id == review_id_for(PLAN)
    assert (reviewed.revision, reviewed.reviewer) == (1, AUTOMATIC_REVIEWER)
    # The review runs as the plan is submitted, whenever this service gets to process it.
    assert reviewed.reviewed_on == SUBMITTED_ON
    assert reviewed.submitted_total == 2 * 120_000 + 2 * 5_000
    assert reviewed.reviewed_total == 2 * 90_000 + 2 * 5_000
    assert reviewed.tolerance_percent == 10
    assert reviewed.lines[0].reasons == [
        LineReason.ABOVE_CATALOGUE_PRICE,
        LineReason.ADJUSTED_TO_CATALOGUE_PRICE,
    ]
    assert "more than 10% above the catalogue price 90000" in (
        reason_text(reviewed.lines[0], reviewed.tolerance_percent) or ""
    )


@pytest.mark.parametrize(
    ("lines", "awaiting_officer"),
    [
        pytest.param((line(90_000), line(80_000)), False, id="every line priced and specified"),
        pytest.param((line(120_000),), False, id="above the catalogue is brought to it"),
        pytest.param((line(90_000), line(5_000, item="iron")), True, id="an uncatalogued line"),
        pytest.param((line(90_000, spec=None),), True, id="a line without specification"),
        pytest.param((line(90_000, spec=" "),), True, id="a blank specification"),
    ],
)
def test_the_automatic_review_waits_for_an_officer_on_lines_it_cannot_settle(
    lines, awaiting_officer
) -> None:
    [reviewed] = decide_review(BudgetReview(), automatic(*lines))
    assert reviewed.awaiting_officer is awaiting_officer


def test_a_catalogue_price_in_another_currency_leaves_the_review_waiting() -> None:
    command = ReviewSubmittedPlan(PLAN, (line(500),), "EUR", catalogue(), SUBMITTED_ON)
    [reviewed] = decide_review(BudgetReview(), command)
    assert reviewed.awaiting_officer


def reviewed_history(*lines: SubmittedLine) -> list:
    return decide_review(BudgetReview(), automatic(*(lines or (line(120_000, spec=None),))))


def revise(
    *adjustments: LineAdjustment, decided: bool = False, prices=None, on: date = ON
) -> ReviseReview:
    return ReviseReview(
        PLAN, adjustments, prices or catalogue(), on, "officer-7", decided, TODAY, "ok"
    )


def revised_history(*revision_dates: date) -> list:
    """The automatic review, then one officer revision per date."""
    history = reviewed_history()
    for on in revision_dates:
        history += decide_review(budget_review.fold(history), revise(on=on))
    return history


def test_a_replayed_submission_is_not_reviewed_twice() -> None:
    review = budget_review.fold(reviewed_history())
    assert decide_review(review, automatic(line(120_000, spec=None))) == []


def test_an_officer_revision_overrides_a_line_and_keeps_its_flags() -> None:
    review = budget_review.fold(reviewed_history())
    [revised] = decide_review(review, revise(LineAdjustment(1, "supplier quote", 95_000)))
    # The officer's words stay in procurement's database: the event says there is a note.
    assert (revised.revision, revised.reviewer, revised.note) == (
        2,
        "officer-7",
        RevisionNote.OTHER,
    )
    assert "ok" not in revised.model_dump_json().replace("book", "")
    assert revised.reviewed_on == ON
    assert revised.lines[0].reviewed_unit_cost == 95_000
    assert revised.lines[0].flags == [ABOVE, NO_SPEC]
    assert revised.lines[0].officer_reason is AdjustmentReason.OTHER
    assert "supplier quote" not in revised.model_dump_json()
    assert "officer: supplier quote" in (
        reason_text(revised.lines[0], revised.tolerance_percent, "supplier quote") or ""
    )
    assert revised.reviewed_total == 2 * 95_000


def test_a_specification_given_in_a_revision_clears_its_flag_and_is_kept() -> None:
    history = reviewed_history(line(90_000, spec=None))
    review = budget_review.fold(history)
    adjustment = LineAdjustment(1, "agreed with the returnee", specification="Butterfly JA2-1")
    [revised] = decide_review(review, revise(adjustment))
    assert revised.lines[0].flags == []
    review = evolve_review(review, revised)
    [third] = decide_review(review, revise())
    assert (third.revision, third.lines[0].specified, third.lines[0].flags) == (3, True, [])


@pytest.mark.parametrize(
    "adjustments",
    [
        pytest.param((), id="without adjustment"),
        pytest.param((LineAdjustment(2, "market price checked", 4_500),), id="line priced"),
    ],
)
def test_an_officer_revision_completes_the_review(adjustments) -> None:
    history = reviewed_history(line(120_000, spec=None), line(5_000, item="iron"))
    assert history[0].awaiting_officer
    review = budget_review.fold(history)
    [revised] = decide_review(review, revise(*adjustments))
    # The officer has looked at every line, even those still flagged.
    assert revised.lines[1].flags == [UNKNOWN]
    assert not revised.awaiting_officer


def test_a_revision_uses_the_catalogue_as_it_is_now() -> None:
    review = budget_review.fold(reviewed_history(line(5_000, item="iron")))
    iron = CatalogueItemPriced(
        item="iron", unit="piece", unit_price=4_000, supplier="Sahel", currency="XOF"
    )
    [revised] = decide_review(review, revise(prices=catalogue(iron)))
    assert revised.lines[0].flags == [ABOVE]
    assert revised.lines[0].reviewed_unit_cost == 4_000


@pytest.mark.parametrize(
    ("history", "command", "error", "rule"),
    [
        pytest.param([], revise(), NotFound, None, id="nothing to revise"),
        pytest.param(
            None, revise(decided=True), RuleViolation, "plan_already_decided", id="decided"
        ),
        pytest.param(
            None, revise(LineAdjustment(2, "x", 1)), InvalidField, "invalid_field", id="no line 2"
        ),
        pytest.param(
            None,
            revise(LineAdjustment(1, "x", 1), LineAdjustment(1, "y", 2)),
            InvalidField,
            "invalid_field",
            id="line adjusted twice",
        ),
    ],
)
def test_revision_refusals(history, command, error, rule) -> None:
    review = budget_review.fold(reviewed_history() if history is None else history)
    with pytest.raises(error) as refused:
        decide_review(review, command)
    assert getattr(refused.value, "rule", None) == rule


@pytest.mark.parametrize(
    ("revision_dates", "on"),
    [
        pytest.param((), SUBMITTED_ON, id="the day the plan was submitted"),
        pytest.param((), date(2018, 6, 1), id="an officer entering a past revision"),
        pytest.param((ON,), ON, id="twice the same day"),
        pytest.param((date(2018, 6, 1),), TODAY, id="today, the default"),
    ],
)
def test_a_revision_is_dated_the_day_the_officer_reviewed_the_lines(revision_dates, on) -> None:
    review = budget_review.fold(revised_history(*revision_dates))
    [revised] = decide_review(review, revise(on=on))
    assert (revised.revision, revised.reviewed_on) == (len(revision_dates) + 2, on)


@pytest.mark.parametrize(
    ("revision_dates", "on", "reason"),
    [
        pytest.param((), date(2024, 5, 15), "is in the future", id="in the future"),
        pytest.param(
            (), date(2018, 3, 11), "is before revision 1 of 2018-03-12", id="before the submission"
        ),
        pytest.param(
            (date(2018, 6, 1), ON),
            date(2024, 5, 9),
            "is before revision 3 of 2024-05-10",
            id="before the previous officer revision",
        ),
    ],
)
def test_a_revision_date_is_refused_out_of_order(revision_dates, on, reason) -> None:
    review = budget_review.fold(revised_history(*revision_dates))
    with pytest.raises(InvalidField) as refused:
        decide_review(review, revise(on=on))
    assert (refused.value.field, refused.value.reason) == ("reviewed_on", reason)
