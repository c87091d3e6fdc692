"""Fixtures of the fault suite: where cases run, the run without fault, the table at the end.

In the short suite every case runs on one shared site (one private stack, one start of the
services, an office per case); in the full suite each case gets a site of its own. The run
without fault is played first on the same kind of site; its event counts are what every
faulty run must reproduce. The table is printed after the run and written to
test-artifacts/chaos.json, with the failed cases too.
"""

import contextlib
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from chaos import report
from chaos.faults import Fault
from chaos.harness import CaseResult, SiteFor, run_case
from chaos.site import Site

OFFICES = ("sn", "gn", "ci", "tg", "bj", "gh", "mr", "td", "cm", "ga", "cd", "gm", "sl", "lr")
DECOY = "cv"  # configured on every site, played by no scenario
RESULTS = pytest.StashKey[list[CaseResult]]()
HERE = Path(__file__).parent


def pytest_configure(config: pytest.Config) -> None:
    config.stash[RESULTS] = []


def fault_of(item: pytest.Item) -> Fault | None:
    callspec = getattr(item, "callspec", None)
    fault = callspec.params.get("fault") if callspec is not None else None
    return fault if isinstance(fault, Fault) else None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    mode = config.getoption("chaos")
    dropped = []
    for item in items:
        if item.get_closest_marker("chaos") is None:
            continue
        fault = fault_of(item)
        if mode == "off" or (mode == "short" and fault is not None and not fault.short):
            dropped.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if item not in dropped]


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    results = config.stash.get(RESULTS, [])
    if not results:
        return
    terminalreporter.section("chaos")
    terminalreporter.write_line(report.table(results))
    path = config.rootpath / "test-artifacts" / "chaos.json"
    report.write(path, results, config.getoption("chaos"))
    terminalreporter.write_line(f"written to {path}; service logs under {artifacts(config)}")


def artifacts(config: pytest.Config) -> Path:
    return config.rootpath / "test-artifacts" / "chaos"


@pytest.fixture(scope="session")
def chaos_results(request: pytest.FixtureRequest) -> list[CaseResult]:
    return request.config.stash[RESULTS]


@pytest.fixture(scope="session")
async def site_for(request: pytest.FixtureRequest) -> AsyncIterator[SiteFor]:
    """site_for(name, offices): the shared site (short suite) or a new one (full suite)."""
    full = request.config.getoption("chaos") == "full"
    # An office per case, and one for the run without fault (a fixture even when its own
    # test is deselected).
    cases = 1 + sum(1 for item in request.session.items if item.get_closest_marker("chaos"))
    shared: list[Site] = []

    def logs(name: str) -> Path:
        folder = artifacts(request.config) / name
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        return folder

    @contextlib.asynccontextmanager
    async def one(name: str, offices: int) -> AsyncIterator[Site]:
        if full:
            async with Site(OFFICES[:offices], DECOY, logs(name)) as own:
                yield own
            return
        if not shared:
            site = Site(OFFICES[:cases], DECOY, logs("shared"))
            shared.append(await site.__aenter__())
        yield shared[0]

    try:
        yield one
    finally:
        for site in shared:
            await site.__aexit__()


@pytest.fixture(scope="session")
async def baseline(site_for: SiteFor, chaos_results: list[CaseResult]) -> CaseResult:
    """The scenario without fault, played first; every other case is compared with it."""
    async with site_for("none", 1) as site:
        result = await run_case(site, None, None)
    chaos_results.insert(0, result)
    return result
