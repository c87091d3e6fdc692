"""An old event version is read as the current one through its upcaster."""

from uuid import uuid4

import pytest

from reintegration_contracts import read_payload, upcast
from reintegration_contracts.events.intake import ReturneeRegistered, ReturneeRegisteredV1
from reintegration_contracts.events.procurement import (
    BudgetReviewed,
    BudgetReviewedV1,
    KitFeedback,
    KitReviewedByReturnees,
    KitReviewedByReturneesV1,
    LineReason,
    ReviewedLineV1,
    ReviewFlag,
    RevisionNote,
)
from reintegration_contracts.registry import PayloadInvalid, UnknownEventType, latest_version
from reintegration_contracts.types import AgeBand

pytestmark = pytest.mark.unit


def _v1(age: int) -> dict[str, object]:
    return ReturneeRegisteredV1(
        returnee_id=uuid4(),
        arrival_date="2018-03-02",  # type: ignore[arg-type]
        return_type="assisted_voluntary",  # type: ignore[arg-type]
        community={"region": "Centre-Est", "commune": "Tenkodogo"},  # type: ignore[arg-type]
        sex="male",  # type: ignore[arg-type]
        age=age,
        household_size=4,
    ).model_dump(mode="json")


def test_returnee_registered_v1_reads_as_v2_with_an_age_band_instead_of_the_age() -> None:
    stored = _v1(age=16)
    payload = read_payload("ReturneeRegistered", 1, stored)
    assert isinstance(payload, ReturneeRegistered)
    assert payload.age_band is AgeBand.AGE_15_17
    assert payload.is_minor is True
    assert "age" not in payload.model_dump()
    assert str(payload.returnee_id) == stored["returnee_id"]


def test_upcast_reaches_the_latest_version() -> None:
    version, data = upcast("ReturneeRegistered", 1, _v1(age=40))
    assert version == latest_version("ReturneeRegistered") == 2
    assert data["age_band"] == "35-44"
    assert data["is_minor"] is False


def test_unknown_versions_and_invalid_payloads_are_named() -> None:
    with pytest.raises(UnknownEventType):
        read_payload("ReturneeRegistered", 9, {})
    with pytest.raises(UnknownEventType):
        read_payload("NoSuchEvent", 1, {})
    with pytest.raises(PayloadInvalid, match="household_size"):
        read_payload("ReturneeRegistered", 1, {**_v1(age=30), "household_size": 0})


def _budget_reviewed_v1(note: str | None, reason: str | None) -> dict[str, object]:
    line = ReviewedLineV1(
        item="sewing machine",
        quantity=1,
        submitted_unit_cost=120_000,
        reviewed_unit_cost=90_000,
        catalogue_unit_price=90_000,
        flags=[ReviewFlag.ABOVE_CATALOGUE_PRICE],
        reason=reason,
    )
    return BudgetReviewedV1(
        review_id=uuid4(),
        plan_id=uuid4(),
        revision=2,
        reviewed_on="2018-03-20",
        reviewer="officer-1",
        lines=[line, line.model_copy(update={"reason": None, "flags": []})],
        submitted_total=240_000,
        reviewed_total=180_000,
        currency="XOF",
        note=note,
    ).model_dump(mode="json")


def test_budget_reviewed_v1_reads_as_v2_without_the_words() -> None:
    stored = _budget_reviewed_v1("Met Awa at the market", "officer: her cousin's quote")
    payload = read_payload("BudgetReviewed", 1, stored)
    assert isinstance(payload, BudgetReviewed)
    assert payload.note is RevisionNote.OTHER
    assert [line.reasons for line in payload.lines] == [[LineReason.OTHER], []]
    assert "Awa" not in payload.model_dump_json() and "cousin" not in payload.model_dump_json()
    assert payload.lines[0].flags == [ReviewFlag.ABOVE_CATALOGUE_PRICE]
    silent = read_payload("BudgetReviewed", 1, _budget_reviewed_v1(None, None))
    assert isinstance(silent, BudgetReviewed)
    assert (silent.note, silent.lines[0].reasons) == (None, [])


def test_kit_reviewed_v1_reads_as_v2_with_categories_instead_of_the_words() -> None:
    def stored(feedback: list[str]) -> dict[str, object]:
        return KitReviewedByReturneesV1(
            trade="tailoring",
            kit_version=1,
            reviewed_on="2018-03-20",
            endorsed=not feedback,
            feedback=feedback,
        ).model_dump(mode="json")

    asked = read_payload("KitReviewedByReturnees", 1, stored(["Issa wants gloves", "an iron"]))
    assert isinstance(asked, KitReviewedByReturnees)
    assert (asked.feedback, asked.review_id) == ([KitFeedback.OTHER], None)
    endorsed = read_payload("KitReviewedByReturnees", 1, stored([]))
    assert isinstance(endorsed, KitReviewedByReturnees)
    assert endorsed.feedback == []
