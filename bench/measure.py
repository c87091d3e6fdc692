"""What one measurement records, and a progress bar fed from a counter."""

import asyncio
import contextlib
import sys
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from tqdm import tqdm

Role = Literal["sdk", "baseline", "peer", "info", "skip"]


@dataclass(frozen=True)
class Result:
    """`events` moved in `seconds` by one system in one phase.

    `role`: "sdk" is measured against the phase's "baseline" (raw client) and, for appends,
    the "peer" (the eventsourcing library); "info" rows explain the difference ("skip" marks
    a system that does not take part in a workload).
    """

    phase: str
    case: str
    role: Role
    events: int
    seconds: float
    details: dict[str, float] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.events / self.seconds if self.seconds > 0 else 0.0

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "events_per_second": round(self.rate, 1)}


def combine(phase: str, case: str, role: Role, events: int, seconds: list[float]) -> Result:
    """One result from rounds of `events` each; the spread between rounds goes in details."""
    rates = [events / s for s in seconds if s > 0]
    details = {"rounds": float(len(seconds))}
    if len(rates) > 1:
        details["slowest_round"] = round(min(rates))
        details["fastest_round"] = round(max(rates))
    return Result(phase, case, role, events * len(seconds), sum(seconds), details)


class Counter:
    """Events done so far; writers bump it, the progress bar reads it."""

    def __init__(self) -> None:
        self.n = 0


@contextlib.asynccontextmanager
async def progress(description: str, total: int) -> AsyncIterator[Counter]:
    """A tqdm bar on stderr refreshed from the counter, off the measured code path."""
    counter = Counter()
    # Bars only on a terminal (disable=None); logs of `make bench` in CI get the table alone.
    bar = tqdm(total=total, desc=f"{description:<46}", unit="ev", file=sys.stderr, disable=None)

    async def tick() -> None:
        while True:
            bar.update(counter.n - bar.n)
            await asyncio.sleep(0.1)

    ticker = asyncio.create_task(tick())
    try:
        yield counter
    finally:
        ticker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await ticker
        bar.update(counter.n - bar.n)
        bar.close()
