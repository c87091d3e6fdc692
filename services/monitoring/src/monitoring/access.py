"""Who may do what in monitoring, and the check that a returnee belongs to the office."""

from typing import Annotated
from uuid import UUID

import asyncpg
from fastapi import Depends

from monitoring import files
from reintegration_sdk.auth import AuthorizationError, Principal, Role, office_scoped, require_roles

FIELD_ROLES = (Role.CASEWORKER, Role.MONITORING_OFFICER)
READER_ROLES = (Role.CASEWORKER, Role.MONITORING_OFFICER, Role.OFFICE_MANAGER)
SCHEDULE_ROLES = (Role.MONITORING_OFFICER, Role.OFFICE_MANAGER)

FieldWorker = Annotated[Principal, Depends(office_scoped(*FIELD_ROLES))]
OfficeReader = Annotated[Principal, Depends(office_scoped(*READER_ROLES))]
ScheduleKeeper = Annotated[Principal, Depends(office_scoped(*SCHEDULE_ROLES))]
HqAnalyst = Annotated[Principal, Depends(require_roles(Role.HQ_ANALYST))]


def may_see_personal_data(principal: Principal) -> bool:
    return principal.has_role(Role.PERSONAL_DATA_VIEWER)


async def ensure_in_office(
    db: asyncpg.Connection | asyncpg.Pool, returnee_id: UUID, country_office: str
) -> None:
    """A returnee known to another office is that office's business (403)."""
    case = await files.case_file(db, returnee_id)
    if case is not None and case.country_office != country_office:
        raise AuthorizationError(f"returnee {returnee_id} is not a case of {country_office!r}")
