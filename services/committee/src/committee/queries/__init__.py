"""Reads for one country office at a time: SQL gathers the rows, the domain's vocabulary
(statuses, locality keys, the threshold in force) says which."""

from committee.queries.lists import PlanFilter, plans, session, sessions, threshold
from committee.queries.plan_detail import plan
from committee.queries.reports import funnel, localities_ready_to_convene

__all__ = [
    "PlanFilter",
    "funnel",
    "localities_ready_to_convene",
    "plan",
    "plans",
    "session",
    "sessions",
    "threshold",
]
