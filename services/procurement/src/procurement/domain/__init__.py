"""Procurement's rules, pure: commands are decided into events, events folded into state."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

S = TypeVar("S")
E = TypeVar("E")


def fold(evolve: Callable[[S, E], S], initial: S, events: Iterable[E]) -> S:
    """The state a stream's events leave behind."""
    state = initial
    for event in events:
        state = evolve(state, event)
    return state


C = TypeVar("C")


@dataclass(frozen=True)
class Decider(Generic[S, C, E]):
    """One kind of stream: where its state starts, how commands decide, how events fold."""

    initial: S
    decide: Callable[[S, C], list[E]]
    evolve: Callable[[S, E], S]
