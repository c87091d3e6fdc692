#!/usr/bin/env python3
"""The seven services as local processes, one OS process each on 127.0.0.1, under a supervisor
that restarts a process that dies (backoff 1 s doubling to 30 s; it gives up after 5 crashes
within a minute). Logs go to <log dir>/<service>.log.

Standard library only, like stack.py: `make down` runs it even without the virtualenv.
In-process, for tests (load it by path, like stack.py):
    specs = default_specs(stack_env, offices=["bf"], ports=free, databases=..., consumer_groups=...)
    with Supervisor(specs, log_dir) as supervisor:
        supervisor.wait_ready(60)
        supervisor.pids()  # {"intake": 1234, ...}
As a background daemon (`make services`, `make demo`):
    python3 deploy/local/services.py start | status | logs [--follow] [service] | stop
"""

import argparse
import importlib.util
import os
import sys
from collections.abc import Sequence
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

from reintegration_local.daemon import (  # noqa: E402
    State,
    logs,
    print_ready,
    run,
    start,
    status,
    stop,
    stop_leftovers,
    write_json,
)
from reintegration_local.envfile import (  # noqa: E402
    read_env_file,
)
from reintegration_local.layout import (  # noqa: E402
    REPO,
)
from reintegration_local.processes import (  # noqa: E402
    cmdline_args as cmdline,
)
from reintegration_local.processes import (  # noqa: E402
    exit_reason,
    kill_group,
    memory_mib,
    pid_alive,
    rss_mib,
)
from reintegration_local.specs import (  # noqa: E402
    DEFAULT_PORTS,
    DEFAULT_WEB_PORT,
    HOST,
    PER_SERVICE_KEYS,
    SECURITY_KEYS,
    SERVICES,
    STACK_KEYS,
    WEB,
    ServicesError,
    ServiceSpec,
    default_specs,
    service_credentials,
)
from reintegration_local.supervisor import (  # noqa: E402
    BACKOFF_FIRST_S,
    BACKOFF_MAX_S,
    CRASH_WINDOW_S,
    DEFAULT_PYTHON,
    LOG_TAIL_LINES,
    MAX_CRASHES,
    READY_TIMEOUT_S,
    STOP_GRACE_S,
    Supervisor,
    ensure_port_free,
    probe_ready,
    require_python,
    tail,
    wait_ready,
)

DEFAULT_STATE_DIR = REPO / ".local" / "platform"
DEFAULT_ENV_FILE = REPO / ".env"

__all__ = [
    "BACKOFF_FIRST_S",
    "BACKOFF_MAX_S",
    "CRASH_WINDOW_S",
    "DEFAULT_ENV_FILE",
    "DEFAULT_PORTS",
    "DEFAULT_PYTHON",
    "DEFAULT_STATE_DIR",
    "DEFAULT_WEB_PORT",
    "HERE",
    "HOST",
    "LOG_TAIL_LINES",
    "MAX_CRASHES",
    "PER_SERVICE_KEYS",
    "READY_TIMEOUT_S",
    "REPO",
    "SECURITY_KEYS",
    "SERVICES",
    "STACK_KEYS",
    "STOP_GRACE_S",
    "WEB",
    "ServiceSpec",
    "ServicesError",
    "State",
    "Supervisor",
    "cmdline",
    "default_specs",
    "ensure_port_free",
    "exit_reason",
    "kill_group",
    "logs",
    "main",
    "memory_mib",
    "parse_args",
    "pid_alive",
    "print_ready",
    "probe_ready",
    "read_env_file",
    "require_python",
    "rss_mib",
    "run",
    "run_args",
    "service_credentials",
    "specs_from_args",
    "start",
    "status",
    "stop",
    "stop_leftovers",
    "tail",
    "wait_ready",
    "write_json",
]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="The seven services (intake, training, committee, procurement, monitoring, "
        "partners, programme) as local processes on 127.0.0.1, under a supervisor that restarts "
        "a crashed one. "
        "Needs the stack (`make up`) and the virtualenv (`make install`).",
        epilog="examples: services.py start | services.py status | "
        "services.py logs --follow intake | services.py stop",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    cmd_start = commands.add_parser(
        "start", help="start the services in the background and wait until all are ready"
    )
    cmd_run = commands.add_parser("run", help="run the supervisor in the foreground (Ctrl-C)")
    for sub in (cmd_start, cmd_run):
        sub.add_argument(
            "--offices", default="bf", help="country offices, comma separated (default bf)"
        )
        env_help = f"KAFKA_BOOTSTRAP_SERVERS and DATABASE_URL (default {DEFAULT_ENV_FILE})"
        sub.add_argument("--env-file", type=Path, default=DEFAULT_ENV_FILE, help=env_help)
        sub.add_argument(
            "--base-port", type=int, default=DEFAULT_PORTS["intake"],
            help="intake's port; the others follow in order (default 8101-8105)",
        )  # fmt: skip
        sub.add_argument(
            "--python", type=Path, default=DEFAULT_PYTHON,
            help=f"interpreter of the services (default {DEFAULT_PYTHON})",
        )  # fmt: skip
        sub.add_argument("--log-level", help="the services' LOG_LEVEL (default theirs, INFO)")
        sub.add_argument(
            "--web-port", type=int, default=DEFAULT_WEB_PORT,
            help=f"the staff app's port (default {DEFAULT_WEB_PORT}; 0: no app)",
        )  # fmt: skip
    cmd_start.add_argument(
        "--timeout", type=float, default=READY_TIMEOUT_S,
        help=f"seconds to wait for readiness (default {READY_TIMEOUT_S:.0f})",
    )  # fmt: skip
    commands.add_parser("stop", help="stop the services (idempotent)")
    commands.add_parser("status", help="a table; exit 0 if all ready, 3 if none runs, else 1")
    cmd_logs = commands.add_parser("logs", help="tail the services' logs")
    cmd_logs.add_argument("--follow", action="store_true", help="keep following (tail -F)")
    cmd_logs.add_argument("service", nargs="?", choices=[*SERVICES, "supervisor"])
    for sub in commands.choices.values():
        state_help = f"pid, services.json and logs/ (default {DEFAULT_STATE_DIR})"
        sub.add_argument("--state-dir", type=Path, default=DEFAULT_STATE_DIR, help=state_help)
    return parser.parse_args(argv)


def specs_from_args(args: argparse.Namespace) -> list[ServiceSpec]:
    stack_env: dict[str, str] = {}
    if args.env_file.exists():
        stack_env = read_env_file(args.env_file)
    # The environment wins over the file, as in the services' own settings.
    passed_on = (*STACK_KEYS, *SECURITY_KEYS)
    stack_env.update({key: os.environ[key] for key in passed_on if os.environ.get(key)})
    if not all(stack_env.get(key) for key in STACK_KEYS):
        raise ServicesError(
            f"No stack addresses: {args.env_file} lacks KAFKA_BOOTSTRAP_SERVERS or "
            f"DATABASE_URL; run `make up` first (it writes them)."
        )
    offices = [office.strip() for office in args.offices.split(",") if office.strip()]
    secret = os.environ.get("AUTH_JWT_SECRET") or stack_env.get("AUTH_JWT_SECRET")
    return default_specs(stack_env, offices, args.base_port, jwt_secret=secret,
                         log_level=args.log_level, web_port=args.web_port)  # fmt: skip


def run_args(args: argparse.Namespace) -> list[str]:
    """The same choices, for the background `run`."""
    chosen = [
        "--state-dir", str(args.state_dir.resolve()), "--offices", args.offices,
        "--env-file", str(args.env_file.resolve()), "--base-port", str(args.base_port),
        "--python", str(args.python), "--web-port", str(args.web_port),
    ]  # fmt: skip
    return chosen + (["--log-level", args.log_level] if args.log_level else [])


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        if args.command == "start":
            require_python(args.python)
            specs = specs_from_args(args)
            return start(args.state_dir, run_args(args), specs, args.python, args.timeout)
        if args.command == "run":
            require_python(args.python)
            return run(args.state_dir, specs_from_args(args), args.python)
        if args.command == "stop":
            return stop(args.state_dir)
        if args.command == "status":
            return status(args.state_dir)
        return logs(args.state_dir, args.follow, args.service)
    except ServicesError as error:
        print(f"services.py: {error}", file=sys.stderr)
        return error.exit_code
    except OSError as error:  # e.g. a state dir we may not write: a message, not a traceback
        print(f"services.py: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
