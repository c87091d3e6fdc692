"""Allowances owed for attended days, per returnee and per cohort; the office's rates."""

from datetime import date
from uuid import UUID

import asyncpg
from pydantic import BaseModel

from reintegration_contracts.events.training import CourseKind
from training.domain.allowances import DailyRate, rate_on


class ReturneeAllowance(BaseModel):
    returnee_id: UUID
    cohorts: int
    days_attended: int
    allowance: int
    daycare: int
    total: int
    currency: str


class CohortAllowance(BaseModel):
    cohort_id: UUID
    kind: CourseKind
    trade: str | None
    trainees: int
    days_attended: int
    allowance: int
    daycare: int
    total: int
    currency: str


class DailyAllowanceView(BaseModel):
    daily_amount: int
    currency: str
    effective_from: date | None


class DailyAllowances(BaseModel):
    in_force: DailyAllowanceView | None
    history: list[DailyAllowanceView]


async def by_returnee(db: asyncpg.Connection, office: str) -> list[ReturneeAllowance]:
    rows = await db.fetch(
        """SELECT returnee_id, count(DISTINCT cohort_id) AS cohorts, count(*) AS days_attended,
                  sum(allowance) AS allowance, sum(daycare) AS daycare,
                  sum(allowance + daycare) AS total, currency
           FROM allowances_owed WHERE country_office = $1
           GROUP BY returnee_id, currency ORDER BY returnee_id, currency""",
        office,
    )
    return [ReturneeAllowance(**dict(row)) for row in rows]


async def by_cohort(db: asyncpg.Connection, office: str) -> list[CohortAllowance]:
    rows = await db.fetch(
        """SELECT a.cohort_id, c.kind, c.trade, count(DISTINCT a.returnee_id) AS trainees,
                  count(*) AS days_attended, sum(a.allowance) AS allowance,
                  sum(a.daycare) AS daycare, sum(a.allowance + a.daycare) AS total, a.currency
           FROM allowances_owed a JOIN cohorts c USING (cohort_id)
           WHERE a.country_office = $1
           GROUP BY a.cohort_id, c.kind, c.trade, c.start_date, a.currency
           ORDER BY c.start_date, a.cohort_id, a.currency""",
        office,
    )
    return [CohortAllowance(**dict(row)) for row in rows]


async def daily_allowances(db: asyncpg.Connection, office: str, on: date) -> DailyAllowances:
    rows = await db.fetch(
        """SELECT daily_amount, currency, effective_from FROM daily_allowances
           WHERE country_office = $1 ORDER BY effective_from""",
        office,
    )
    rates = [DailyRate(r["daily_amount"], r["currency"], r["effective_from"]) for r in rows]
    rate = rate_on(office, rates, on)
    return DailyAllowances(
        in_force=_view(rate.daily_amount, rate.currency, rate.effective_from) if rate else None,
        history=[_view(r.daily_amount, r.currency, r.effective_from) for r in rates],
    )


def _view(amount: int, currency: str, effective_from: date) -> DailyAllowanceView:
    # The built-in office default has no start date of its own.
    start = None if effective_from == date.min else effective_from
    return DailyAllowanceView(daily_amount=amount, currency=currency, effective_from=start)
