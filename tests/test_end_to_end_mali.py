"""End to end: a small Mali programme through the services, over HTTP and Kafka only.

Mali's path, as the office's configuration (bundled/programmes/ml.json) sets it: an individual
interview is the counselling, vocational courses at contracted centres with day-care for
mothers, and a starting kit after a certified trade, every business-management graduate's
among them, with no business plan or committee. Monitoring's funnel must show exactly the
counts the scenario expects.
"""

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from reintegration_scenarios import scenario, script
from reintegration_scenarios.client import Platform
from reintegration_scenarios.runner import Runner
from reintegration_sdk.auth import Role
from reintegration_sdk.testing.infrastructure import Infrastructure
from reintegration_sdk.testing.platform import local_platform
from reintegration_sdk.testing.service import untouched_office

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(420)]


async def test_a_small_mali_programme_goes_from_interview_to_kit_with_no_plan(
    infrastructure: Infrastructure, tmp_path: Path
) -> None:
    programme = script.build(scenario.load("mali-small"), date.today())
    expected = programme.expected_funnel()
    funnel = {row.stage: row for row in expected}
    assert programme.counselling == [] and programme.plans == []
    assert funnel["kit_delivered"].returnees == len(programme.certified_kits) > 0
    assert any(c.daycare for c in programme.cohorts)

    office = await untouched_office(infrastructure)
    async with (
        local_platform(infrastructure, [office], tmp_path / "logs", "e2e_ml") as platform,
        Platform(platform.urls, office, concurrency=8) as api,
    ):
        outcome = await Runner(programme, api).play(settle_timeout=60)
        assert outcome.observed == expected, "monitoring's funnel differs from the scenario"
        assert outcome.commands == programme.commands
        orders = await api.read(
            "procurement", f"/offices/{office}/kit-orders", Role.PROCUREMENT_OFFICER
        )
        plans = await api.read("committee", f"/offices/{office}/plans", Role.COMMITTEE_SECRETARY)
        report = await api.read("monitoring", f"/offices/{office}/report", Role.MONITORING_OFFICER)
        by_path = await api.read(
            "monitoring", f"/offices/{office}/breakdowns/path", Role.MONITORING_OFFICER
        )

    assert plans == []
    # One kit per certified returnee, each for the trade the script certified, all handed over.
    assert Counter((o["basis"], o["trade"]) for o in orders) == Counter(
        ("certified_trade", k.trade) for k in programme.certified_kits
    )
    assert all(o["delivered_on"] for o in orders)
    # Completions per course and trade, passed and failed apart, as the script played them.
    played: Counter[tuple[str, bool]] = Counter(
        (c.trade or "", c.passed(m)) for c in programme.cohorts for m in c.members
    )
    assert {
        (row["trade"], passed): row["passed" if passed else "failed"]
        for row in report["completions"]
        for passed in (True, False)
        if row["passed" if passed else "failed"]
    } == dict(played)
    assert {row["kind"] for row in report["completions"]} == {"vocational"}
    # Mali's returnees took the certified-trade path to their kits; nobody a business plan.
    assert "business_plan" not in by_path
    assert by_path["certified_trade"]["kit_delivered"] == funnel["kit_delivered"].returnees
