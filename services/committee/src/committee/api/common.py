"""What the committee's routes share: who may do what, today's date, spreadsheets."""

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Annotated, Literal

from fastapi import Depends, Query, Response
from pydantic import BaseModel

from reintegration_sdk import Role, csv_response, office_or_hq, office_scoped

READERS = (
    Role.CASEWORKER,
    Role.COMMITTEE_SECRETARY,
    Role.PROCUREMENT_OFFICER,
    Role.MONITORING_OFFICER,
    Role.TRAINING_OFFICER,
)
Submitter = Depends(office_scoped(Role.CASEWORKER, Role.COMMITTEE_SECRETARY))
Secretary = Depends(office_scoped(Role.COMMITTEE_SECRETARY))
Manager = Depends(office_scoped(Role.OFFICE_MANAGER))
Reader = Depends(office_scoped(*READERS))
# The funnel and the localities ready to convene name no one: HQ reads them for any office.
AggregateReader = Depends(office_or_hq(*READERS))

Format = Annotated[Literal["json", "csv"], Query(description="`csv` for a spreadsheet")]


def today() -> date:
    return datetime.now(UTC).date()


def spreadsheet(name: str, model: type[BaseModel], rows: Sequence[BaseModel]) -> Response:
    """The rows as CSV, one column per field of `model`."""
    columns = list(model.model_fields)
    lines = [[row.model_dump(mode="json")[column] for column in columns] for row in rows]
    return csv_response(name, columns, lines)
