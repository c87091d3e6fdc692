"""An office manager reads and sets the office's programme through the API; each version
travels whole on `reintegration.<cc>.programme` for the services that keep its rules."""

import sys
from pathlib import Path
from uuid import uuid4

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from programme_builders import ProgrammeUnderTest, mali, shipped

from reintegration_contracts.events.programme import ProgrammeConfigured
from reintegration_contracts.topics import topic_for
from reintegration_sdk import Role
from reintegration_sdk.testing.service import auth_headers, read_topic

pytestmark = pytest.mark.integration


def manager(office: str) -> dict[str, str]:
    return {**auth_headers([Role.OFFICE_MANAGER], [office]), "Idempotency-Key": str(uuid4())}


async def test_a_configuration_set_is_read_back_and_published_whole(
    programme: ProgrammeUnderTest,
) -> None:
    office = programme.offices[0]
    url = f"/offices/{office}/configuration"
    reader = auth_headers([Role.TRAINING_OFFICER], [office])
    assert (await programme.client.get(url, headers=reader)).status_code == 404

    put = await programme.client.put(url, json=mali(), headers=manager(office))

    assert put.status_code == 200, put.text
    read = await programme.client.get(url, headers=reader)
    assert read.json() == put.json()
    assert {k: v for k, v in read.json().items() if k not in ("version", "configured_on")} == (
        shipped("ml")
    )
    assert read.json()["version"] == 1
    [envelope] = await read_topic(
        programme.infrastructure,
        topic_for(office, "programme"),
        until=lambda found: len(found) >= 1,
    )
    event = envelope.payload()
    assert isinstance(event, ProgrammeConfigured)
    assert event.courses_leading_to_kit == ["business_management"]


async def test_a_change_is_the_next_version_and_a_retry_with_its_key_appends_nothing(
    programme: ProgrammeUnderTest,
) -> None:
    office = programme.offices[1]
    url = f"/offices/{office}/configuration"
    assert (
        await programme.client.put(url, json=mali(), headers=manager(office))
    ).status_code == 200
    change = mali(certification={"pass_mark": 60, "attendance_threshold_percent": 90})
    headers = manager(office)

    first = await programme.client.put(url, json=change, headers=headers)
    again = await programme.client.put(url, json=change, headers=headers)
    same = await programme.client.put(url, json=change, headers=manager(office))

    assert first.json()["version"] == 2
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.json() == first.json()
    assert same.status_code == 200 and same.json()["version"] == 2
    envelopes = await read_topic(
        programme.infrastructure,
        topic_for(office, "programme"),
        until=lambda found: len(found) >= 2,
    )
    versions = [e.payload() for e in envelopes]
    assert [v.version for v in versions if isinstance(v, ProgrammeConfigured)] == [1, 2]


async def test_an_allowance_not_above_the_minimum_wage_is_refused_by_its_rule(
    programme: ProgrammeUnderTest,
) -> None:
    office = programme.offices[2]
    # 500 XOF a day is about 11,000 a month, against Mali's legal minimum of 40,000.
    body = mali(allowance={**shipped("ml")["allowance"], "daily_amount": 500})

    refused = await programme.client.put(
        f"/offices/{office}/configuration", json=body, headers=manager(office)
    )

    assert refused.status_code == 409
    assert refused.json()["rule"] == "allowance_not_above_minimum_wage"


async def test_every_invalid_field_is_named(programme: ProgrammeUnderTest) -> None:
    office = programme.offices[2]
    url = f"/offices/{office}/configuration"
    shape = mali(certification={"pass_mark": 150, "attendance_threshold_percent": 80})
    del shape["support_offered"]
    inconsistent = mali(daycare={"offered": True, "sexes": []}, support_offered=["job_referral"])

    by_schema = await programme.client.put(url, json=shape, headers=manager(office))
    by_rules = await programme.client.put(url, json=inconsistent, headers=manager(office))

    assert by_schema.status_code == by_rules.status_code == 422
    assert {f["field"] for f in by_schema.json()["fields"]} == {
        "body.certification.pass_mark",
        "body.support_offered",
    }
    assert {f["field"] for f in by_rules.json()["fields"]} == {
        "body.courses_leading_to_kit",
        "body.assessment_leads_to_kit",
        "body.daycare.sexes",
    }


async def test_only_the_office_manager_of_the_office_sets_its_programme(
    programme: ProgrammeUnderTest,
) -> None:
    office, other = programme.offices[2], programme.offices[3]
    url = f"/offices/{office}/configuration"
    caseworker = {**auth_headers([Role.CASEWORKER], [office]), "Idempotency-Key": "k1"}

    assert (await programme.client.put(url, json=mali(), headers=caseworker)).status_code == 403
    assert (await programme.client.put(url, json=mali(), headers=manager(other))).status_code == 403
