"""The one command path: decide on the loaded stream, append at its version, in the route's
transaction; `Idempotency-Key` replays the first answer and appends nothing more."""

import asyncio
from collections.abc import AsyncIterator
from uuid import uuid4

import asyncpg
import httpx
import pytest
from schedule_desk import definition

from reintegration_sdk.testing.infrastructure import Infrastructure
from reintegration_sdk.testing.service import (
    auth_headers,
    random_office,
    running_service,
    service_settings_for,
)

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def office() -> str:
    return random_office()


@pytest.fixture(scope="module")
def other_office() -> str:
    return random_office()


@pytest.fixture
async def desk(
    infrastructure: Infrastructure, fresh_database: str, office: str, other_office: str
) -> AsyncIterator[tuple[httpx.AsyncClient, asyncpg.Connection]]:
    settings = service_settings_for(infrastructure, fresh_database, [office, other_office])
    async with running_service(definition, settings) as client:
        database = await asyncpg.connect(fresh_database)
        try:
            yield client, database
        finally:
            await database.close()


def officer(office: str, subject: str = "officer-1") -> dict[str, str]:
    return auth_headers(["monitoring_officer"], [office], subject=subject)


def body(*offsets: int) -> dict[str, object]:
    return {"offsets_days": list(offsets), "configured_on": "2018-03-01"}


async def events_in(database: asyncpg.Connection, stream: str) -> int:
    count: int = await database.fetchval("SELECT count(*) FROM events WHERE stream_id = $1", stream)
    return count


async def test_a_command_answers_from_the_read_model_it_wrote_in_its_transaction(
    desk: tuple[httpx.AsyncClient, asyncpg.Connection], office: str
) -> None:
    client, database = desk
    first = await client.post(
        f"/offices/{office}/schedules/a", json=body(15, 30), headers=officer(office)
    )
    second = await client.post(
        f"/offices/{office}/schedules/a", json=body(30, 60), headers=officer(office)
    )
    assert (first.status_code, first.json()) == (201, {"offsets_days": [15, 30], "version": 1})
    assert (second.status_code, second.json()) == (201, {"offsets_days": [30, 60], "version": 2})
    assert await events_in(database, "schedule-a") == 2


async def test_a_retry_with_the_same_key_replays_the_first_answer_and_appends_nothing(
    desk: tuple[httpx.AsyncClient, asyncpg.Connection], office: str
) -> None:
    client, database = desk
    headers = {**officer(office), "Idempotency-Key": str(uuid4())}
    first = await client.post(f"/offices/{office}/schedules/b", json=body(15), headers=headers)
    again = await client.post(f"/offices/{office}/schedules/b", json=body(15), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert await events_in(database, "schedule-b") == 1


async def test_racing_retries_with_one_key_append_once(
    desk: tuple[httpx.AsyncClient, asyncpg.Connection], office: str
) -> None:
    client, database = desk
    headers = {**officer(office), "Idempotency-Key": str(uuid4())}
    answers = await asyncio.gather(
        *(
            client.post(f"/offices/{office}/schedules/c", json=body(10, 20), headers=headers)
            for _ in range(6)
        )
    )
    assert {answer.status_code for answer in answers} == {201}
    assert len({answer.content for answer in answers}) == 1
    assert sum(a.headers.get("idempotent-replayed") == "true" for a in answers) == 5
    assert await events_in(database, "schedule-c") == 1


async def test_the_same_key_for_another_request_is_refused_with_422(
    desk: tuple[httpx.AsyncClient, asyncpg.Connection], office: str
) -> None:
    client, database = desk
    headers = {**officer(office), "Idempotency-Key": "visit-form-17"}
    await client.post(f"/offices/{office}/schedules/d", json=body(15), headers=headers)
    other = await client.post(f"/offices/{office}/schedules/d", json=body(16), headers=headers)
    assert other.status_code == 422
    assert other.json()["fields"][0]["field"] == "header.Idempotency-Key"
    assert await events_in(database, "schedule-d") == 1


async def test_keys_belong_to_who_sent_them(
    desk: tuple[httpx.AsyncClient, asyncpg.Connection], office: str
) -> None:
    client, database = desk
    key = {"Idempotency-Key": "same-key"}
    mine = await client.post(
        f"/offices/{office}/schedules/e", json=body(15), headers={**officer(office), **key}
    )
    theirs = await client.post(
        f"/offices/{office}/schedules/e",
        json=body(15, 30),
        headers={**officer(office, subject="officer-2"), **key},
    )
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert theirs.json()["version"] == 2
    assert await events_in(database, "schedule-e") == 2


async def test_a_refused_command_keeps_nothing_and_its_retry_runs_again(
    desk: tuple[httpx.AsyncClient, asyncpg.Connection], office: str
) -> None:
    client, database = desk
    headers = {**officer(office), "Idempotency-Key": str(uuid4())}
    await client.post(f"/offices/{office}/schedules/f", json=body(15), headers=officer(office))
    refused = await client.post(f"/offices/{office}/schedules/f", json=body(15), headers=headers)
    assert refused.status_code == 409
    assert refused.json()["rule"] == "unchanged"
    # The same key once the state allows it: the refusal was not stored as the answer.
    await client.post(f"/offices/{office}/schedules/f", json=body(20), headers=officer(office))
    accepted = await client.post(f"/offices/{office}/schedules/f", json=body(15), headers=headers)
    assert accepted.status_code == 201
    assert await events_in(database, "schedule-f") == 3


async def test_every_invalid_field_is_named_with_its_place_in_the_body(
    desk: tuple[httpx.AsyncClient, asyncpg.Connection], office: str
) -> None:
    client, _ = desk
    answer = await client.post(
        f"/offices/{office}/schedules/g", json=body(0, 15, 999), headers=officer(office)
    )
    assert answer.status_code == 422
    assert answer.json()["error"] == "validation_error"
    assert [f["field"] for f in answer.json()["fields"]] == [
        "body.offsets_days.0",
        "body.offsets_days.2",
    ]
    schema = await client.post(
        f"/offices/{office}/schedules/g",
        json={"offsets_days": ["x"]},
        headers=officer(office),
    )
    assert {f["field"] for f in schema.json()["fields"]} == {
        "body.offsets_days.0",
        "body.configured_on",
    }


async def test_errors_share_one_shape(
    desk: tuple[httpx.AsyncClient, asyncpg.Connection], office: str
) -> None:
    client, _ = desk
    malformed = await client.post(
        f"/offices/{office}/schedules/h",
        content=b"{not json",
        headers={**officer(office), "content-type": "application/json"},
    )
    assert malformed.status_code == 400
    assert malformed.json()["error"] == "malformed_body"
    upper = await client.get("/offices/ML/schedules/h", headers=officer("ml"))
    assert upper.status_code == 422
    assert upper.json()["fields"][0]["field"] == "path.country_office"
    missing = await client.get(f"/offices/{office}/nowhere", headers=officer(office))
    assert (missing.status_code, missing.json()["error"]) == (404, "not_found")
    for answer in (malformed, upper, missing):
        assert set(answer.json()) >= {"error", "detail"}


async def test_another_offices_stream_answers_as_if_it_did_not_exist(
    desk: tuple[httpx.AsyncClient, asyncpg.Connection], office: str, other_office: str
) -> None:
    client, database = desk
    await client.post(f"/offices/{office}/schedules/i", json=body(15), headers=officer(office))
    elsewhere = await client.post(
        f"/offices/{other_office}/schedules/i/reset", headers=officer(other_office)
    )
    nowhere = await client.post(
        f"/offices/{other_office}/schedules/never-made/reset", headers=officer(other_office)
    )
    assert (elsewhere.status_code, elsewhere.json()["error"]) == (404, "not_found")
    # Byte for byte: nothing tells "exists in another office" from "does not exist".
    assert elsewhere.content == nowhere.content
    taken = await client.post(
        f"/offices/{other_office}/schedules/i", json=body(30), headers=officer(other_office)
    )
    assert (taken.status_code, taken.json()["error"]) == (409, "concurrency_conflict")
    assert await events_in(database, "schedule-i") == 1


async def test_a_dry_run_answers_as_the_command_would_and_keeps_nothing(
    desk: tuple[httpx.AsyncClient, asyncpg.Connection], office: str
) -> None:
    client, database = desk
    dry = {**officer(office), "Dry-Run": "true"}
    accepted = await client.post(f"/offices/{office}/schedules/j", json=body(15), headers=dry)
    assert (accepted.status_code, accepted.json()["version"]) == (201, 1)
    assert accepted.headers["dry-run"] == "true"
    refused = await client.post(f"/offices/{office}/schedules/j", json=body(0), headers=dry)
    assert refused.status_code == 422
    assert await events_in(database, "schedule-j") == 0
    kept = await client.get(f"/offices/{office}/schedules/j", headers=officer(office))
    assert kept.json()["offsets_days"] == []


def test_the_api_document_declares_the_bearer_scheme_and_every_error_answer() -> None:
    from reintegration_sdk.service import create_app
    from reintegration_sdk.testing.documents import openapi_problems

    app = create_app(definition)
    assert openapi_problems(app) == []
    operation = app.openapi()["paths"]["/offices/{country_office}/schedules/{name}"]["post"]
    headers = {p["name"] for p in operation["parameters"] if p["in"] == "header"}
    assert {"Idempotency-Key", "Dry-Run"} <= headers
