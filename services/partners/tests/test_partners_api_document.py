"""The partners API document says everything its API does: bearer scheme, every error
answer with the one error schema, text/csv for the pull feed and the aggregates, two URL
shapes (the office's and the partner's own)."""

import pytest

from partners.app import definition
from reintegration_sdk import create_app
from reintegration_sdk.testing.documents import openapi_problems

pytestmark = pytest.mark.unit


def test_the_api_document_is_complete() -> None:
    app = create_app(definition)

    assert openapi_problems(app) == []
    paths = app.openapi()["paths"]
    own = [path for path in paths if path not in ("/health", "/ready")]
    assert own and all(
        path.startswith(("/offices/{country_office}/", "/partners/{partner_id}/")) for path in own
    )
    csv = [
        path
        for path, item in paths.items()
        if "text/csv" in item.get("get", {}).get("responses", {}).get("200", {}).get("content", {})
    ]
    assert sorted(csv) == ["/partners/{partner_id}/aggregates", "/partners/{partner_id}/feed"]
