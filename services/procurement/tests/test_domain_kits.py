"""Kit catalogue per trade: versions set with trainers, reviews by returnee representatives."""

from datetime import date

import pytest

from procurement.domain.kits import (
    DefineKit,
    RecordReturneeReview,
    decide_kit,
    trade_kit,
)
from reintegration_contracts.events.procurement import (
    KitDefined,
    KitFeedback,
    KitItem,
    KitReviewedByReturnees,
)
from reintegration_contracts.types import item_code
from reintegration_sdk.errors import InvalidField, NotFound

pytestmark = pytest.mark.unit

TODAY = date(2024, 5, 10)
MACHINE = KitItem(item="sewing_machine", quantity=1)
SCISSORS = KitItem(item="scissors", quantity=2)


def defined(version: int, *items: KitItem) -> KitDefined:
    return KitDefined(trade="tailoring", kit_version=version, items=list(items or (MACHINE,)))


def review(version: int = 1, endorsed: bool = True, feedback: tuple[str, ...] = (), on=TODAY):
    return RecordReturneeReview("tailoring", version, on, endorsed, feedback, TODAY)


def reviewed(version: int = 1, endorsed: bool = True, feedback: tuple[KitFeedback, ...] = ()):
    return KitReviewedByReturnees(
        trade="tailoring",
        kit_version=version,
        reviewed_on=TODAY,
        endorsed=endorsed,
        feedback=list(feedback),
    )


@pytest.mark.parametrize(
    ("given", "command", "expected"),
    [
        pytest.param([], DefineKit("tailoring", (MACHINE,)), [defined(1)], id="first version"),
        pytest.param(
            [defined(1)],
            DefineKit("tailoring", (MACHINE, SCISSORS)),
            [defined(2, MACHINE, SCISSORS)],
            id="a change is a new version",
        ),
        pytest.param([defined(1)], DefineKit("tailoring", (MACHINE,)), [], id="same list"),
        pytest.param([defined(1)], review(), [reviewed()], id="endorsed"),
        pytest.param(
            [defined(1), defined(2, SCISSORS)],
            review(1, endorsed=False, feedback=("add an iron",)),
            # The words stay in procurement's database; the event says only that they asked.
            [reviewed(1, endorsed=False, feedback=(KitFeedback.OTHER,))],
            id="an older version's review is still recorded",
        ),
        pytest.param(
            [defined(1)],
            RecordReturneeReview(
                "tailoring",
                1,
                TODAY,
                False,
                ("add an iron",),
                TODAY,
                categories=(KitFeedback.ITEM_MISSING, KitFeedback.ITEM_MISSING),
            ),
            [reviewed(1, endorsed=False, feedback=(KitFeedback.ITEM_MISSING,))],
            id="the categories given are what is published, once each",
        ),
        pytest.param(
            [defined(1)],
            RecordReturneeReview(
                "tailoring", 1, TODAY, False, (), TODAY, categories=(KitFeedback.QUALITY_TOO_LOW,)
            ),
            [reviewed(1, endorsed=False, feedback=(KitFeedback.QUALITY_TOO_LOW,))],
            id="a category alone says why",
        ),
    ],
)
def test_kit_decisions(given, command, expected) -> None:
    assert decide_kit(trade_kit.fold(given), command) == expected


@pytest.mark.parametrize(
    ("given", "command", "error", "field"),
    [
        pytest.param(
            [],
            DefineKit(
                "tailoring", (MACHINE, KitItem(item=item_code("Sewing  Machine"), quantity=2))
            ),
            InvalidField,
            "items.1.item",
            id="an item listed twice",
        ),
        pytest.param([defined(1)], review(2), NotFound, None, id="unknown version"),
        pytest.param([], review(1), NotFound, None, id="no kit yet"),
        pytest.param(
            [defined(1)], review(endorsed=False), InvalidField, "feedback", id="rejection says why"
        ),
        pytest.param(
            [defined(1)], review(on=date(2024, 5, 11)), InvalidField, "reviewed_on", id="future"
        ),
    ],
)
def test_kit_refusals(given, command, error, field) -> None:
    with pytest.raises(error) as refused:
        decide_kit(trade_kit.fold(given), command)
    assert getattr(refused.value, "field", None) == field


def test_the_current_kit_is_the_latest_version() -> None:
    kit = trade_kit.fold([defined(1), defined(2, SCISSORS), reviewed(2)])
    assert kit.current == defined(2, SCISSORS)
    assert kit.reviews == (reviewed(2),)
