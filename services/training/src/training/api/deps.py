"""Who may call what, and the parameters and answers the lists share."""

from collections.abc import Sequence
from typing import Annotated, Literal

from fastapi import Depends, Query, Response
from pydantic import BaseModel

from reintegration_sdk import Role, csv_response, office_scoped

# Training officers run centres and cohorts; an office manager stands in for any of them.
Officer = Depends(office_scoped(Role.TRAINING_OFFICER))
Manager = Depends(office_scoped(Role.OFFICE_MANAGER))
Reader = Depends(
    office_scoped(
        Role.TRAINING_OFFICER,
        Role.CASEWORKER,
        Role.MONITORING_OFFICER,
        Role.COMMITTEE_SECRETARY,
        Role.PROCUREMENT_OFFICER,
    )
)
# What is owed to people is for those who run the courses and pay them.
Payer = Depends(office_scoped(Role.TRAINING_OFFICER, Role.OFFICE_MANAGER))
Format = Annotated[Literal["json", "csv"], Query(description="csv: a file with a header row")]


def spreadsheet(name: str, model: type[BaseModel], items: Sequence[BaseModel]) -> Response:
    """`items` as the SDK's CSV answer, one column per field of `model`."""
    rows = [list(item.model_dump(mode="json").values()) for item in items]
    return csv_response(name, list(model.model_fields), rows, list_separator=" ")
