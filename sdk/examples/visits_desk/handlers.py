"""Command handlers: gather the facts a rule needs, then run the command. No rules here."""

from dataclasses import replace
from datetime import date

from reintegration_sdk import UnitOfWork
from visits_desk.contract import HomeVisitRecorded
from visits_desk.domain import RecordVisit, home_visits, visits_stream


async def arrival_of(work: UnitOfWork, command: RecordVisit) -> date | None:
    arrival: date | None = await work.db.fetchval(
        """SELECT arrival_date FROM registered_returnees
           WHERE returnee_id = $1 AND country_office = $2""",
        command.returnee_id,
        work.country_office,
    )
    return arrival


async def record_visit(work: UnitOfWork, command: RecordVisit) -> list[HomeVisitRecorded]:
    command = replace(command, arrival_date=await arrival_of(work, command))
    return await work.execute(home_visits, visits_stream(command.returnee_id), command)
