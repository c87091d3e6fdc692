"""End to end: a small programme through all five services, over HTTP and Kafka only.

The five services run as their own processes (the supervisor `make demo` uses) against fresh
databases. The scenario runner plays the office's commands; monitoring's funnel must then show
exactly the counts the scenario expects. Every projection of every service is then rebuilt
(from its store, and from Kafka for what it learnt from others) with the services stopped, and
each read model must come back identical.
"""

import asyncio
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from reintegration_scenarios import scenario, script
from reintegration_scenarios.client import Platform
from reintegration_scenarios.runner import Runner, read_funnel
from reintegration_sdk.auth import Role
from reintegration_sdk.testing.infrastructure import Infrastructure, load_services_module
from reintegration_sdk.testing.platform import LocalPlatform, local_platform
from reintegration_sdk.testing.recording import free_text_on_the_wire, record_office
from reintegration_sdk.testing.service import untouched_office

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(420)]

REINTEGRATE = Path(sys.executable).with_name("reintegrate")
SERVICES = load_services_module().SERVICES


def rebuild(platform: LocalPlatform, service: str) -> subprocess.CompletedProcess[str]:
    """The operator's command, `reintegrate projections rebuild --service X`."""
    return subprocess.run(
        [str(REINTEGRATE), "projections", "rebuild", "--service", service],
        env={**os.environ, **platform.service_env(service)},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


async def read_models(api: Platform) -> dict[str, Any]:
    """Every service's main read models for the office, in a stable order."""
    cc = api.office

    def by(key: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return sorted(rows, key=lambda row: str(row[key]))

    return {
        "intake caseload": by(
            "returnee_id", await api.read("intake", f"/offices/{cc}/returnees", Role.CASEWORKER)
        ),
        "training cohorts": by(
            "cohort_id", await api.read("training", f"/offices/{cc}/cohorts", Role.TRAINING_OFFICER)
        ),
        "training certifications": await api.read(
            "training", f"/offices/{cc}/certifications", Role.TRAINING_OFFICER
        ),
        "committee plans": by(
            "plan_id",
            await api.read(
                "committee", f"/offices/{cc}/plans", Role.COMMITTEE_SECRETARY, limit=5000
            ),
        ),
        "committee funnel": await api.read(
            "committee", f"/offices/{cc}/funnel", Role.COMMITTEE_SECRETARY
        ),
        "procurement reviews": by(
            "plan_id",
            await api.read(
                "procurement", f"/offices/{cc}/budget-reviews", Role.PROCUREMENT_OFFICER
            ),
        ),
        "procurement orders": by(
            "order_id",
            await api.read("procurement", f"/offices/{cc}/kit-orders", Role.PROCUREMENT_OFFICER),
        ),
        "monitoring report": await api.read(
            "monitoring", f"/offices/{cc}/report", Role.MONITORING_OFFICER
        ),
    }


async def test_a_small_programme_flows_through_all_five_services_and_survives_a_rebuild(
    infrastructure: Infrastructure, tmp_path: Path
) -> None:
    small = scenario.load("small")
    programme = script.build(small, date.today())
    expected = programme.expected_funnel()
    # The scenario exercises every stage, including the plans that stop along the way.
    assert all(row.returnees > 0 for row in expected)
    plans = {row.stage: row.plans or 0 for row in expected}
    assert plans["plan_submitted"] > plans["plan_reviewed"] > plans["plan_approved"] > 0

    office = await untouched_office(infrastructure)
    async with local_platform(infrastructure, [office], tmp_path / "logs", "e2e") as platform:
        async with Platform(platform.urls, office, concurrency=8) as api:
            outcome = await Runner(programme, api).play(settle_timeout=60)
            assert outcome.observed == expected, "monitoring's funnel differs from the scenario"
            assert outcome.commands == programme.commands
            before = await read_models(api)
        # Sanity: the read models hold the programme, not an empty office.
        assert len(before["intake caseload"]) == len(programme.returnees)
        assert len(before["committee plans"]) == len(programme.plans)
        assert len(before["procurement orders"]) == len(programme.deliveries)
        assert sum(r["awaiting_officer"] for r in before["procurement reviews"]) == (
            plans["plan_submitted"] - plans["plan_reviewed"]
        )
        # No free text on the wire: every record of every reintegration.<office>.* topic, as
        # published, holds only classified fields, none free text, each within its pattern.
        records = await record_office(infrastructure.kafka_bootstrap_servers, office)
        assert {r.topic.rsplit(".", 1)[-1] for r in records} >= {
            "intake",
            "training",
            "committee",
            "procurement",
            "monitoring",
        }
        assert free_text_on_the_wire(records) == []

        await platform.stop()
        for service in SERVICES:
            result = await asyncio.to_thread(rebuild, platform, service)
            assert result.returncode == 0, f"{service} rebuild failed:\n{result.stderr[-3000:]}"
        await platform.start()

        async with Platform(platform.urls, office) as api:
            assert await read_funnel(api) == expected
            after = await read_models(api)
        for name, rows in before.items():
            assert json.dumps(after[name], sort_keys=True) == json.dumps(rows, sort_keys=True), (
                f"{name} differs after the rebuild"
            )
