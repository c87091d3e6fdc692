"""Value types shared by many payloads. None of them identifies a person."""

import re
import unicodedata
from enum import StrEnum
from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from reintegration_contracts.classification import classified
from reintegration_contracts.countries import is_country_code


def _country_code(value: str) -> str:
    if not is_country_code(value):
        raise ValueError("must be a lower-case ISO 3166-1 alpha-2 code, e.g. 'bf'")
    return value


CountryOffice = Annotated[
    str,
    AfterValidator(_country_code),
    Field(description="Country office, ISO 3166-1 alpha-2 in lower case", examples=["bf"]),
]
ReturneeId = Annotated[
    UUID, Field(description="Pseudonymous returnee id; the vault alone links it to a person")
]
Slug = Annotated[
    str,
    Field(
        pattern=r"^[a-z][a-z0-9_]*$",
        max_length=64,
        description="A lower-case identifier, e.g. a trade: 'tailoring', 'livestock_fattening'",
    ),
]
Trade = Annotated[
    str,
    Field(
        pattern=r"^[a-z][a-z0-9_]*$",
        max_length=64,
        description="Trade slug",
        examples=["tailoring", "welding", "poultry"],
    ),
]
# Partners are named in the registry by a DNS label, which every service uses for them.
PartnerId = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$",
        description="A DNS label naming the partner (its feed is partners.<id>.events)",
        examples=["sahel-sante"],
    ),
]
Amount = Annotated[int, Field(ge=0, description="Whole units of the office's currency")]

ITEM_CODE_PATTERN = r"^[a-z][a-z0-9_]{1,59}$"
ItemCode = Annotated[
    str,
    Field(
        pattern=ITEM_CODE_PATTERN,
        description=(
            "A catalogue item code, the key of procurement's price catalogue; the item's name "
            "in words stays in the owning service's database"
        ),
        examples=["sewing_machine", "livestock_feed"],
    ),
]


def item_code(words: str) -> str:
    """The catalogue code of an item named in words: 'Sewing machine' -> 'sewing_machine'.

    The same words always give the same code, so a budget line and a catalogue entry named by
    hand meet on one code (case, spaces, punctuation and accents aside)."""
    ascii_words = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode()
    code = re.sub(r"[^a-z0-9]+", "_", ascii_words.lower()).strip("_")
    if not code or not code[0].isalpha():
        code = f"item_{code}".rstrip("_")
    code = code[:60].rstrip("_")
    return code if len(code) >= 2 else f"{code}_item"


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"


class AgeBand(StrEnum):
    UNDER_15 = "0-14"
    AGE_15_17 = "15-17"
    AGE_18_24 = "18-24"
    AGE_25_34 = "25-34"
    AGE_35_44 = "35-44"
    AGE_45_54 = "45-54"
    AGE_55_64 = "55-64"
    AGE_65_PLUS = "65+"


def age_band_for(age: int) -> AgeBand:
    """The band an age in whole years falls in (events carry the band, never the birth date)."""
    for upper, band in (
        (14, AgeBand.UNDER_15),
        (17, AgeBand.AGE_15_17),
        (24, AgeBand.AGE_18_24),
        (34, AgeBand.AGE_25_34),
        (44, AgeBand.AGE_35_44),
        (54, AgeBand.AGE_45_54),
        (64, AgeBand.AGE_55_64),
    ):
        if age <= upper:
            return band
    return AgeBand.AGE_65_PLUS


class Vulnerability(StrEnum):
    UNACCOMPANIED_MINOR = "unaccompanied_minor"
    VICTIM_OF_TRAFFICKING = "victim_of_trafficking"
    SINGLE_PARENT = "single_parent"
    SERIOUS_MEDICAL_CONDITION = "serious_medical_condition"
    DISABILITY = "disability"
    ELDERLY = "elderly"


class ReturnType(StrEnum):
    ASSISTED_VOLUNTARY = "assisted_voluntary"
    HUMANITARIAN_EVACUATION = "humanitarian_evacuation"
    FORCED = "forced"
    SPONTANEOUS = "spontaneous"


class Track(StrEnum):
    ENTREPRENEURSHIP = "entrepreneurship"
    VOCATIONAL_TRAINING = "vocational_training"
    EMPLOYMENT = "employment"
    OTHER = "other"


@classified(reference="region commune")
class Locality(BaseModel):
    """Where something happens, to commune level: never an exact address."""

    model_config = ConfigDict(frozen=True)

    region: str = Field(min_length=1, max_length=80, examples=["Centre-Est"])
    commune: str = Field(min_length=1, max_length=80, examples=["Tenkodogo"])


@classified(category="trade", count="years_of_experience")
class DeclaredTrade(BaseModel):
    model_config = ConfigDict(frozen=True)

    trade: Trade
    years_of_experience: int = Field(ge=0, le=80)


class ReturneeRef(BaseModel):
    """Helper base for payloads about one returnee."""

    returnee_id: ReturneeId
