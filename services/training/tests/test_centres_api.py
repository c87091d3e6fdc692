"""Centres over HTTP: the contracted-and-inspected gate, bad input, and office scoping."""

from datetime import timedelta
from uuid import uuid4

import pytest
from training_builders import LOCALITY, TODAY, TrainingUnderTest

from reintegration_sdk import Role
from reintegration_sdk.testing.service import auth_headers

pytestmark = pytest.mark.integration


async def test_only_an_inspected_centre_is_contracted_and_takes_trainees(
    training: TrainingUnderTest,
) -> None:
    body = {"name": "Atelier Koupéla", "city": "Koupéla", "trades": ["tiling"], "capacity": 12}
    centre = (await training.post("/centres", body)).json()["id"]
    contract = {
        "contract_reference": "C-K-1",
        "valid_from": str(TODAY - timedelta(days=10)),
        "valid_until": str(TODAY + timedelta(days=90)),
    }
    failed = {"inspected_on": str(TODAY), "equipment_adequate": False, "trainers_qualified": True}

    assert (await training.post(f"/centres/{centre}/inspections", failed)).status_code == 201
    refused = await training.post(f"/centres/{centre}/contracts", contract)
    assert (refused.status_code, refused.json()["rule"]) == (409, "centre_not_inspected")
    vocational = {
        "kind": "vocational",
        "trade": "tiling",
        "centre_id": centre,
        "locality": LOCALITY,
        "start_date": str(TODAY),
        "duration_days": 30,
        "capacity": 10,
    }
    no_course = await training.post("/cohorts", vocational)
    assert (no_course.status_code, no_course.json()["rule"]) == (409, "centre_not_inspected")

    passed = {**failed, "equipment_adequate": True}
    assert (await training.post(f"/centres/{centre}/inspections", passed)).status_code == 201
    assert (await training.post(f"/centres/{centre}/contracts", contract)).status_code == 201
    assert (await training.post("/cohorts", vocational)).status_code == 201

    listed = {c["centre_id"]: c for c in (await training.get("/centres")).json()}
    assert listed[centre]["takes_trainees"] is True
    assert listed[centre]["contract_reference"] == "C-K-1"


async def test_bad_input_names_each_field_and_writes_nothing(training: TrainingUnderTest) -> None:
    before = len((await training.get("/centres")).json())
    body = {"name": "", "city": "Tenkodogo", "trades": ["Welding!"], "capacity": 0}

    response = await training.post("/centres", body)

    assert response.status_code == 422
    fields = {item["field"] for item in response.json()["fields"]}
    assert {"body.name", "body.trades.0", "body.capacity"} <= fields
    assert len((await training.get("/centres")).json()) == before


async def test_a_rule_the_schema_cannot_see_answers_422_with_the_field(
    training: TrainingUnderTest,
) -> None:
    body = {"kind": "vocational", "locality": LOCALITY, "start_date": str(TODAY), "capacity": 5}
    response = await training.post("/cohorts", body)
    assert response.status_code == 422
    assert response.json()["fields"][0]["field"] == "body.duration_days"


async def test_another_offices_centre_answers_like_an_id_that_never_existed(
    training: TrainingUnderTest,
) -> None:
    centre = await training.contracted_centre()
    intruder = auth_headers([Role.TRAINING_OFFICER], [training.other_office], subject="other")
    inspection = {
        "inspected_on": str(TODAY),
        "equipment_adequate": True,
        "trainers_qualified": True,
    }

    # A principal of another office is refused this office's routes...
    listed = await training.client.get(f"/offices/{training.office}/centres", headers=intruder)
    assert listed.status_code == 403
    # ...and through its own office's routes this office's centre is as unknown as a random
    # id: a 403 there would tell that the centre exists elsewhere.
    own = f"/offices/{training.other_office}/centres"
    through_own = await training.client.post(
        f"{own}/{centre}/inspections", json=inspection, headers=intruder
    )
    never_was = await training.client.post(
        f"{own}/{uuid4()}/inspections", json=inspection, headers=intruder
    )
    assert (through_own.status_code, through_own.json()["error"]) == (404, "not_found")
    assert (never_was.status_code, never_was.json()["error"]) == (404, "not_found")
    # Word for word the same answer: nothing in it tells the centre exists elsewhere.
    assert through_own.json() == never_was.json()
    mine = (await training.get("/centres")).json()
    assert next(c for c in mine if c["centre_id"] == str(centre))["inspected_on"] != str(TODAY)


async def test_no_token_is_401_and_a_reader_cannot_command(training: TrainingUnderTest) -> None:
    assert (await training.client.get(f"/offices/{training.office}/centres")).status_code == 401
    caseworker = auth_headers([Role.CASEWORKER], [training.office])
    assert (
        await training.client.get(f"/offices/{training.office}/centres", headers=caseworker)
    ).status_code == 200
    body = {"name": "X", "city": "Y", "trades": ["poultry"], "capacity": 3}
    response = await training.client.post(
        f"/offices/{training.office}/centres", json=body, headers=caseworker
    )
    assert response.status_code == 403


async def test_an_unknown_cohort_is_404(training: TrainingUnderTest) -> None:
    response = await training.enrol(uuid4(), uuid4())
    assert response.status_code == 404


async def test_an_office_code_that_is_no_country_is_422(training: TrainingUnderTest) -> None:
    admin = auth_headers([Role.ADMIN], [])
    response = await training.client.get("/offices/zz/centres", headers=admin)
    assert response.status_code == 422
    assert response.json()["fields"][0]["field"] == "path.country_office"


async def test_an_office_in_capitals_is_422_not_an_empty_list(training: TrainingUnderTest) -> None:
    upper = training.office.upper()
    officer = auth_headers([Role.TRAINING_OFFICER], [training.office])
    response = await training.client.get(f"/offices/{upper}/centres", headers=officer)
    assert response.status_code == 422
    assert response.json()["fields"][0]["field"] == "path.country_office"
