"""Where the tests' Kafka and PostgreSQL come from.

In order: the environment (KAFKA_BOOTSTRAP_SERVERS and DATABASE_URL both set), else
testcontainers when a Docker engine answers, else the deploy/local processes started on free
ports for this test session and stopped after it.
"""

import contextlib
import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType


@dataclass(frozen=True)
class Infrastructure:
    """Addresses of a real Kafka broker and a real PostgreSQL server (superuser URL)."""

    kafka_bootstrap_servers: str
    database_url: str
    origin: str


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def docker_answers() -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        result = subprocess.run(["docker", "info"], capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0


def find_stack_script(start: Path | None = None) -> Path:
    """deploy/local/stack.py of the checkout the tests run in."""
    explicit = os.environ.get("REINTEGRATION_STACK_SCRIPT")
    if explicit:
        return Path(explicit)
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "deploy" / "local" / "stack.py"
        if candidate.exists():
            return candidate
    raise FileNotFoundError("deploy/local/stack.py not found above " + str(here))


def load_script(script: Path, name: str) -> ModuleType:
    """A deploy/local script (standard library only, not a package) imported by path, once."""
    loaded = sys.modules.get(name)
    if loaded is not None and Path(loaded.__file__ or "") == script:
        return loaded
    spec = importlib.util.spec_from_file_location(name, script)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {script}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while being defined
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def load_stack_module(script: Path) -> ModuleType:
    return load_script(script, "reintegration_local_stack")


def load_services_module(start: Path | None = None) -> ModuleType:
    """deploy/local/services.py: the supervisor of the five services."""
    script = find_stack_script(start).with_name("services.py")
    return load_script(script, "reintegration_local_services")


@contextlib.contextmanager
def provide() -> Iterator[Infrastructure]:
    kafka = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    database = os.environ.get("DATABASE_URL")
    if kafka and database:
        yield Infrastructure(kafka, database, origin="environment")
    elif docker_answers():
        with _containers() as infrastructure:
            yield infrastructure
    else:
        with _local_processes() as infrastructure:
            yield infrastructure


@contextlib.contextmanager
def _containers() -> Iterator[Infrastructure]:
    from testcontainers.kafka import KafkaContainer
    from testcontainers.postgres import PostgresContainer

    with (
        KafkaContainer("apache/kafka:4.1.0").with_kraft() as kafka,
        PostgresContainer("postgres:15", driver=None) as postgres,
    ):
        yield Infrastructure(
            kafka.get_bootstrap_server(), postgres.get_connection_url(), origin="testcontainers"
        )


@contextlib.contextmanager
def _local_processes() -> Iterator[Infrastructure]:
    stack = load_stack_module(find_stack_script())
    state_dir = Path(tempfile.mkdtemp(prefix="reintegration-test-stack-"))
    os.chmod(state_dir, 0o755)  # the postgres user must traverse it when we run as root
    try:
        addresses = stack.up(
            state_dir=state_dir,
            kafka_port=free_port(),
            controller_port=free_port(),
            pg_port=free_port(),
            env_file=None,
        )
        yield Infrastructure(
            addresses["KAFKA_BOOTSTRAP_SERVERS"], addresses["DATABASE_URL"], "local processes"
        )
    finally:
        stack.down(state_dir=state_dir, purge=True)
