"""Who may call what, and the path and query parameters every route shares."""

from typing import Annotated, Literal

from fastapi import Depends, Path, Query

from reintegration_contracts.types import CountryOffice
from reintegration_sdk.auth import Principal, Role, office_scoped

Office = Annotated[CountryOffice, Path(description="Country office, e.g. bf")]
# Training officers run centres and cohorts; an office manager stands in for any of them.
Officer = Annotated[Principal, Depends(office_scoped(Role.TRAINING_OFFICER))]
Manager = Annotated[Principal, Depends(office_scoped(Role.OFFICE_MANAGER))]
Reader = Annotated[
    Principal,
    Depends(
        office_scoped(
            Role.TRAINING_OFFICER,
            Role.CASEWORKER,
            Role.MONITORING_OFFICER,
            Role.COMMITTEE_SECRETARY,
            Role.PROCUREMENT_OFFICER,
        )
    ),
]
# What is owed to people is for those who run the courses and pay them.
Payer = Annotated[Principal, Depends(office_scoped(Role.TRAINING_OFFICER, Role.OFFICE_MANAGER))]
Format = Annotated[Literal["json", "csv"], Query(description="csv: a file with a header row")]
