"""Path parameters every service's routes share, typed once."""

from typing import Annotated

from fastapi import Path

from reintegration_contracts.types import CountryOffice

OfficePath = Annotated[
    CountryOffice,
    Path(description="Country office: ISO 3166-1 alpha-2 in lower case", examples=["bf"]),
]
"""`{country_office}`: a lower-case ISO code; anything else answers 422 naming the path."""
