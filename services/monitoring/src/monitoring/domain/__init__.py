"""Monitoring's rules of the field: pure, no I/O.

Each module holds one kind of stream: its id, state, commands, rules and its decider (a
returnee's follow-ups, the office's schedule); `sustainability` is the survey arithmetic.
Handlers run commands through `UnitOfWork.execute(<decider>, <stream>, command)`.
"""

from monitoring.domain.follow_ups import (
    Command,
    Delivery,
    FollowUps,
    RecordFollowUp,
    ScheduleFollowUps,
    ScoreSustainability,
    decide,
    evolve,
    follow_up_stream,
    follow_ups,
)
from monitoring.domain.schedule import (
    DEFAULT_OFFSETS_DAYS,
    MAX_OFFSET_DAYS,
    ConfigureSchedule,
    Schedule,
    decide_schedule,
    evolve_schedule,
    schedule_stream,
    schedules,
)
from monitoring.domain.sustainability import Scores, ScoringConfig, score_survey

__all__ = [
    "DEFAULT_OFFSETS_DAYS",
    "MAX_OFFSET_DAYS",
    "Command",
    "ConfigureSchedule",
    "Delivery",
    "FollowUps",
    "RecordFollowUp",
    "Schedule",
    "ScheduleFollowUps",
    "ScoreSustainability",
    "Scores",
    "ScoringConfig",
    "decide",
    "decide_schedule",
    "evolve",
    "evolve_schedule",
    "follow_up_stream",
    "follow_ups",
    "schedule_stream",
    "schedules",
    "score_survey",
]
