"""Object mothers for SDK tests: small valid events with sensible defaults."""

from datetime import date
from uuid import UUID, uuid4

from reintegration_contracts.events.monitoring import FollowUpRecorded, IncomeBand


def follow_up(returnee_id: UUID | None = None, jobs_created: int = 1) -> FollowUpRecorded:
    return FollowUpRecorded(
        visit_id=uuid4(),
        returnee_id=returnee_id or uuid4(),
        visited_on=date(2018, 9, 1),
        activity_running=True,
        monthly_revenue_band=IncomeBand.MEDIUM,
        monthly_profit_band=IncomeBand.LOW,
        jobs_created=jobs_created,
        support_needed=False,
        satisfaction=4,
        caseworker="cw-1",
    )
