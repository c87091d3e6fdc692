"""Who may call what, and the parameters the lists share."""

from typing import Annotated, Literal

from fastapi import Depends, Query

from reintegration_sdk import Principal, Role, hq_only, office_scoped

# Caseworkers and monitoring officers visit; an office manager also reads and sets the schedule.
FIELD_ROLES = (Role.CASEWORKER, Role.MONITORING_OFFICER)
READER_ROLES = (Role.CASEWORKER, Role.MONITORING_OFFICER, Role.OFFICE_MANAGER)
SCHEDULE_ROLES = (Role.MONITORING_OFFICER, Role.OFFICE_MANAGER)

FieldWorker = Depends(office_scoped(*FIELD_ROLES))
Reader = Depends(office_scoped(*READER_ROLES))
ScheduleKeeper = Depends(office_scoped(*SCHEDULE_ROLES))
HqAnalyst = Depends(hq_only())
# The timeline shows a name only to those who may see personal data (never HQ).
OfficeReader = Annotated[Principal, Reader]

Format = Annotated[Literal["json", "csv"], Query(description="csv: a file with a header row")]


def may_see_personal_data(principal: Principal) -> bool:
    return principal.has_role(Role.PERSONAL_DATA_VIEWER)
