"""Procurement's OpenAPI document says everything its API does: the bearer scheme, every error
answer with the one error schema, the command headers and the CSV answers."""

import pytest

from procurement.app import definition
from reintegration_sdk import create_app
from reintegration_sdk.testing.documents import openapi_problems

pytestmark = pytest.mark.unit


def test_the_api_document_is_complete() -> None:
    assert openapi_problems(create_app(definition)) == []


def test_every_route_is_under_an_office_and_commands_take_an_idempotency_key() -> None:
    document = create_app(definition).openapi()
    routes = [path for path in document["paths"] if path not in {"/health", "/ready", "/metrics"}]
    assert routes and all(path.startswith("/offices/{country_office}/") for path in routes)
    commands = 0
    for item in document["paths"].values():
        for method, operation in item.items():
            if method in {"post", "put"}:
                commands += 1
                headers = {p["name"] for p in operation["parameters"] if p["in"] == "header"}
                assert {"Idempotency-Key", "Dry-Run"} <= headers
    assert commands == 8


def test_every_list_offers_a_spreadsheet() -> None:
    paths = create_app(definition).openapi()["paths"]
    csv = [
        path
        for path, item in paths.items()
        if "text/csv" in item.get("get", {}).get("responses", {}).get("200", {}).get("content", {})
    ]
    assert sorted(csv) == sorted(
        f"/offices/{{country_office}}/{p}"
        for p in ("prices", "budget-reviews", "kit-orders", "deliveries", "spend", "lead-times")
    )
