"""Command handlers: gather the facts a rule needs, then run the command. No rules here.

Each runs in the route's transaction (`work`), so the facts it reads, the events it appends
and the read models they update commit together.
"""

from dataclasses import replace
from uuid import UUID

from reintegration_contracts import EventPayload
from reintegration_contracts.events.programme import ProgrammeConfigured
from reintegration_contracts.types import Sex
from reintegration_sdk import NotFound, UnitOfWork
from training.domain import allowances, assessments, centres, cohorts
from training.domain.allowances import OfficeRates, SetDailyAllowance, allowance_stream
from training.domain.assessments import AssessSkill, skills_stream
from training.domain.centres import Centre, CentreCommand, centre_stream
from training.domain.cohorts import (
    Cohort,
    CompleteTraining,
    Enrol,
    GrantDaycare,
    Period,
    RecordAttendance,
    ScheduleCohort,
    cohort_stream,
)
from training.domain.programme import DEFAULT_RULES, ProgrammeRules


async def on_centre(
    work: UnitOfWork, centre_id: UUID, command: CentreCommand
) -> list[EventPayload]:
    return await work.execute(centres.decider, centre_stream(centre_id), command)


async def schedule_cohort(work: UnitOfWork, command: ScheduleCohort) -> list[EventPayload]:
    if command.centre_id is not None:
        command = replace(command, centre=await centre_here(work, command.centre_id))
    return await work.execute(cohorts.decider, cohort_stream(command.cohort_id), command)


async def enrol(work: UnitOfWork, cohort_id: UUID, command: Enrol) -> list[EventPayload]:
    returnee_id = command.returnee_id
    await hold_returnee(work, returnee_id)

    async def with_facts(cohort: Cohort) -> Enrol:
        centre = await centre_here(work, cohort.centre_id) if cohort.centre_id else None
        return replace(
            command,
            counselled=await is_counselled(work, returnee_id),
            other_periods=await enrolled_periods(work, returnee_id, besides=cohort_id),
            centre=centre,
            certified_trades=await certified_trades(work, returnee_id),
            registered=await sex_of(work, returnee_id) is not None,
            interviewed=await is_interviewed(work, returnee_id),
            rules=await programme_rules(work),
        )

    return await work.execute(cohorts.decider, cohort_stream(cohort_id), with_facts)


async def record_attendance(
    work: UnitOfWork, cohort_id: UUID, command: RecordAttendance
) -> list[EventPayload]:
    command = replace(command, rates=await office_rates(work))
    return await work.execute(cohorts.decider, cohort_stream(cohort_id), command)


async def grant_daycare(
    work: UnitOfWork, cohort_id: UUID, command: GrantDaycare
) -> list[EventPayload]:
    command = replace(
        command,
        rates=await office_rates(work),
        sex=await sex_of(work, command.returnee_id),
        rules=await programme_rules(work),
    )
    return await work.execute(cohorts.decider, cohort_stream(cohort_id), command)


async def complete(
    work: UnitOfWork, cohort_id: UUID, command: CompleteTraining
) -> list[EventPayload]:
    command = replace(command, rules=await programme_rules(work))
    return await work.execute(cohorts.decider, cohort_stream(cohort_id), command)


async def assess_skill(work: UnitOfWork, command: AssessSkill) -> list[EventPayload]:
    command = replace(
        command,
        centre=await centre_here(work, command.centre_id),
        already_certified=await certified_trades(work, command.returnee_id),
        registered=await sex_of(work, command.returnee_id) is not None,
        rules=await programme_rules(work),
    )
    stream = skills_stream(work.country_office, command.returnee_id)
    return await work.execute(assessments.decider, stream, command)


async def set_daily_allowance(work: UnitOfWork, command: SetDailyAllowance) -> list[EventPayload]:
    rules = await programme_rules(work)
    command = replace(
        command,
        legal_minimum_monthly_wage=rules.legal_minimum_monthly_wage,
        working_days_per_month=rules.working_days_per_month,
    )
    stream = allowance_stream(work.country_office)
    return await work.execute(allowances.decider, stream, command)


# Facts ---------------------------------------------------------------------------------------


async def centre_here(work: UnitOfWork, centre_id: UUID) -> Centre:
    """The centre as this office knows it: another office's centre is no centre at all here,
    exactly like an id that was never registered."""
    try:
        return (await work.load(centres.decider, centre_stream(centre_id))).state
    except NotFound:
        return centres.decider.initial


async def office_rates(work: UnitOfWork) -> OfficeRates:
    loaded = await work.load(allowances.decider, allowance_stream(work.country_office))
    programme = (await programme_rules(work)).daily_allowance
    return OfficeRates(work.country_office, loaded.state, programme)


async def programme_rules(work: UnitOfWork) -> ProgrammeRules:
    """The office's programme as its latest configuration sets it, else the defaults."""
    stored = await work.db.fetchval(
        "SELECT configuration FROM programme_configurations WHERE country_office = $1",
        work.country_office,
    )
    if stored is None:
        return DEFAULT_RULES
    return ProgrammeRules.of(ProgrammeConfigured.model_validate_json(stored))


async def sex_of(work: UnitOfWork, returnee_id: UUID) -> Sex | None:
    """The sex intake registered; none for a returnee this office never registered."""
    found = await work.db.fetchval(
        "SELECT sex FROM registered_returnees WHERE country_office = $1 AND returnee_id = $2",
        work.country_office,
        returnee_id,
    )
    return None if found is None else Sex(found)


async def is_interviewed(work: UnitOfWork, returnee_id: UUID) -> bool:
    found = await work.db.fetchval(
        "SELECT 1 FROM interviewed_returnees WHERE country_office = $1 AND returnee_id = $2",
        work.country_office,
        returnee_id,
    )
    return found is not None


async def hold_returnee(work: UnitOfWork, returnee_id: UUID) -> None:
    """Serialise commands about one returnee until the transaction ends: two enrolments in
    different cohorts would otherwise each miss the other when checking for overlap."""
    await work.db.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended($1::uuid::text, 7))", returnee_id
    )


async def is_counselled(work: UnitOfWork, returnee_id: UUID) -> bool:
    found = await work.db.fetchval(
        "SELECT 1 FROM counselled_returnees WHERE country_office = $1 AND returnee_id = $2",
        work.country_office,
        returnee_id,
    )
    return found is not None


async def enrolled_periods(
    work: UnitOfWork, returnee_id: UUID, besides: UUID
) -> tuple[Period, ...]:
    rows = await work.db.fetch(
        """SELECT c.start_date, c.end_date FROM trainees t JOIN cohorts c USING (cohort_id)
           WHERE t.country_office = $1 AND t.returnee_id = $2 AND t.cohort_id <> $3""",
        work.country_office,
        returnee_id,
        besides,
    )
    return tuple((row["start_date"], row["end_date"]) for row in rows)


async def certified_trades(work: UnitOfWork, returnee_id: UUID) -> frozenset[str]:
    rows = await work.db.fetch(
        "SELECT trade FROM certifications WHERE country_office = $1 AND returnee_id = $2",
        work.country_office,
        returnee_id,
    )
    return frozenset(row["trade"] for row in rows)
