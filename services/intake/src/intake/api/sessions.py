"""Group job-counselling sessions."""

from uuid import UUID, uuid4

from intake import handlers, queries
from intake.api.deps import CaseReader, Caseworker, today
from intake.api.models import SessionRequest
from intake.queries.views import SessionView
from reintegration_sdk import Db, OfficePath, Work, office_router

router = office_router(tags=["counselling sessions"])


@router.post("/counselling-sessions", status_code=201, dependencies=[Caseworker])
async def hold_session(body: SessionRequest, work: Work) -> SessionView:
    """A group job-counselling session; each participant gets CounsellingAttended."""
    command = body.command(body.session_id or uuid4(), today())
    await handlers.hold_counselling_session(work, command)
    return await queries.session(work.db, work.country_office, command.session_id)


@router.get("/counselling-sessions/{session_id}", dependencies=[CaseReader])
async def session(country_office: OfficePath, session_id: UUID, db: Db) -> SessionView:
    return await queries.session(db, country_office, session_id)
