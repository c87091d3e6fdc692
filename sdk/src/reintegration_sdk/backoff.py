"""Capped, jittered backoff for everything that waits out an outage.

Five services that lost Kafka at the same moment must not all knock again at the same
moment; and a part that has waited long must still notice within seconds that the outage
is over. So each delay doubles up to a cap, and is drawn at random from its upper half.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Backoff:
    """Delays for successive failed attempts; `reset()` after a success."""

    first_seconds: float = 0.2
    cap_seconds: float = 5.0
    factor: float = 2.0
    uniform: Callable[[float, float], float] = field(default=random.uniform, repr=False)
    failures: int = 0

    def next_delay(self) -> float:
        """The delay before the next attempt (counts one more failure)."""
        ceiling = min(self.cap_seconds, self.first_seconds * self.factor**self.failures)
        self.failures += 1
        return self.uniform(ceiling / 2, ceiling)

    def reset(self) -> None:
        self.failures = 0
