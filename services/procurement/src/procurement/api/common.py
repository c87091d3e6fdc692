"""What procurement's routes share: who may do what, the trade in a path, today's date,
spreadsheets."""

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from fastapi import Depends, Path, Query, Response

from reintegration_sdk import Role, csv_response, office_or_hq, office_scoped

READERS = (
    Role.PROCUREMENT_OFFICER,
    Role.COMMITTEE_SECRETARY,
    Role.MONITORING_OFFICER,
    Role.TRAINING_OFFICER,
)
Officer = Depends(office_scoped(Role.PROCUREMENT_OFFICER))
Reader = Depends(office_scoped(*READERS))
# Spend and lead times name no one: HQ reads them for every office.
AggregateReader = Depends(office_or_hq(*READERS))

TradePath = Annotated[str, Path(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Format = Annotated[Literal["json", "csv"], Query(description="`csv` for a spreadsheet")]


def today() -> date:
    """The service dates by UTC, as the rules' "not in the future" does."""
    return datetime.now(UTC).date()


def spreadsheet(name: str, columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> Response:
    """The rows as CSV, one column per name in `columns`."""
    return csv_response(name, columns, ([row.get(column) for column in columns] for row in rows))
