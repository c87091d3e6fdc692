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
    for plan in model.plans.values():
        await db.execute(
            """UPDATE plan_files SET beneficiary_ids = $2, data = $3::jsonb WHERE plan_id = $1""",
            plan.plan_id,
            plan.beneficiary_ids,
            plan.model_dump_json(),
        )
    if model.cases:
        await db.executemany(
            "UPDATE case_files SET data = $2::jsonb WHERE returnee_id = $1",
            [(case.returnee_id, case.model_dump_json()) for case in model.cases.values()],
        )
