"""Settings read the offices as a comma list or JSON, and reject unknown codes."""

import pytest
from pydantic import ValidationError

from reintegration_sdk.settings import ServiceSettings, with_database

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("raw", "offices"), [("bf", ["bf"]), ("bf, ml", ["bf", "ml"]), ('["sn","gn"]', ["sn", "gn"])]
)
def test_country_offices_from_the_environment(
    raw: str, offices: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COUNTRY_OFFICES", raw)
    assert ServiceSettings(_env_file=None).country_offices == offices


def test_an_unknown_office_code_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COUNTRY_OFFICES", "bf,XX")
    with pytest.raises(ValidationError, match="ISO 3166-1"):
        ServiceSettings(_env_file=None)


def test_a_service_appends_its_database_to_the_server_url() -> None:
    assert with_database("postgresql://u:p@127.0.0.1:15432", "intake") == (
        "postgresql://u:p@127.0.0.1:15432/intake"
    )
    assert with_database("postgresql://u:p@h:1/other?sslmode=require", "training") == (
        "postgresql://u:p@h:1/training?sslmode=require"
    )
