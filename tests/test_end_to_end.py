"""End to end: a small programme through all five services, over HTTP and Kafka only.

The five services run as their own processes (the supervisor `make demo` uses) against fresh
databases. The scenario runner plays the office's commands; monitoring's funnel must then show
exactly the counts the scenario expects. Every projection of every service is then rebuilt
(from its store, and from Kafka for what it learnt from others) with the services stopped, and
each read model must come back identical.
"""

import asyncio
import contextlib
import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any
from uuid import uuid4

import pytest

from reintegration_scenarios import scenario, script
from reintegration_scenarios.client import Platform
from reintegration_scenarios.runner import Runner, read_funnel
from reintegration_sdk.auth import Role
from reintegration_sdk.testing.infrastructure import Infrastructure, find_stack_script, free_port
from reintegration_sdk.testing.plugin import temporary_database
from reintegration_sdk.testing.service import untouched_office

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(420)]

SERVICES_SCRIPT = find_stack_script().with_name("services.py")
REINTEGRATE = Path(sys.executable).with_name("reintegrate")


def load_services_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("reintegration_local_services", SERVICES_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


services = sys.modules.get("reintegration_local_services") or load_services_module()


class Platform5:
    """The five services of one test: specs, a supervisor, and where each answers."""

    def __init__(
        self, infrastructure: Infrastructure, office: str, databases: dict[str, str], log_dir: Path
    ) -> None:
        self.office = office
        self.databases = databases
        self.stack_env = {
            "KAFKA_BOOTSTRAP_SERVERS": infrastructure.kafka_bootstrap_servers,
            "DATABASE_URL": infrastructure.database_url,
        }
        self.specs = services.default_specs(
            self.stack_env,
            offices=[office],
            ports={name: free_port() for name in services.SERVICES},
            databases=databases,
            consumer_groups={name: f"e2e-{name}-{uuid4().hex[:8]}" for name in services.SERVICES},
        )
        self.urls = {spec.name: spec.url for spec in self.specs}
        self.log_dir = log_dir
        self.supervisor: Any = None

    async def start(self) -> None:
        self.supervisor = services.Supervisor(self.specs, self.log_dir)
        await asyncio.to_thread(self.supervisor.start)
        await asyncio.to_thread(self.supervisor.wait_ready, 90)

    async def stop(self) -> None:
        if self.supervisor is not None:
            await asyncio.to_thread(self.supervisor.stop)
            self.supervisor = None

    def rebuild(self, service: str) -> subprocess.CompletedProcess[str]:
        """The operator's command, `reintegrate projections rebuild --service X`."""
        env = {
            **os.environ,
            **self.stack_env,
            "SERVICE_DATABASE": self.databases[service],
            "COUNTRY_OFFICES": self.office,
        }
        return subprocess.run(
            [str(REINTEGRATE), "projections", "rebuild", "--service", service],
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )


@contextlib.asynccontextmanager
async def five_services(infrastructure: Infrastructure, log_dir: Path) -> AsyncIterator[Platform5]:
    office = await untouched_office(infrastructure)
    async with contextlib.AsyncExitStack() as cleanup:
        databases = {}
        for name in services.SERVICES:
            url = await cleanup.enter_async_context(
                temporary_database(infrastructure, prefix=f"e2e_{name}")
            )
            databases[name] = url.rsplit("/", 1)[-1]
        platform = Platform5(infrastructure, office, databases, log_dir)
        cleanup.push_async_callback(platform.stop)  # before the databases go
        await platform.start()
        yield platform


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
            "cohort_id", await api.read("training", f"/{cc}/cohorts", Role.TRAINING_OFFICER)
        ),
        "training certifications": await api.read(
            "training", f"/{cc}/certifications", Role.TRAINING_OFFICER
        ),
        "committee plans": by(
            "plan_id",
            await api.read("committee", f"/{cc}/plans", Role.COMMITTEE_SECRETARY, limit=5000),
        ),
        "committee funnel": await api.read("committee", f"/{cc}/funnel", Role.COMMITTEE_SECRETARY),
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
    assert expected[4].plans > expected[5].plans > expected[6].plans > 0

    async with five_services(infrastructure, tmp_path / "logs") as platform:
        async with Platform(platform.urls, platform.office, concurrency=8) as api:
            outcome = await Runner(programme, api).play(settle_timeout=60)
            assert outcome.observed == expected, "monitoring's funnel differs from the scenario"
            assert outcome.commands == programme.commands
            before = await read_models(api)
        # Sanity: the read models hold the programme, not an empty office.
        assert len(before["intake caseload"]) == len(programme.returnees)
        assert len(before["committee plans"]) == len(programme.plans)
        assert len(before["procurement orders"]) == len(programme.deliveries)
        assert sum(r["awaiting_officer"] for r in before["procurement reviews"]) == (
            expected[4].plans - expected[5].plans
        )

        await platform.stop()
        for service in services.SERVICES:
            result = await asyncio.to_thread(platform.rebuild, service)
            assert result.returncode == 0, f"{service} rebuild failed:\n{result.stderr[-3000:]}"
        await platform.start()

        async with Platform(platform.urls, platform.office) as api:
            assert await read_funnel(api) == expected
            after = await read_models(api)
        for name, rows in before.items():
            assert json.dumps(after[name], sort_keys=True) == json.dumps(rows, sort_keys=True), (
                f"{name} differs after the rebuild"
            )
