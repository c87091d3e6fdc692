"""Committee sessions over HTTP: record one held, list them, read one with its decisions."""

from uuid import UUID, uuid4

from fastapi import Response
from pydantic import BaseModel

from committee import handlers, queries
from committee.api.common import Format, Reader, Secretary, spreadsheet, today
from committee.api.requests import SessionRecord
from committee.queries.views import SessionDetail, SessionRow
from reintegration_sdk import CSV_ANSWER, Db, OfficePath, Work, office_router

router = office_router(tags=["committee sessions"])


class SessionAccepted(BaseModel):
    session_id: UUID


@router.post("/sessions", status_code=201, dependencies=[Secretary])
async def hold_session(body: SessionRecord, work: Work) -> SessionAccepted:
    """Record a session held in a locality (3+ members, a local authority, a technical expert)."""
    [held] = await handlers.hold_session(work, body.command(uuid4(), today()), body.organisations())
    return SessionAccepted(session_id=held.session_id)


@router.get(
    "/sessions", response_model=list[SessionRow], responses=CSV_ANSWER, dependencies=[Reader]
)
async def list_sessions(
    country_office: OfficePath, db: Db, format: Format = "json"
) -> list[SessionRow] | Response:
    """The office's sessions, latest first, with how many plans each approved and rejected."""
    rows = await queries.sessions(db, country_office)
    return spreadsheet("sessions", SessionRow, rows) if format == "csv" else rows


@router.get("/sessions/{session_id}", dependencies=[Reader])
async def get_session(country_office: OfficePath, session_id: UUID, db: Db) -> SessionDetail:
    """One session: where, when, who sat, and the plans it decided."""
    return await queries.session(db, country_office, session_id)
