#!/usr/bin/env python3
"""Embedded local stack: real Apache Kafka 4.4.0 (KRaft, one combined broker+controller, a Java
process) and real PostgreSQL 15 (a local process), both on 127.0.0.1 only. No Docker.

Standard library only: it runs before any virtualenv exists. Importable by path for fixtures:
    env = stack.up(state_dir, kafka_port, controller_port, pg_port)  # env_file=None: no .env
    stack.down(state_dir, purge=True)
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _load_package() -> None:
    """reintegration_local, beside this file, by name without putting deploy/local on sys.path
    (a fixture loads this script by path; the folder's names would shadow installed ones)."""
    name, folder = "reintegration_local", HERE / "reintegration_local"
    loaded = sys.modules.get(name)
    if loaded is not None and Path(loaded.__file__ or "").parent == folder:
        return
    for stale in [key for key in sys.modules if key == name or key.startswith(name + ".")]:
        del sys.modules[stale]  # another checkout's: this script's modules are the ones beside it
    spec = importlib.util.spec_from_file_location(
        name, folder / "__init__.py", submodule_search_locations=[str(folder)]
    )
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {folder}")
    package = importlib.util.module_from_spec(spec)
    sys.modules[name] = package
    spec.loader.exec_module(package)


_load_package()

from reintegration_local.bus import (  # noqa: E402
    APPLY_BUS,
    BUS_SCRIPT,
    apply_bus,
    bus_lines,
    bus_principals,
    ensure_credentials,
    load_credentials,
    sasl_setup,
)
from reintegration_local.envfile import (  # noqa: E402
    SASL_ENV_KEYS,
    stack_env,
    write_env_file,
)
from reintegration_local.kafka import (  # noqa: E402
    CACHE_LIBS,
    JAVA_OPTS,
    KAFKA_VERSION,
    LOG4J2_CONFIG,
    POM,
    SASL_MECHANISM,
    SUPERUSERS,
    ensure_kafka_jars,
    format_kafka_storage,
    jaas,
    jars_cached,
    java,
    kafka_answers,
    kill_kafka,
    new_cluster_id,
    pom_digest,
    running_kafka_pid,
    sasl_settings,
    start_kafka,
    start_kafka_again,
    stop_kafka,
    write_kafka_config,
)
from reintegration_local.layout import (  # noqa: E402
    REPO,
    Paths,
    recorded_ports,
)
from reintegration_local.postgres import (  # noqa: E402
    ADMIN_ROLE,
    DB_OS_USER,
    INITDB_OPTS,
    PG_BIN,
    SERVICES,
    give_to_db_user,
    init_postgres,
    is_root,
    kill_postgres,
    make_ancestors_traversable,
    pg,
    postgres_answers,
    postgres_family,
    provision_postgres,
    provisioning_sql,
    restart_postgres_fast,
    running_postgres_pid,
    start_postgres,
    start_postgres_again,
    stop_postgres,
    write_postgres_config,
)
from reintegration_local.processes import (  # noqa: E402
    TIMEOUT_S,
    StackError,
    cmdline,
    ensure_port_free,
    file_lock,
    pid_alive,
    run,
    wait_until,
)
from reintegration_local.stackctl import (  # noqa: E402
    DEFAULT_PORTS,
    INSTALL_HINT,
    down,
    logs,
    require_tools,
    resolve_ports,
    start_missing,
    status,
    up,
)

DEFAULT_STATE_DIR = REPO / ".local" / "stack"
DEFAULT_ENV_FILE = REPO / ".env"

__all__ = [
    "ADMIN_ROLE",
    "APPLY_BUS",
    "BUS_SCRIPT",
    "CACHE_LIBS",
    "DB_OS_USER",
    "DEFAULT_ENV_FILE",
    "DEFAULT_PORTS",
    "DEFAULT_STATE_DIR",
    "HERE",
    "INITDB_OPTS",
    "INSTALL_HINT",
    "JAVA_OPTS",
    "KAFKA_VERSION",
    "LOG4J2_CONFIG",
    "PG_BIN",
    "POM",
    "REPO",
    "SASL_ENV_KEYS",
    "SASL_MECHANISM",
    "SERVICES",
    "SUPERUSERS",
    "TIMEOUT_S",
    "Paths",
    "StackError",
    "apply_bus",
    "bus_lines",
    "bus_principals",
    "cmdline",
    "down",
    "ensure_credentials",
    "ensure_kafka_jars",
    "ensure_port_free",
    "file_lock",
    "format_kafka_storage",
    "give_to_db_user",
    "init_postgres",
    "is_root",
    "jaas",
    "jars_cached",
    "java",
    "kafka_answers",
    "kill_kafka",
    "kill_postgres",
    "load_credentials",
    "logs",
    "main",
    "make_ancestors_traversable",
    "new_cluster_id",
    "parse_args",
    "pg",
    "pid_alive",
    "pom_digest",
    "postgres_answers",
    "postgres_family",
    "provision_postgres",
    "provisioning_sql",
    "recorded_ports",
    "require_tools",
    "resolve_ports",
    "restart_postgres_fast",
    "run",
    "running_kafka_pid",
    "running_postgres_pid",
    "sasl_settings",
    "sasl_setup",
    "stack_env",
    "start_kafka",
    "start_kafka_again",
    "start_missing",
    "start_postgres",
    "start_postgres_again",
    "status",
    "stop_kafka",
    "stop_postgres",
    "up",
    "wait_until",
    "write_env_file",
    "write_kafka_config",
    "write_postgres_config",
]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=f"Apache Kafka {KAFKA_VERSION} (KRaft) and PostgreSQL 15 as local processes "
        f"on 127.0.0.1, no Docker. Data, logs and pids live in --state-dir; the Kafka jars are "
        f"cached in {CACHE_LIBS}.",
        epilog="examples: stack.py up | stack.py status | stack.py logs --follow | stack.py down",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    cmd_up = commands.add_parser("up", help="start the stack (idempotent), write the env file")
    for flag, default in (
        ("--kafka-port", 19092),
        ("--controller-port", 19093),
        ("--pg-port", 15432),
    ):
        help_text = f"default {default}, or what this state dir used last"
        cmd_up.add_argument(flag, type=int, help=help_text)
    env_help = f"where KAFKA_BOOTSTRAP_SERVERS and DATABASE_URL go (default {DEFAULT_ENV_FILE})"
    cmd_up.add_argument("--env-file", type=Path, default=DEFAULT_ENV_FILE, help=env_help)
    sasl_help = "SASL/SCRAM-SHA-512, the StandardAuthorizer and deploy/bus.toml's ACLs (sticky)"
    cmd_up.add_argument("--sasl", action="store_true", default=None, help=sasl_help)
    offices_help = "with --sasl: the offices whose ACLs are applied (comma list; default all)"
    cmd_up.add_argument("--bus-offices", help=offices_help)
    cmd_down = commands.add_parser("down", help="stop the stack (idempotent); data is kept")
    purge_help = "also delete the state dir (never the jar cache)"
    cmd_down.add_argument("--purge", action="store_true", help=purge_help)
    commands.add_parser("status", help="running/stopped, port and pid; exit 0 if both run, else 3")
    cmd_logs = commands.add_parser("logs", help="print the log file paths and tail them")
    cmd_logs.add_argument("--follow", action="store_true", help="keep following (tail -F)")
    for sub in commands.choices.values():
        state_help = f"the stack's folder (default {DEFAULT_STATE_DIR})"
        sub.add_argument("--state-dir", type=Path, default=DEFAULT_STATE_DIR, help=state_help)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        if args.command == "up":
            begun = time.monotonic()
            ports = (args.kafka_port, args.controller_port, args.pg_port)
            env = up(
                args.state_dir,
                *ports,
                env_file=args.env_file,
                sasl=args.sasl,
                bus_offices=args.bus_offices,
            )
            print("\n".join(f"{key}={value}" for key, value in env.items()))
            print(f"# up in {time.monotonic() - begun:.1f} s; written to {args.env_file}")
            return 0
        if args.command == "down":
            down(args.state_dir, args.purge)
            return 0
        if args.command == "status":
            return status(args.state_dir)
        return logs(args.state_dir, args.follow)
    except StackError as error:
        print(f"stack.py: {error}", file=sys.stderr)
        return error.exit_code
    except OSError as error:  # e.g. a state dir we may not write: a message, not a traceback
        print(f"stack.py: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
