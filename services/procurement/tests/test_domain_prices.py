"""Price catalogue and tolerance: given events -> command -> events or the rule it breaks."""

import pytest

from procurement.domain.prices import (
    DEFAULT_TOLERANCE_PERCENT,
    PriceItem,
    SetTolerance,
    decide_prices,
    price_catalogue,
)
from reintegration_contracts.events.procurement import CatalogueItemPriced, PriceToleranceSet
from reintegration_contracts.types import item_code
from reintegration_sdk.errors import RuleViolation

pytestmark = pytest.mark.unit


def priced(item: str = "Sewing machine", unit_price: int = 90_000, currency: str = "XOF"):
    return CatalogueItemPriced(
        item=item_code(item),
        unit="piece",
        unit_price=unit_price,
        supplier="Sahel Equip",
        currency=currency,
    )


def price(item: str = "Sewing machine", unit_price: int = 90_000, currency: str = "XOF"):
    return PriceItem(item, "piece", unit_price, "Sahel Equip", currency)


@pytest.mark.parametrize(
    ("given", "command", "expected"),
    [
        pytest.param([], price(), [priced()], id="first price"),
        pytest.param(
            [priced()], price(unit_price=95_000), [priced(unit_price=95_000)], id="new price"
        ),
        pytest.param([priced()], price("  sewing   machine "), [], id="same price, loose name"),
        pytest.param(
            [], SetTolerance(15), [PriceToleranceSet(tolerance_percent=15)], id="tolerance"
        ),
        pytest.param([], SetTolerance(DEFAULT_TOLERANCE_PERCENT), [], id="tolerance unchanged"),
    ],
)
def test_price_catalogue_decisions(given, command, expected) -> None:
    catalogue = price_catalogue.fold(given)
    assert decide_prices(catalogue, command) == expected


def test_a_catalogue_keeps_one_currency() -> None:
    catalogue = price_catalogue.fold([priced()])
    with pytest.raises(RuleViolation) as refused:
        decide_prices(catalogue, price("Scissors", 2_000, currency="EUR"))
    assert refused.value.rule == "catalogue_currency_mismatch"


def test_items_are_found_whatever_their_case_and_spacing() -> None:
    catalogue = price_catalogue.fold([priced("Sewing Machine", 90_000)])
    found = catalogue.price_of(" sewing  machine")
    assert found is not None
    assert found.unit_price == 90_000
    assert catalogue.currency == "XOF"
    assert catalogue.tolerance_percent == DEFAULT_TOLERANCE_PERCENT
