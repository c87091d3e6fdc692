"""The office's price catalogue and the tolerance its budget reviews allow."""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from reintegration_contracts.events.procurement import (
    CatalogueItemPriced,
    PriceToleranceSet,
    unit_code,
)
from reintegration_contracts.types import item_code
from reintegration_sdk import Decider, RuleViolation

# Offices that never set a tolerance still get a review that forgives small price drift.
DEFAULT_TOLERANCE_PERCENT = 10


def price_catalogue_stream(country_office: str) -> str:
    return f"price-catalogue-{country_office}"


def item_key(item: str) -> str:
    """Budget lines and catalogue entries name items by hand: they meet on the item's code
    (`item_code`; a code is its own code), the key of the catalogue."""
    return item_code(item)


@dataclass(frozen=True)
class PriceCatalogue:
    prices: Mapping[str, CatalogueItemPriced] = field(default_factory=lambda: MappingProxyType({}))
    tolerance_percent: int = DEFAULT_TOLERANCE_PERCENT

    @property
    def currency(self) -> str | None:
        return next((price.currency for price in self.prices.values()), None)

    def price_of(self, item: str) -> CatalogueItemPriced | None:
        return self.prices.get(item_key(item))


@dataclass(frozen=True)
class PriceItem:
    item: str  # in words or as a code: the event carries the code, the words stay here
    unit: str
    unit_price: int
    supplier: str
    currency: str


@dataclass(frozen=True)
class SetTolerance:
    tolerance_percent: int


PriceCommand = PriceItem | SetTolerance
PriceEvent = CatalogueItemPriced | PriceToleranceSet


def decide_prices(catalogue: PriceCatalogue, command: PriceCommand) -> list[PriceEvent]:
    if isinstance(command, SetTolerance):
        if command.tolerance_percent == catalogue.tolerance_percent:
            return []
        return [PriceToleranceSet(tolerance_percent=command.tolerance_percent)]
    if catalogue.currency not in (None, command.currency):
        raise RuleViolation(
            "catalogue_currency_mismatch",
            f"this office's catalogue is priced in {catalogue.currency}, not {command.currency}",
        )
    priced = CatalogueItemPriced(
        item=item_code(command.item),
        unit=unit_code(command.unit),
        unit_price=command.unit_price,
        supplier=command.supplier,
        currency=command.currency,
    )
    known = catalogue.price_of(command.item)
    # The same price under a differently typed name is no news.
    return [] if known is not None and _terms(known) == _terms(priced) else [priced]


def _terms(price: CatalogueItemPriced) -> tuple[str, int, str, str]:
    return (price.unit, price.unit_price, price.supplier, price.currency)


def evolve_prices(catalogue: PriceCatalogue, event: PriceEvent) -> PriceCatalogue:
    if isinstance(event, PriceToleranceSet):
        return replace(catalogue, tolerance_percent=event.tolerance_percent)
    prices = {**catalogue.prices, item_key(event.item): event}
    return replace(catalogue, prices=MappingProxyType(prices))


price_catalogue: Decider[PriceCatalogue, PriceCommand, PriceEvent] = Decider(
    initial=PriceCatalogue(), evolve=evolve_prices, decide=decide_prices
)
