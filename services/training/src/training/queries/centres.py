"""Training centres, their standing, and how full they are."""

from datetime import date
from uuid import UUID

import asyncpg
from pydantic import BaseModel

from training.domain.centres import Centre


class CentreView(BaseModel):
    centre_id: UUID
    name: str
    city: str
    trades: list[str]
    capacity: int
    inspected_on: date | None
    inspection_passed: bool | None
    contract_reference: str | None
    contract_from: date | None
    contract_until: date | None
    takes_trainees: bool
    reason: str | None = None


class CentreUtilisation(BaseModel):
    centre_id: UUID
    name: str
    city: str
    capacity: int
    cohorts_running: int
    seats_offered: int
    trainees: int
    utilisation: float


async def centres(db: asyncpg.Connection, office: str, on: date) -> list[CentreView]:
    rows = await db.fetch(
        "SELECT * FROM centres WHERE country_office = $1 ORDER BY city, name", office
    )
    views = []
    for row in rows:
        centre = Centre(
            row["centre_id"],
            frozenset(row["trades"]),
            row["capacity"],
            row["inspection_passed"],
            row["contract_from"],
            row["contract_until"],
        )
        refusal = centre.refusal(on, on)
        views.append(
            CentreView(
                **{k: v for k, v in dict(row).items() if k in CentreView.model_fields},
                takes_trainees=refusal is None,
                reason=refusal.detail if refusal else None,
            )
        )
    return views


async def utilisation(db: asyncpg.Connection, office: str, on: date) -> list[CentreUtilisation]:
    """Trainees in cohorts running on `on`, against each centre's capacity."""
    rows = await db.fetch(
        """WITH running AS (
               SELECT co.centre_id, co.cohort_id, co.capacity,
                      (SELECT count(*) FROM trainees t WHERE t.cohort_id = co.cohort_id)
                          AS trainees
               FROM cohorts co
               WHERE co.country_office = $1 AND $2 BETWEEN co.start_date AND co.end_date)
           SELECT ce.centre_id, ce.name, ce.city, ce.capacity,
                  count(r.cohort_id) AS cohorts_running,
                  coalesce(sum(r.capacity), 0)::int AS seats_offered,
                  coalesce(sum(r.trainees), 0)::int AS trainees
           FROM centres ce LEFT JOIN running r USING (centre_id)
           WHERE ce.country_office = $1
           GROUP BY ce.centre_id ORDER BY ce.city, ce.name""",
        office,
        on,
    )
    return [
        CentreUtilisation(**dict(row), utilisation=round(row["trainees"] / row["capacity"], 3))
        for row in rows
    ]
