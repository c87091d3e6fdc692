"""A kind of stream's rules, declared once in a service's domain and run by the SDK.

    plans = Decider(initial=None, evolve=evolve, decide=decide)

`decide(state, command)` returns the new events or raises a domain error naming the rule;
`evolve(state, event)` folds one event into the state. Both are pure: the SDK does the loading,
the folding, the expected version and the append (`UnitOfWork.execute`), so a service declares
its decider instead of writing that loop again.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

S = TypeVar("S")
C = TypeVar("C")
E = TypeVar("E")


@dataclass(frozen=True)
class Decider(Generic[S, C, E]):
    """Where a stream starts, how each event changes it, what a command yields."""

    initial: S
    evolve: Callable[[S, E], S]
    decide: Callable[[S, C], Sequence[E]]

    def fold(self, events: Iterable[E]) -> S:
        """The state after `events`, from the initial state."""
        state = self.initial
        for event in events:
            state = self.evolve(state, event)
        return state

    def given(self, events: Iterable[E], command: C) -> list[E]:
        """What `command` yields on a stream holding `events` (domain tables read this way)."""
        return list(self.decide(self.fold(events), command))
