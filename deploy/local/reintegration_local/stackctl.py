"""The stack's commands: `up` (tools and ports checked first, then whatever is not running),
`down`, `status` and `logs`, over one state dir."""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from .bus import apply_bus, sasl_setup
from .envfile import stack_env, write_env_file
from .kafka import (
    CACHE_LIBS,
    ensure_kafka_jars,
    format_kafka_storage,
    jars_cached,
    kafka_answers,
    running_kafka_pid,
    start_kafka,
    stop_kafka,
    write_kafka_config,
)
from .layout import REPO, Paths, recorded_ports
from .postgres import (
    PG_BIN,
    init_postgres,
    postgres_answers,
    provision_postgres,
    running_postgres_pid,
    start_postgres,
    stop_postgres,
    write_postgres_config,
)
from .processes import StackError, ensure_port_free, file_lock, wait_until

DEFAULT_PORTS = {"kafka_port": 19092, "controller_port": 19093, "pg_port": 15432}
INSTALL_HINT = "on Debian: apt-get install openjdk-17-jre-headless maven postgresql-15"


def require_tools(need_maven: bool) -> None:
    missing = []
    java_bin = shutil.which("java")
    version = [java_bin or "java", "-version"]
    banner = subprocess.run(version, capture_output=True, text=True).stderr if java_bin else ""
    found = re.search(r'version "(\d+)', banner)
    if not found or int(found.group(1)) < 17:
        missing.append("Java 17 or newer (`java`)")
    if need_maven and not shutil.which("mvn"):
        missing.append("Maven (`mvn`, to fetch the Kafka jars once)")
    if not all(
        (PG_BIN / t).exists() for t in ("initdb", "postgres", "pg_ctl", "psql", "pg_isready")
    ):
        missing.append(f"the PostgreSQL 15 server binaries in {PG_BIN}")
    if missing:
        raise StackError(f"Missing {' and '.join(missing)}; install {INSTALL_HINT}.", 2)


def resolve_ports(p: Paths, asked: dict[str, int | None], running: bool) -> dict[str, int]:
    """Explicit ports win, then the ports this state dir last used, then the defaults."""
    recorded = recorded_ports(p)
    ports = {key: asked[key] or recorded.get(key) or d for key, d in DEFAULT_PORTS.items()}
    if running and recorded and ports != recorded:
        used = ", ".join(f"{key.replace('_', ' ')} {port}" for key, port in recorded.items())
        raise StackError(f"The stack in {p.root} runs with {used}; `down` it to change ports.")
    old = recorded.get("controller_port")
    if old and old != ports["controller_port"] and (p.kafka_data / "meta.properties").exists():
        # `format --standalone` wrote the controller endpoint into the KRaft voter set.
        raise StackError(
            f"{p.root} was formatted with controller port {old}, which KRaft keeps; use "
            f"--controller-port {old}, or `down --purge` first."
        )
    return ports


def start_missing(
    p: Paths,
    ports: dict[str, int],
    kafka_pid: int | None,
    pg_pid: int | None,
    credentials: dict[str, str] | None = None,
) -> None:
    """Start whatever is not running, then wait until both answer."""
    started: list[Callable[[Paths], None]] = []
    try:
        if kafka_pid is None:
            ensure_kafka_jars()
            format_kafka_storage(p, credentials)
            kafka_pid = start_kafka(p)  # the JVM boots while PostgreSQL starts
            started.append(stop_kafka)
        if pg_pid is None:
            init_postgres(p)
            write_postgres_config(p, ports["pg_port"])
            start_postgres(p)
            started.append(stop_postgres)
        wait_until(lambda: postgres_answers(ports["pg_port"]), "PostgreSQL", str(p.pg_log))
        provision_postgres(p, ports["pg_port"])
        kafka_logs = f"{p.kafka_log} and {p.kafka_stdout}"
        wait_until(lambda: kafka_answers(ports["kafka_port"]), "Kafka", kafka_logs, kafka_pid)
    except (StackError, KeyboardInterrupt):
        for stop in started:  # a failed `up` must not leak a JVM or a postmaster
            with contextlib.suppress(StackError):
                stop(p)
        raise


def up(
    state_dir: Path | str,
    kafka_port: int | None = None,
    controller_port: int | None = None,
    pg_port: int | None = None,
    env_file: Path | str | None = None,
    sasl: bool | None = None,
    bus_offices: str | None = None,
) -> dict[str, str]:
    """Start (or just re-check) the stack in state_dir; return its connection settings.

    `sasl`: a SCRAM-SHA-512 listener, the StandardAuthorizer and deploy/bus.toml's principals
    and ACLs (None: whatever this state dir was made with). `bus_offices` narrows the ACLs of a
    SASL stack to these offices (comma list; default every ISO 3166-1 code).
    """
    p = Paths(state_dir)
    p.logs.mkdir(parents=True, exist_ok=True)
    with file_lock(p.lock):
        kafka_pid, pg_pid = running_kafka_pid(p), running_postgres_pid(p)
        asked = {"kafka_port": kafka_port, "controller_port": controller_port, "pg_port": pg_port}
        ports = resolve_ports(p, asked, running=bool(kafka_pid or pg_pid))
        if kafka_pid is None or pg_pid is None:
            require_tools(need_maven=kafka_pid is None and not jars_cached())
        # Every port is checked before anything starts, so a conflict never leaves half a stack.
        if kafka_pid is None:
            ensure_port_free(ports["kafka_port"], "Kafka", "--kafka-port")
            ensure_port_free(ports["controller_port"], "the Kafka controller", "--controller-port")
        if pg_pid is None:
            ensure_port_free(ports["pg_port"], "PostgreSQL", "--pg-port")
        p.ports_file.write_text(json.dumps(ports) + "\n")
        credentials, expansion = sasl_setup(p, sasl, bus_offices)
        write_kafka_config(p, ports["kafka_port"], ports["controller_port"], credentials)
        start_missing(p, ports, kafka_pid, pg_pid, credentials)
        if credentials and expansion:
            applied = apply_bus(p, ports["kafka_port"], credentials, expansion)
            print(f"kafka       bus applied: {applied}")
    env = stack_env(ports, credentials, p)
    if env_file is not None:
        write_env_file(Path(env_file), env)
    return env


def down(state_dir: Path | str, purge: bool = False) -> None:
    """Stop the stack in state_dir (fine if already stopped); purge also deletes its data."""
    p = Paths(state_dir)
    if not p.root.exists():
        return
    # Delete only a folder an `up` made (it leaves .lock), and never the shared jar cache.
    if purge and (not p.lock.exists() or CACHE_LIBS.is_relative_to(p.root) or p.root == REPO):
        raise StackError(f"Refusing to purge {p.root}: it is not a stack state dir.")
    with file_lock(p.lock):
        stop_kafka(p)
        stop_postgres(p)
    if purge:
        shutil.rmtree(p.root)
        if not p.pg_sock.is_relative_to(p.root):
            shutil.rmtree(p.pg_sock, ignore_errors=True)
        print(f"purged {p.root}")


def status(state_dir: Path | str) -> int:
    p = Paths(state_dir)
    ports = recorded_ports(p) or DEFAULT_PORTS
    healthy = 0
    for name, pid, port, answers in (
        ("kafka", running_kafka_pid(p), ports["kafka_port"], kafka_answers),
        ("postgresql", running_postgres_pid(p), ports["pg_port"], postgres_answers),
    ):
        where = f"{name:<11} {{}}  127.0.0.1:{port}"
        if pid is None:
            print(where.format("stopped"))
        elif answers(port):
            healthy += 1
            print(where.format("running") + f"  pid {pid}")
        else:
            print(where.format("running") + f"  pid {pid}  (not answering yet)")
    print(f"state dir   {p.root}")
    return 0 if healthy == 2 else 3


def logs(state_dir: Path | str, follow: bool) -> int:
    p = Paths(state_dir)
    files = [str(f) for f in (p.kafka_log, p.kafka_stdout, p.pg_log) if f.exists()]
    print("\n".join(files) or f"No logs yet in {p.logs}.", flush=True)
    follow_flag = ["-F"] if follow else []
    return subprocess.call(["tail", "-n", "40", *follow_flag, *files]) if files else 0
