"""Procurement's rules, pure: commands are decided into events, events folded into state."""

from collections.abc import Callable, Iterable
from typing import TypeVar

S = TypeVar("S")
E = TypeVar("E")


def fold(evolve: Callable[[S, E], S], initial: S, events: Iterable[E]) -> S:
    """The state a stream's events leave behind."""
    state = initial
    for event in events:
        state = evolve(state, event)
    return state
