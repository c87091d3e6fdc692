"""Training's OpenAPI document says everything its API does: the bearer scheme, every error
answer with the one error schema, the command headers and the CSV answers."""

import pytest

from reintegration_sdk import create_app
from reintegration_sdk.testing.documents import openapi_problems
from training.app import definition

pytestmark = pytest.mark.unit


def test_the_api_document_is_complete() -> None:
    assert openapi_problems(create_app(definition)) == []


def test_every_route_is_under_an_office_and_commands_take_an_idempotency_key() -> None:
    document = create_app(definition).openapi()
    routes = [path for path in document["paths"] if path not in {"/health", "/ready", "/metrics"}]
    assert routes and all(path.startswith("/offices/{country_office}/") for path in routes)
    for item in document["paths"].values():
        for method, operation in item.items():
            if method == "post":
                headers = {p["name"] for p in operation["parameters"] if p["in"] == "header"}
                assert {"Idempotency-Key", "Dry-Run"} <= headers


def test_every_list_offers_a_spreadsheet() -> None:
    document = create_app(definition).openapi()
    lists = [
        operation
        for item in document["paths"].values()
        for operation in item.values()
        if any(p["name"] == "format" for p in operation.get("parameters", []))
    ]
    assert len(lists) == 9
    assert all("text/csv" in operation["responses"]["200"]["content"] for operation in lists)
