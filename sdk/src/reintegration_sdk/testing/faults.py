"""A stack of this test's own, and the faults a test may inflict on it.

Fault tests kill and restart Kafka and PostgreSQL; doing that to the session's shared stack
would fail every other test running against it. `private_stack()` starts deploy/local's real
processes on free ports in a temporary folder, and purges them afterwards.

    with private_stack() as stack:
        ...  # services against stack.infrastructure
        stack.kill_kafka()          # kill -9, like a power cut
        stack.start_kafka()
        stack.restart_postgres()    # pg_ctl -m fast restart
        stack.kill_postgres()       # kill -9 of the postmaster and every backend
        stack.start_postgres()
"""

import contextlib
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

from reintegration_sdk.testing.infrastructure import (
    Infrastructure,
    find_stack_script,
    free_port,
    load_stack_module,
)


class PrivateStack:
    """Kafka and PostgreSQL processes that belong to one test; every fault waits until done."""

    def __init__(self, stack: ModuleType, state_dir: Path, infrastructure: Infrastructure) -> None:
        self._stack = stack
        self.state_dir = state_dir
        self.infrastructure = infrastructure

    def kill_kafka(self) -> None:
        self._stack.kill_kafka(self.state_dir)

    def start_kafka(self) -> float:
        """Start the broker again; returns the seconds until it answered."""
        began = time.monotonic()
        self._stack.start_kafka_again(self.state_dir)
        return time.monotonic() - began

    def restart_postgres(self) -> None:
        self._stack.restart_postgres_fast(self.state_dir)

    def kill_postgres(self) -> None:
        self._stack.kill_postgres(self.state_dir)

    def start_postgres(self) -> float:
        began = time.monotonic()
        self._stack.start_postgres_again(self.state_dir)
        return time.monotonic() - began


@contextlib.contextmanager
def private_stack() -> Iterator[PrivateStack]:
    """A fresh Kafka and PostgreSQL on free ports, stopped and deleted on exit."""
    stack = load_stack_module(find_stack_script())
    state_dir = Path(tempfile.mkdtemp(prefix="reintegration-fault-stack-"))
    os.chmod(state_dir, 0o755)  # the postgres user must traverse it when we run as root
    try:
        addresses = stack.up(
            state_dir=state_dir,
            kafka_port=free_port(),
            controller_port=free_port(),
            pg_port=free_port(),
            env_file=None,
        )
        infrastructure = Infrastructure(
            addresses["KAFKA_BOOTSTRAP_SERVERS"], addresses["DATABASE_URL"], "private stack"
        )
        yield PrivateStack(stack, state_dir, infrastructure)
    finally:
        stack.down(state_dir=state_dir, purge=True)
