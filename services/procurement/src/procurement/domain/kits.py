"""A trade's minimum kit, set with trainers and reviewed by returnee representatives."""

from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID

from procurement.domain.prices import item_key
from reintegration_contracts.events.procurement import (
    KitDefined,
    KitFeedback,
    KitItem,
    KitReviewedByReturnees,
)
from reintegration_sdk import Decider, InvalidField, NotFound


def trade_kit_stream(country_office: str, trade: str) -> str:
    """One kit per trade and office: each office sets its kits with its own trainers."""
    return f"kit-{country_office}-{trade}"


@dataclass(frozen=True)
class TradeKit:
    trade: str | None = None
    versions: tuple[KitDefined, ...] = ()
    reviews: tuple[KitReviewedByReturnees, ...] = ()

    @property
    def current(self) -> KitDefined | None:
        return self.versions[-1] if self.versions else None


@dataclass(frozen=True)
class DefineKit:
    trade: str
    items: tuple[KitItem, ...]


@dataclass(frozen=True)
class RecordReturneeReview:
    trade: str
    kit_version: int
    reviewed_on: date
    endorsed: bool
    feedback: tuple[str, ...]  # the representatives' words: kept locally, never on the wire
    today: date
    categories: tuple[KitFeedback, ...] = ()
    review_id: UUID | None = None


KitCommand = DefineKit | RecordReturneeReview
KitEvent = KitDefined | KitReviewedByReturnees


def decide_kit(kit: TradeKit, command: KitCommand) -> list[KitEvent]:
    if isinstance(command, DefineKit):
        return _define(kit, command)
    return _review(kit, command)


def _define(kit: TradeKit, command: DefineKit) -> list[KitEvent]:
    seen: set[str] = set()
    for index, line in enumerate(command.items):
        if item_key(line.item) in seen:
            raise InvalidField(f"items.{index}.item", f"{line.item!r} is listed twice")
        seen.add(item_key(line.item))
    if kit.current is not None and kit.current.items == list(command.items):
        return []  # the same list again is not a new version for the returnees to review
    version = len(kit.versions) + 1
    return [KitDefined(trade=command.trade, kit_version=version, items=list(command.items))]


def _review(kit: TradeKit, command: RecordReturneeReview) -> list[KitEvent]:
    if not 1 <= command.kit_version <= len(kit.versions):
        raise NotFound(f"the {command.trade} kit has no version {command.kit_version}")
    if command.reviewed_on > command.today:
        raise InvalidField("reviewed_on", "is in the future")
    said = tuple(words for words in command.feedback if words.strip())
    if not command.endorsed and not said and not command.categories:
        raise InvalidField("feedback", "say what the returnee representatives want changed")
    # Words without a category still tell that they asked for something.
    categories = command.categories or ((KitFeedback.OTHER,) if said else ())
    return [
        KitReviewedByReturnees(
            trade=command.trade,
            kit_version=command.kit_version,
            reviewed_on=command.reviewed_on,
            endorsed=command.endorsed,
            feedback=list(dict.fromkeys(categories)),
            review_id=command.review_id,
        )
    ]


def evolve_kit(kit: TradeKit, event: KitEvent) -> TradeKit:
    if isinstance(event, KitDefined):
        return replace(kit, trade=event.trade, versions=(*kit.versions, event))
    return replace(kit, reviews=(*kit.reviews, event))


trade_kit: Decider[TradeKit, KitCommand, KitEvent] = Decider(
    initial=TradeKit(), evolve=evolve_kit, decide=decide_kit
)
