"""deploy/local: `up` twice then `down`, twice in a row, on free ports in a private folder."""

import subprocess
import sys
from pathlib import Path

import pytest

from reintegration_sdk.testing.infrastructure import find_stack_script, free_port

pytestmark = pytest.mark.integration


def stack(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(find_stack_script()), *args],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def test_up_is_idempotent_and_down_then_up_again_works(tmp_path: Path) -> None:
    state = tmp_path / "stack"
    ports = [
        "--kafka-port", str(free_port()),
        "--controller-port", str(free_port()),
        "--pg-port", str(free_port()),
    ]  # fmt: skip
    env_file = tmp_path / "test.env"
    try:
        for _ in range(2):
            first = stack("up", "--state-dir", str(state), *ports, "--env-file", str(env_file))
            assert first.returncode == 0, first.stderr
            again = stack("up", "--state-dir", str(state), *ports, "--env-file", str(env_file))
            assert again.returncode == 0, again.stderr
            assert stack("status", "--state-dir", str(state)).returncode == 0
            assert "KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:" in env_file.read_text()
            assert stack("down", "--state-dir", str(state)).returncode == 0
            assert stack("status", "--state-dir", str(state)).returncode == 3
    finally:
        stack("down", "--state-dir", str(state), "--purge")
