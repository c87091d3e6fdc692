"""The office's programme decides whether a plan waits for the entrepreneurship course: the
configuration arrives from the programme topic (no HTTP between services), the highest version
in force whatever order the versions arrive in."""

import json
from datetime import date
from pathlib import Path
from uuid import uuid4

import pytest

from reintegration_contracts.events.programme import ProgrammeConfigured
from reintegration_sdk.testing.service import upstream_event

from .builders import CommitteeUnderTest, a_locality, a_plan_body

pytestmark = pytest.mark.integration

SHIPPED = Path(__file__).resolve().parents[3] / "scenarios/src/reintegration_scenarios/bundled"


def programme(version: int, entrepreneurship_before_plan: bool) -> ProgrammeConfigured:
    settings = json.loads((SHIPPED / "programmes/bf.json").read_text())
    settings["entrepreneurship_before_plan"] = entrepreneurship_before_plan
    return ProgrammeConfigured(version=version, configured_on=date(2025, 1, version), **settings)


async def test_a_programme_without_the_course_first_takes_plans_of_the_untrained(
    committee: CommitteeUnderTest,
) -> None:
    office = committee.at(committee.no_course_office)
    stream = f"programme-{office.office}"
    awa, bila = uuid4(), uuid4()

    def submitted(*beneficiaries: object) -> dict[str, object]:
        return a_plan_body(list(beneficiaries), a_locality())

    # Until the office's programme is configured, the course comes first (Burkina Faso's way).
    before = await office.post("/plans", submitted(awa), "caseworker")
    assert (before.status_code, before.json()["rule"]) == (409, "beneficiary_not_trained")

    # Version 2 (no course first) arrives before version 1 (course first): 2 is in force.
    await office.deliver(
        upstream_event(programme(2, entrepreneurship_before_plan=False), office.office, stream),
        upstream_event(programme(1, entrepreneurship_before_plan=True), office.office, stream),
    )
    untrained = await office.post("/plans", submitted(awa), "caseworker")
    assert untrained.status_code == 201, untrained.text

    # Version 3 puts the course first again; the office's other rules stand meanwhile.
    await office.deliver(
        upstream_event(programme(3, entrepreneurship_before_plan=True), office.office, stream)
    )
    refused = await office.post("/plans", submitted(bila), "caseworker")
    assert (refused.status_code, refused.json()["rule"]) == (409, "beneficiary_not_trained")
    # ...and it is this office's programme only: the first office still asks for the course.
    elsewhere = await committee.post("/plans", submitted(uuid4()), "caseworker")
    assert elsewhere.json()["rule"] == "beneficiary_not_trained"
