"""Group counselling sessions as recorded, with who attended."""

from uuid import UUID

from intake.queries.rows import Db, json_value
from intake.queries.views import Attendance, SessionView
from reintegration_contracts.types import Locality
from reintegration_sdk import NotFound


async def session(db: Db, country_office: str, session_id: UUID) -> SessionView:
    row = await db.fetchrow("SELECT * FROM counselling_sessions WHERE session_id = $1", session_id)
    if row is None or row["country_office"] != country_office:
        # Another office's session is as unknown here as one never held.
        raise NotFound(f"counselling session {session_id}")
    attended = await db.fetch(
        """SELECT returnee_id, days_since_arrival FROM counselling_history
           WHERE session_id = $1 ORDER BY recorded_at, event_id""",
        session_id,
    )
    return SessionView(
        session_id=session_id,
        held_on=row["held_on"],
        community=Locality(region=row["region"], commune=row["commune"]),
        experts_present=json_value(row["experts_present"]),
        local_authorities_present=row["local_authorities_present"],
        civil_society_present=row["civil_society_present"],
        participants=[Attendance.model_validate(dict(a)) for a in attended],
    )
