"""The committee's event store and the names of its streams."""

from uuid import UUID

from committee.projections import read_models
from reintegration_sdk.eventstore import EventStore

store = EventStore(projections=[read_models])


def plan_stream(plan_id: UUID) -> str:
    return f"plan-{plan_id}"


def session_stream(session_id: UUID) -> str:
    return f"committee-session-{session_id}"


def threshold_stream(country_office: str) -> str:
    return f"convening-threshold-{country_office}"
