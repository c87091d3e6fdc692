"""Training centres, their standing, and how full they are."""

from datetime import date
from uuid import UUID

import asyncpg
from pydantic import BaseModel

from training.domain.centres import Centre
from training.domain.cohorts import runs_on


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
    centres = await db.fetch(
        """SELECT centre_id, name, city, capacity FROM centres
           WHERE country_office = $1 ORDER BY city, name""",
        office,
    )
    cohorts = await db.fetch(
        """SELECT co.centre_id, co.start_date, co.end_date, co.capacity,
                  (SELECT count(*) FROM trainees t WHERE t.cohort_id = co.cohort_id) AS trainees
           FROM cohorts co WHERE co.country_office = $1 AND co.centre_id IS NOT NULL""",
        office,
    )
    running = [c for c in cohorts if runs_on((c["start_date"], c["end_date"]), on)]
    views = []
    for centre in centres:
        here = [c for c in running if c["centre_id"] == centre["centre_id"]]
        trainees = sum(c["trainees"] for c in here)
        views.append(
            CentreUtilisation(
                **dict(centre),
                cohorts_running=len(here),
                seats_offered=sum(c["capacity"] for c in here),
                trainees=trainees,
                utilisation=round(trainees / centre["capacity"], 3),
            )
        )
    return views
