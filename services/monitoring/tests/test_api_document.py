"""Monitoring's OpenAPI document says everything its API does: the bearer scheme, every error
answer with the one error schema, the command headers and the CSV answers; one URL shape."""

import pytest

from monitoring.app import definition
from reintegration_sdk import create_app
from reintegration_sdk.testing.documents import openapi_problems

pytestmark = pytest.mark.unit


def test_the_api_document_is_complete() -> None:
    assert openapi_problems(create_app(definition)) == []


def test_every_route_is_under_an_office_or_hq_and_commands_take_an_idempotency_key() -> None:
    document = create_app(definition).openapi()
    routes = [path for path in document["paths"] if path not in {"/health", "/ready", "/metrics"}]
    assert routes and all(
        path.startswith(("/offices/{country_office}/", "/hq/")) for path in routes
    )
    assert [path for path in routes if path.startswith("/hq/")] == ["/hq/report"]
    for item in document["paths"].values():
        for method, operation in item.items():
            if method in ("post", "put"):
                headers = {p["name"] for p in operation["parameters"] if p["in"] == "header"}
                assert {"Idempotency-Key", "Dry-Run"} <= headers


def test_every_list_offers_a_spreadsheet() -> None:
    document = create_app(definition).openapi()
    lists = {
        path
        for path, item in document["paths"].items()
        for operation in item.values()
        if any(p["name"] == "format" for p in operation.get("parameters", []))
    }
    assert lists == {
        "/offices/{country_office}/flows",
        "/offices/{country_office}/breakdowns/{dimension}",
        "/offices/{country_office}/follow-ups/overdue",
        "/offices/{country_office}/completions",
        "/hq/report",
    }
    for path in lists:
        answer = document["paths"][path]["get"]["responses"]["200"]["content"]
        assert {"application/json", "text/csv"} <= set(answer)
