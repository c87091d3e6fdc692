"""When a locality's committee should meet: the office's convening threshold.

Committees meet locally once four or five plans are ready (earlier in the programme, 15 to 20
per meeting); each office sets its own number, one stream per office.
"""

from dataclasses import dataclass
from datetime import date

from reintegration_contracts.events.committee import ConveningThresholdSet
from reintegration_sdk import Decider

DEFAULT_CONVENING_THRESHOLD = 4

# The office's last setting, or none yet (the default holds).
Threshold = ConveningThresholdSet | None


def threshold_stream(country_office: str) -> str:
    return f"convening-threshold-{country_office}"


@dataclass(frozen=True)
class SetConveningThreshold:
    threshold: int
    today: date


def decide(current: Threshold, command: SetConveningThreshold) -> list[ConveningThresholdSet]:
    return [ConveningThresholdSet(threshold=command.threshold, set_on=command.today)]


def evolve(current: Threshold, event: ConveningThresholdSet) -> Threshold:
    return event


thresholds = Decider[Threshold, SetConveningThreshold, ConveningThresholdSet](
    initial=None, evolve=evolve, decide=decide
)


def threshold_in_force(setting: int | None) -> int:
    """The office's own threshold, or the programme's default until it sets one."""
    return DEFAULT_CONVENING_THRESHOLD if setting is None else setting


def ready_to_convene(plans_waiting: int, threshold: int) -> bool:
    """A locality has enough reviewed plans waiting for its committee to meet."""
    return plans_waiting >= threshold
