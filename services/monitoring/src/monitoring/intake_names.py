"""A returnee's name, fetched from intake's vault at request time and never stored here.

The caller's own token is forwarded, so intake applies its own rules on who sees personal data.
"""

from dataclasses import dataclass
from typing import Any
from uuid import UUID

import httpx
from pydantic_settings import BaseSettings, SettingsConfigDict


class IntakeSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    intake_url: str = "http://127.0.0.1:8101"
    intake_personal_data_path: str = (
        "/offices/{country_office}/returnees/{returnee_id}/personal-data"
    )
    intake_timeout_seconds: float = 3.0


@dataclass(frozen=True)
class NameLookup:
    name: str | None
    status: str  # shown | hidden | erased | unavailable


HIDDEN = NameLookup(None, "hidden")


async def name_of(
    settings: IntakeSettings, country_office: str, returnee_id: UUID, authorization: str
) -> NameLookup:
    path = settings.intake_personal_data_path.format(
        country_office=country_office, returnee_id=returnee_id
    )
    try:
        async with httpx.AsyncClient(
            base_url=settings.intake_url, timeout=settings.intake_timeout_seconds
        ) as client:
            response = await client.get(path, headers={"Authorization": authorization})
    except httpx.HTTPError:
        return NameLookup(None, "unavailable")
    if response.status_code == 410:
        return NameLookup(None, "erased")
    if response.status_code != 200:
        return NameLookup(None, "unavailable")
    name = _name_in(response.json())
    return NameLookup(name, "shown") if name else NameLookup(None, "unavailable")


def _name_in(body: Any) -> str | None:
    """Intake's field names are read tolerantly: a full name, or given and family names."""
    if not isinstance(body, dict):
        return None
    for nested in ("personal_data", "names", "person"):
        if isinstance(body.get(nested), dict):
            return _name_in(body[nested])
    for key in ("full_name", "name"):
        if isinstance(body.get(key), str) and body[key].strip():
            return str(body[key]).strip()
    parts = [
        body.get(key)
        for key in ("given_names", "first_name", "given_name", "family_name", "last_name")
    ]
    joined = " ".join(p.strip() for p in parts if isinstance(p, str) and p.strip())
    return joined or None
