"""deploy/local/services.py: the five services as processes under the supervisor; one killed
is restarted and ready again; stop leaves nothing behind. Plus the CLI's plain errors."""

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reintegration_sdk.testing.infrastructure import (
    Infrastructure,
    find_stack_script,
    load_services_module,
)
from reintegration_sdk.testing.platform import local_platform
from reintegration_sdk.testing.service import random_office

pytestmark = pytest.mark.integration

SCRIPT = find_stack_script().with_name("services.py")
services = load_services_module()


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def wait_for_new_pid(supervisor: object, name: str, old: int, timeout: float = 20) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pid = supervisor.pids()[name]  # type: ignore[attr-defined]
        if pid not in (None, old):
            return int(pid)
        time.sleep(0.1)
    raise AssertionError(f"{name} was not restarted within {timeout} s")


async def test_a_killed_service_is_restarted_and_stop_leaves_nothing(
    infrastructure: Infrastructure, tmp_path: Path
) -> None:
    log_dir = tmp_path / "logs"
    async with local_platform(
        infrastructure, [random_office()], log_dir, ready_timeout=60
    ) as platform:
        supervisor, specs = platform.supervisor, platform.specs
        before = supervisor.pids()
        assert all(before.values()), before

        # A crash: the supervisor starts a new process, which gets ready again.
        killed = before["training"]
        os.kill(killed, signal.SIGKILL)
        after = await asyncio.to_thread(wait_for_new_pid, supervisor, "training", killed)
        await asyncio.to_thread(supervisor.wait_ready, 45)
        training = next(s for s in supervisor.status() if s["name"] == "training")
        assert training["restarts"] == 1
        assert training["state"] == "running"
        assert {n: p for n, p in supervisor.pids().items() if n != "training"} == {
            n: p for n, p in before.items() if n != "training"
        }

        training_log = (log_dir / "training.log").read_text()
        assert "exited unexpectedly (signal 9)" in training_log
        assert training_log.count("Application startup complete") == 2
        for name in services.SERVICES:
            assert f"{name}: started (pid" in (log_dir / f"{name}.log").read_text()
        # monitoring asks intake for names: it must be told where intake actually runs.
        monitoring = next(s for s in specs if s.name == "monitoring")
        intake = next(s for s in specs if s.name == "intake")
        assert monitoring.env["INTAKE_URL"] == intake.url

        await asyncio.to_thread(supervisor.stop)
        assert set(supervisor.pids().values()) == {None}
        for pid in [*before.values(), after]:
            assert not services.pid_alive(pid), f"pid {pid} is still running"
        for spec in specs:
            services.ensure_port_free(spec.port, spec.name)  # raises if still bound


def test_a_port_in_use_is_named_with_its_service(tmp_path: Path) -> None:
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        busy = squatter.getsockname()[1]
        specs = services.default_specs(
            {"KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1", "DATABASE_URL": "postgresql://x@h:1"},
            ports={"committee": busy},
        )
        supervisor = services.Supervisor(specs, tmp_path / "logs", python=sys.executable)
        with pytest.raises(services.ServicesError, match=f"Port 127.0.0.1:{busy} .* committee"):
            supervisor.start()
        assert set(supervisor.pids().values()) == {None}  # nothing was started


def test_start_without_the_virtualenv_says_run_make_install(tmp_path: Path) -> None:
    result = cli(
        "start",
        "--python", str(tmp_path / "no-venv" / "bin" / "python"),
        "--state-dir", str(tmp_path / "state"),
        "--env-file", str(tmp_path / "missing.env"),
    )  # fmt: skip
    assert result.returncode == 2
    assert "run `make install` first" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_start_without_the_stack_says_run_make_up(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in services.STACK_KEYS}
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "start", "--python", sys.executable,
         "--state-dir", str(tmp_path / "state"), "--env-file", str(tmp_path / "missing.env")],
        capture_output=True, text=True, timeout=60, check=False, env=env,
    )  # fmt: skip
    assert result.returncode == 1
    assert "run `make up` first" in result.stderr
    assert "Traceback" not in result.stderr


def test_stop_and_status_with_nothing_running(tmp_path: Path) -> None:
    state = str(tmp_path / "never-started")
    for _ in range(2):
        stopped = cli("stop", "--state-dir", state)
        assert stopped.returncode == 0, stopped.stderr
        assert "not running" in stopped.stdout
    status = cli("status", "--state-dir", state)
    assert status.returncode == 3
    assert "supervisor not running" in status.stdout
