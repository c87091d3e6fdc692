"""The events every phase moves: a follow-up visit, as the monitoring service records it."""

import random
from datetime import UTC, date, datetime
from uuid import uuid4

from reintegration_contracts import EventEnvelope, source_for
from reintegration_contracts.events.monitoring import FollowUpRecorded, IncomeBand

OFFICE = "bf"
ACTOR = "bench"


def follow_up() -> FollowUpRecorded:
    return FollowUpRecorded(
        visit_id=uuid4(),
        returnee_id=uuid4(),
        visited_on=date(2018, 9, 1),
        activity_running=True,
        monthly_revenue_band=IncomeBand.MEDIUM,
        monthly_profit_band=IncomeBand.LOW,
        jobs_created=random.randint(0, 5),
        support_needed=False,
        satisfaction=4,
        caseworker="cw-bench",
    )


def envelope(payload: FollowUpRecorded, stream_id: str) -> EventEnvelope:
    """The event as the monitoring service's relay would publish it."""
    return EventEnvelope(
        id=uuid4(),
        source=source_for(OFFICE, "monitoring"),
        type=payload.ce_type(),
        time=datetime.now(UTC),
        subject=stream_id,
        countryoffice=OFFICE,
        correlationid=str(uuid4()),
        actor=ACTOR,
        dataversion=payload.event_version,
        data=payload.model_dump(mode="json"),
    )
