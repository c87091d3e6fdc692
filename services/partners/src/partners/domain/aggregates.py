"""The consent-free feed: counts a partner may see under its agreements, no person in them.

A count names no one, so it needs no consent; but a small count can (three returnees certified
in tailoring in one office in one month are easy to find), so a count below the threshold is
shown as "<N" and never as its value. What may be counted is what the agreements in force
cover: their offices, the event types they share, the days they run; a returnee's trade breaks
a count down only where an agreement shares the `trade` field of that event type. The counts
are of distinct returnees, and no pseudonym is in them: a partner cannot join them to its feed.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from reintegration_contracts.stages import Stage

DEFAULT_MIN_COUNT = 5
SUPPRESSION_REASON = (
    "Counts below {n} are shown as '<{n}' and never as their value: so few returnees of one "
    "office, stage and trade could be told apart, and counts are shared without their consent."
)

# The stage of the returnee's path an event type marks (contracts.stages: the reading
# service decides which event establishes a stage).
STAGE_OF_EVENT: dict[str, Stage] = {
    "ReturneeRegistered": Stage.REGISTERED,
    "CounsellingAttended": Stage.COUNSELLED,
    "CounsellingInterviewRecorded": Stage.COUNSELLED,
    "TrainingEnrolled": Stage.IN_TRAINING,
    "TrainingCompleted": Stage.TRAINED,
    "SkillCertified": Stage.CERTIFIED,
    "FollowUpRecorded": Stage.FOLLOWED_UP,
}


@dataclass(frozen=True)
class RawCount:
    """Distinct returnees of one office, event type and (where shared) trade."""

    country_office: str
    event_type: str
    trade: str | None
    returnees: int


@dataclass(frozen=True)
class Cell:
    country_office: str
    event_type: str
    stage: Stage | None
    trade: str | None
    returnees: int | None  # None: suppressed
    shown: str

    @property
    def suppressed(self) -> bool:
        return self.returnees is None


def suppressed(counts: Iterable[RawCount], min_count: int = DEFAULT_MIN_COUNT) -> list[Cell]:
    """The cells a partner sees, in a stable order; a count below `min_count` hidden."""
    cells = []
    for raw in sorted(counts, key=lambda c: (c.country_office, c.event_type, c.trade or "")):
        if raw.returnees <= 0:
            continue
        hidden = raw.returnees < min_count
        cells.append(
            Cell(
                country_office=raw.country_office,
                event_type=raw.event_type,
                stage=STAGE_OF_EVENT.get(raw.event_type),
                trade=raw.trade,
                returnees=None if hidden else raw.returnees,
                shown=f"<{min_count}" if hidden else str(raw.returnees),
            )
        )
    return cells
