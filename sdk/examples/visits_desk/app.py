"""Wiring: routes, event store with its projection, reactions, migrations."""

from datetime import date
from pathlib import Path
from typing import Annotated
from uuid import UUID, uuid4

import asyncpg
from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from reintegration_contracts import Domain
from reintegration_contracts.events.monitoring import FollowUpRecorded, IncomeBand
from reintegration_sdk.auth import Principal, Role, office_scoped
from reintegration_sdk.dispatch import EventHandlers
from reintegration_sdk.events import EventMeta
from reintegration_sdk.eventstore import EventStore
from reintegration_sdk.http import RuntimeDep
from reintegration_sdk.service import ServiceDefinition

visits = EventHandlers("visits_per_returnee", tables=["visits_per_returnee"])
seen_on_kafka = EventHandlers("visits_seen", tables=["visits_seen"])
store = EventStore(projections=[visits])
router = APIRouter(prefix="/offices/{country_office}", tags=["visits"])
Caseworker = Annotated[Principal, Depends(office_scoped(Role.CASEWORKER))]


@visits.on(FollowUpRecorded)
async def on_follow_up_recorded(
    db: asyncpg.Connection, event: FollowUpRecorded, meta: EventMeta
) -> None:
    await db.execute(
        """INSERT INTO visits_per_returnee (country_office, returnee_id, visits, jobs)
           VALUES ($1, $2, 1, $3)
           ON CONFLICT (country_office, returnee_id)
           DO UPDATE SET visits = visits_per_returnee.visits + 1, jobs = $3""",
        meta.country_office,
        event.returnee_id,
        event.jobs_created,
    )


@seen_on_kafka.on(FollowUpRecorded)
async def on_follow_up_seen(
    db: asyncpg.Connection, event: FollowUpRecorded, meta: EventMeta
) -> None:
    await db.execute(
        "INSERT INTO visits_seen (event_id, trace) VALUES ($1, $2)", meta.event_id, meta.traceparent
    )


class RecordVisit(BaseModel):
    returnee_id: UUID
    visited_on: date
    activity_running: bool
    jobs_created: int = Field(ge=0, le=1000, description="Jobs the activity created")
    satisfaction: int = Field(ge=1, le=5)


@router.post("/returnees/{returnee_id}/visits", status_code=201)
async def record_visit(
    country_office: str,
    returnee_id: UUID,
    body: RecordVisit,
    principal: Caseworker,
    runtime: RuntimeDep,
    expected_version: int | None = None,
) -> dict[str, object]:
    event = FollowUpRecorded(
        visit_id=uuid4(),
        returnee_id=returnee_id,
        visited_on=body.visited_on,
        activity_running=body.activity_running,
        monthly_revenue_band=IncomeBand.LOW,
        monthly_profit_band=IncomeBand.LOW,
        jobs_created=body.jobs_created,
        support_needed=False,
        satisfaction=body.satisfaction,
        caseworker=principal.subject,
    )
    stream = f"visits-{returnee_id}"
    async with runtime.transaction() as db:
        version = len(await runtime.store.load(db, stream))
        stored = await runtime.store.append(
            db,
            stream,
            version if expected_version is None else expected_version,
            [event],
            runtime.context(principal, country_office),
        )
    return {"event_id": str(stored[0].event_id), "version": stored[0].version}


@router.get("/returnees/{returnee_id}/visits")
async def visit_count(
    country_office: str, returnee_id: UUID, _: Caseworker, runtime: RuntimeDep
) -> dict[str, int]:
    row = await runtime.pool.fetchrow(
        "SELECT visits FROM visits_per_returnee WHERE country_office = $1 AND returnee_id = $2",
        country_office,
        returnee_id,
    )
    return {"visits": row["visits"] if row else 0}


definition = ServiceDefinition(
    name="visits_desk",
    domain=Domain.MONITORING,
    routers=[router],
    store=store,
    migrations=Path(__file__).parent / "migrations",
    reactions=seen_on_kafka,
    consumes=[Domain.MONITORING],
    default_port=8199,
)
