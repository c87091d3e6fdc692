"""Who may call the routes, and the path and query parameters they share."""

from typing import Annotated

from fastapi import Depends, Path, Query

from procurement.export import Format
from reintegration_contracts.countries import is_country_code
from reintegration_sdk.auth import CurrentPrincipal, Principal, Role, office_scoped
from reintegration_sdk.errors import InvalidField

READERS = (
    Role.PROCUREMENT_OFFICER,
    Role.COMMITTEE_SECRETARY,
    Role.MONITORING_OFFICER,
    Role.TRAINING_OFFICER,
)


def _known_office(country_office: str) -> str:
    if not is_country_code(country_office):
        raise InvalidField("country_office", "not a lower-case ISO 3166-1 alpha-2 code")
    return country_office


def _reader_or_hq(country_office: str, principal: CurrentPrincipal) -> Principal:
    # Spend and lead times name no one: HQ reads them for every office.
    if principal.is_hq:
        return principal
    return office_scoped(*READERS)(country_office, principal)


Office = Annotated[str, Depends(_known_office)]
Officer = Annotated[Principal, Depends(office_scoped(Role.PROCUREMENT_OFFICER))]
Reader = Annotated[Principal, Depends(office_scoped(*READERS))]
AggregateReader = Annotated[Principal, Depends(_reader_or_hq)]
TradePath = Annotated[str, Path(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
FormatQuery = Annotated[Format, Query(alias="format")]
