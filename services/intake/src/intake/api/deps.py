"""Who may call what, today's date, and the parameters the lists share."""

from datetime import UTC, date, datetime
from typing import Annotated, Literal

from fastapi import Depends, Query
from pydantic import BaseModel

from reintegration_sdk import ErrorAnswer, Role, office_scoped

Caseworker = Depends(office_scoped(Role.CASEWORKER))
CaseReader = Depends(office_scoped(Role.CASEWORKER, Role.MONITORING_OFFICER))
# Personal data is shown only to those granted it explicitly (an office manager is not).
PersonalDataViewer = Depends(office_scoped(Role.PERSONAL_DATA_VIEWER))
OfficeManager = Depends(office_scoped(Role.OFFICE_MANAGER))

Format = Annotated[Literal["json", "csv"], Query(description="`csv` for a spreadsheet")]

ERASED: dict[int | str, dict[str, type[BaseModel] | str]] = {
    410: {"model": ErrorAnswer, "description": "The returnee's personal data was erased on request"}
}


def today() -> date:
    return datetime.now(UTC).date()
