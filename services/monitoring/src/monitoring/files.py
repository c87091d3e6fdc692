"""Case and plan files in PostgreSQL, for the projections: load a slice for one event, save it
back (the queries read them: `queries/case_files.py`).

Rows an event touches are created empty first and then locked, so two transactions folding
events about the same returnee (a command and the inbox) wait for each other instead of one
overwriting the other's fold.
"""

from collections.abc import Iterable
from uuid import UUID

import asyncpg

from monitoring.casefile import CaseFile, PlanFile, ReadModel


async def lock_slice(
    db: asyncpg.Connection, office: str, plan_id: UUID | None, returnee_ids: Iterable[UUID]
) -> ReadModel:
    model = ReadModel()
    if plan_id is not None:
        plan = PlanFile(plan_id=plan_id, country_office=office)
        await db.execute(
            """INSERT INTO plan_files (plan_id, country_office, data) VALUES ($1, $2, $3::jsonb)
               ON CONFLICT DO NOTHING""",
            plan_id,
            office,
            plan.model_dump_json(),
        )
        row = await db.fetchrow(
            "SELECT data::text FROM plan_files WHERE plan_id = $1 FOR UPDATE", plan_id
        )
        plan = PlanFile.model_validate_json(row[0])
        model.plans[plan_id] = plan
        returnee_ids = [*returnee_ids, *plan.beneficiary_ids]
    ids = sorted(set(returnee_ids), key=str)  # one lock order for every transaction
    if ids:
        empty = [CaseFile(returnee_id=i, country_office=office).model_dump_json() for i in ids]
        await db.execute(
            """INSERT INTO case_files (returnee_id, country_office, data)
               SELECT id, $2, data::jsonb FROM unnest($1::uuid[], $3::text[]) AS t(id, data)
               ON CONFLICT DO NOTHING""",
            ids,
            office,
            empty,
        )
        rows = await db.fetch(
            """SELECT data::text FROM case_files WHERE returnee_id = ANY($1::uuid[])
               ORDER BY returnee_id FOR UPDATE""",
            ids,
        )
        for row in rows:
            case = CaseFile.model_validate_json(row[0])
            model.cases[case.returnee_id] = case
    return model


async def save(db: asyncpg.Connection, model: ReadModel) -> None:
    """Write the files back, and the rows the reports aggregate, derived from them."""
    for plan in model.plans.values():
        await db.execute(
            """UPDATE plan_files SET beneficiary_ids = $2, data = $3::jsonb WHERE plan_id = $1""",
            plan.plan_id,
            plan.beneficiary_ids,
            plan.model_dump_json(),
        )
    if model.plans:
        plan_ids = list(model.plans)
        await db.execute("DELETE FROM plan_stages WHERE plan_id = ANY($1::uuid[])", plan_ids)
        await db.executemany(
            """INSERT INTO plan_stages (plan_id, country_office, stage, reached_on)
               VALUES ($1, $2, $3, $4)""",
            [
                (plan.plan_id, plan.country_office, stage.value, on)
                for plan in model.plans.values()
                for stage, on in plan.stages.items()
            ],
        )
    if not model.cases:
        return
    cases = list(model.cases.values())
    await db.executemany(
        """UPDATE case_files SET data = $2::jsonb, sex = $3, age_band = $4, commune = $5,
               trade = $6, caseworker = $7, vulnerabilities = $8, path = $9
           WHERE returnee_id = $1""",
        [
            (
                case.returnee_id,
                case.model_dump_json(),
                case.sex,
                case.age_band,
                case.commune,
                case.trade,
                case.caseworker,
                case.vulnerabilities,
                case.path.value,
            )
            for case in cases
        ],
    )
    ids = [case.returnee_id for case in cases]
    await db.execute("DELETE FROM case_stages WHERE returnee_id = ANY($1::uuid[])", ids)
    await db.executemany(
        """INSERT INTO case_stages (returnee_id, country_office, stage, reached_on)
           VALUES ($1, $2, $3, $4)""",
        [
            (case.returnee_id, case.country_office, stage.value, on)
            for case in cases
            for stage, on in case.stage_dates().items()
        ],
    )
    await db.execute("DELETE FROM case_completions WHERE returnee_id = ANY($1::uuid[])", ids)
    await db.executemany(
        """INSERT INTO case_completions (returnee_id, cohort_id, country_office, kind, trade,
               passed, completed_on)
           VALUES ($1, $2, $3, $4, $5, $6, $7)""",
        [
            (
                case.returnee_id,
                cohort_id,
                case.country_office,
                done.kind,
                done.trade,
                done.passed,
                done.completed_on,
            )
            for case in cases
            for cohort_id, done in case.completions.items()
        ],
    )
    await db.execute("DELETE FROM open_visits WHERE returnee_id = ANY($1::uuid[])", ids)
    await db.executemany(
        """INSERT INTO open_visits (returnee_id, order_id, due_on, country_office)
           VALUES ($1, $2, $3, $4)""",
        [
            (case.returnee_id, due.order_id, due.due_on, case.country_office)
            for case in cases
            for due in case.open_visits()
        ],
    )
