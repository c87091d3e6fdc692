"""Intake's OpenAPI document says everything its API does: the bearer scheme, every error
answer with the one error schema, the command headers, the CSV answer and the 410 of erasure."""

import pytest

from intake.app import definition
from reintegration_sdk import create_app
from reintegration_sdk.testing.documents import openapi_problems

pytestmark = pytest.mark.unit


def test_the_api_document_is_complete() -> None:
    assert openapi_problems(create_app(definition)) == []


def test_every_route_is_under_an_office_and_commands_take_an_idempotency_key() -> None:
    document = create_app(definition).openapi()
    routes = [path for path in document["paths"] if path not in {"/health", "/ready", "/metrics"}]
    assert routes and all(path.startswith("/offices/{country_office}/") for path in routes)
    commands = [
        operation
        for item in document["paths"].values()
        for method, operation in item.items()
        if method in {"post", "delete"}
    ]
    # The six acts of reception, the case assignment, and the seven of #20 (community member,
    # psychosocial session and assistance, job fair, CV support, referral and its outcome).
    assert len(commands) == 14
    for operation in commands:
        headers = {p["name"] for p in operation["parameters"] if p["in"] == "header"}
        assert {"Idempotency-Key", "Dry-Run"} <= headers


def test_the_caseload_offers_a_spreadsheet() -> None:
    document = create_app(definition).openapi()
    caseload = document["paths"]["/offices/{country_office}/returnees"]["get"]

    assert "text/csv" in caseload["responses"]["200"]["content"]


def test_the_job_referrals_offer_a_spreadsheet() -> None:
    document = create_app(definition).openapi()
    referrals = document["paths"]["/offices/{country_office}/job-referrals"]["get"]

    assert "text/csv" in referrals["responses"]["200"]["content"]


def test_personal_data_answers_410_once_erased() -> None:
    document = create_app(definition).openapi()
    personal_data = document["paths"][
        "/offices/{country_office}/returnees/{returnee_id}/personal-data"
    ]

    for method in ("get", "delete"):
        assert "ErrorAnswer" in str(personal_data[method]["responses"]["410"]["content"])
