"""Read models turned into the bodies the JSON API, the CSV exports and the dashboard share."""

from dataclasses import asdict
from datetime import date
from typing import TypeAlias
from uuid import UUID

import asyncpg

from monitoring.casefile import CaseFile, PlanFile
from monitoring.queries import case_files as files
from monitoring.queries import figures as report
from monitoring.queries.views import (
    DurationOut,
    FlowOut,
    FunnelStageOut,
    HqOffice,
    HqReport,
    OfficeReport,
    OverdueOut,
    TimelineLine,
)
from reintegration_contracts.stages import Stage

Db: TypeAlias = asyncpg.Pool | asyncpg.Connection


def _funnel(cases: list[CaseFile], plans: list[PlanFile]) -> list[FunnelStageOut]:
    return [FunnelStageOut(**asdict(s)) for s in report.funnel(cases, plans)]


def _durations(cases: list[CaseFile], ended_in: str | None = None) -> list[DurationOut]:
    return [DurationOut(**asdict(d)) for d in report.durations(cases, ended_in)]


def flows_out(cases: list[CaseFile], by: report.Dimension | None = None) -> list[FlowOut]:
    return [FlowOut(**asdict(f)) for f in report.flows(cases, by)]


def overdue_out(cases: list[CaseFile], today: date) -> list[OverdueOut]:
    return [OverdueOut(**asdict(v)) for v in report.overdue_visits(cases, today)]


async def office_report(db: Db, office: str, today: date) -> OfficeReport:
    cases, plans = await files.office_files(db, office)
    return OfficeReport(
        country_office=office,
        funnel=_funnel(cases, plans),
        durations=_durations(cases),
        monthly=flows_out(cases),
        overdue_visits=len(report.overdue_visits(cases, today)),
    )


async def hq_report(db: Db) -> HqReport:
    offices = []
    for office in await files.offices(db):
        cases, plans = await files.office_files(db, office)
        offices.append(
            HqOffice(
                country_office=office,
                funnel=_funnel(cases, plans),
                durations=_durations(cases),
                monthly=flows_out(cases),
            )
        )
    return HqReport(offices=offices)


async def hq_durations_by_month(db: Db) -> list[tuple[str, str, DurationOut]]:
    """(office, month the intervals ended, duration) for the HQ CSV export."""
    rows = []
    for office in await files.offices(db):
        cases, _ = await files.office_files(db, office)
        for month in report.months_of(cases):
            rows += [(office, month, d) for d in _durations(cases, month) if d.cases]
    return rows


async def timeline(db: Db, returnee_id: UUID) -> list[TimelineLine]:
    rows = await db.fetch(
        """SELECT DISTINCT ON (occurred_on, recorded_at, event_id)
                  occurred_on, domain, event_name, summary
           FROM timeline_entries
           WHERE subject_id = $1
              OR subject_id IN (SELECT plan_id FROM plan_files WHERE $1 = ANY(beneficiary_ids))
           ORDER BY occurred_on, recorded_at, event_id""",
        returnee_id,
    )
    return [TimelineLine(**dict(row)) for row in rows]


async def flows(db: Db, office: str, by: report.Dimension | None = None) -> list[FlowOut]:
    cases, _plans = await files.office_files(db, office)
    return flows_out(cases, by)


async def breakdown(db: Db, office: str, by: report.Dimension) -> dict[str, dict[Stage, int]]:
    cases, _plans = await files.office_files(db, office)
    return report.breakdown(cases, by)


async def overdue(
    db: Db, office: str, today: date, caseworker: str | None = None
) -> list[OverdueOut]:
    cases, _plans = await files.office_files(db, office)
    return [
        v for v in overdue_out(cases, today) if caseworker is None or v.caseworker == caseworker
    ]
