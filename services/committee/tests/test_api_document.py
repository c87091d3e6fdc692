"""The committee's API document says everything its API does: bearer scheme, every error
answer with the one error schema, text/csv where `?format=csv` is offered, one URL shape."""

import pytest

from committee.app import definition
from reintegration_sdk import create_app
from reintegration_sdk.testing.documents import openapi_problems

pytestmark = pytest.mark.unit


def test_the_api_document_is_complete() -> None:
    app = create_app(definition)

    assert openapi_problems(app) == []
    paths = app.openapi()["paths"]
    own = [path for path in paths if path not in ("/health", "/ready")]
    assert own and all(path.startswith("/offices/{country_office}/") for path in own)
    csv = [
        path
        for path, item in paths.items()
        if "text/csv" in item.get("get", {}).get("responses", {}).get("200", {}).get("content", {})
    ]
    assert sorted(csv) == sorted(
        f"/offices/{{country_office}}/{p}"
        for p in ("plans", "sessions", "funnel", "localities/ready-to-convene")
    )
