"""What `/ready` reports of a background part: up, making progress, or waiting out an outage.

A task that is merely alive says nothing: the old relay's task stayed alive for minutes while
it could publish nothing. Each part reports its state as it changes, and a heartbeat each time
it completes a round, so `/ready` can tell "connected and moving" from "stuck".
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final, Literal

State = Literal["starting", "running", "standby", "unavailable", "stopped", "failed"]
# Standby: a second process of the service, waiting for the relay lock; healthy.
HEALTHY: Final = frozenset({"running", "standby"})


@dataclass
class Health:
    """A background part's state; `stall_seconds` without a heartbeat while running is stuck."""

    name: str
    stall_seconds: float = 30.0
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)
    state: State = "starting"
    reason: str | None = None
    last_heartbeat: float | None = None
    since: float = field(default_factory=time.monotonic)

    def set(self, state: State, reason: str | None = None) -> None:
        if state != self.state:
            self.since = self.clock()
        self.state, self.reason = state, reason
        if state == "running":
            self.heartbeat()

    def heartbeat(self) -> None:
        self.last_heartbeat = self.clock()

    @property
    def ok(self) -> bool:
        if self.state not in HEALTHY:
            return False
        if self.state == "standby":
            return True
        return (
            self.last_heartbeat is not None
            and self.clock() - self.last_heartbeat <= self.stall_seconds
        )

    def describe(self) -> dict[str, object]:
        """For `/ready`'s body: the state, why, and for how long."""
        answer: dict[str, object] = {
            "state": self.state,
            "for_seconds": round(self.clock() - self.since, 1),
        }
        if self.reason:
            answer["reason"] = self.reason
        if self.state == "running" and not self.ok:
            answer["reason"] = f"no progress for more than {self.stall_seconds:.0f} s"
        return answer
