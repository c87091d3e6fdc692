"""The office's follow-up schedule: the days after a delivery at which visits fall due.

One stream per office (`follow-up-schedule-<cc>`); a new schedule applies to kits delivered
after it, never to visits already scheduled.
"""

from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from reintegration_contracts import EventPayload
from reintegration_contracts.events.monitoring import FollowUpScheduleConfigured
from reintegration_sdk import Decider, InvalidField

# 15, 30, 60 and 90 days after delivery, then quarterly until the activity is a year old.
DEFAULT_OFFSETS_DAYS: tuple[int, ...] = (15, 30, 60, 90, 180, 270, 365)
MAX_OFFSET_DAYS = 730


def schedule_stream(country_office: str) -> str:
    return f"follow-up-schedule-{country_office}"


@dataclass(frozen=True)
class Schedule:
    offsets_days: tuple[int, ...] = DEFAULT_OFFSETS_DAYS


@dataclass(frozen=True)
class ConfigureSchedule:
    offsets_days: tuple[int, ...]
    configured_on: date


def decide_schedule(state: Schedule, command: ConfigureSchedule) -> list[EventPayload]:
    offsets = command.offsets_days
    if not offsets:
        raise InvalidField("offsets_days", "name at least one visit")
    if any(day < 1 or day > MAX_OFFSET_DAYS for day in offsets):
        raise InvalidField("offsets_days", f"each offset is 1 to {MAX_OFFSET_DAYS} days")
    if any(later <= earlier for earlier, later in pairwise(offsets)):
        raise InvalidField("offsets_days", "offsets must be strictly increasing")
    if offsets == state.offsets_days:
        return []
    return [
        FollowUpScheduleConfigured(offsets_days=list(offsets), configured_on=command.configured_on)
    ]


def evolve_schedule(state: Schedule, event: EventPayload) -> Schedule:
    if isinstance(event, FollowUpScheduleConfigured):
        return Schedule(tuple(event.offsets_days))
    return state


schedules: Decider[Schedule, ConfigureSchedule, EventPayload] = Decider(
    initial=Schedule(), evolve=evolve_schedule, decide=decide_schedule
)
