"""The programme service's OpenAPI document says everything its API does."""

import pytest

from programme.app import definition
from reintegration_sdk import create_app
from reintegration_sdk.testing.documents import openapi_problems

pytestmark = pytest.mark.unit


def test_the_api_document_is_complete() -> None:
    assert openapi_problems(create_app(definition)) == []


def test_the_configuration_is_read_and_set_under_the_office() -> None:
    paths = create_app(definition).openapi()["paths"]
    operation = paths["/offices/{country_office}/configuration"]
    assert {"get", "put"} <= set(operation)
    headers = {p["name"] for p in operation["put"]["parameters"] if p["in"] == "header"}
    assert {"Idempotency-Key", "Dry-Run"} <= headers
