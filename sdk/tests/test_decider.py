"""A decider folds from its initial state and decides on what it folded."""

from dataclasses import dataclass

import pytest

from reintegration_sdk.decider import Decider

pytestmark = pytest.mark.unit


@dataclass(frozen=True)
class Add:
    amount: int


def decide(total: int, command: Add) -> list[int]:
    if total + command.amount > 10:
        raise ValueError("over ten")
    return [command.amount]


counter = Decider(initial=0, evolve=lambda total, amount: total + amount, decide=decide)


def test_fold_starts_from_the_initial_state() -> None:
    assert counter.fold([]) == 0
    assert counter.fold([2, 3]) == 5


def test_given_decides_on_the_folded_state() -> None:
    assert counter.given([4, 5], Add(1)) == [1]
    with pytest.raises(ValueError, match="over ten"):
        counter.given([4, 5], Add(2))
