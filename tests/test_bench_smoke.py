"""`python -m bench` at its smallest size, so a broken benchmark fails the suite.

Every SDK case runs (append with its raw and eventsourcing rows, relay, inbox with its batch
and per-event handlers, the CPU breakdown) on the test broker and database, as `make bench`
runs it. Timings are never asserted: only that each case moved its events and that every
target of the issue's table was measured. The pipeline phase (five services as processes)
is left to `make bench`: it needs unused offices and minutes, not a smoke run's seconds.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reintegration_sdk.testing.infrastructure import Infrastructure

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[1]


def test_every_sdk_case_of_the_bench_runs_at_a_tiny_size(
    infrastructure: Infrastructure, tmp_path: Path
) -> None:
    environment = {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": infrastructure.kafka_bootstrap_servers,
        "DATABASE_URL": infrastructure.database_url,
    }
    phases = ["--phase", "append", "--phase", "relay", "--phase", "inbox"]
    tiny = ["--events", "100", "--writers", "2", "--rounds", "1"]
    run = subprocess.run(
        [sys.executable, "-m", "bench", *phases, *tiny, "--results-dir", str(tmp_path)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-4000:]
    document = json.loads((tmp_path / "latest-sdk.json").read_text())
    cases = {(r["phase"], r["role"], r["case"]): r for r in document["results"]}
    for phase in ("append-1", "append-100", "relay", "inbox"):
        measured = [r for (p, role, _), r in cases.items() if p == phase and role == "sdk"]
        baselines = [r for (p, role, _), r in cases.items() if p == phase and role == "baseline"]
        assert measured and baselines, f"{phase}: SDK and raw rows expected"
        assert all(r["events"] > 0 and r["seconds"] > 0 for r in measured + baselines), phase
    assert ("inbox", "info", "SDK Inbox.process, per-event handler") in cases
    assert all(t["reached"] is not None for t in document["targets"]), document["targets"]
    assert len(document["cpu_per_event_microseconds"]) >= 10
    assert "Targets (issue 18" in run.stdout
