"""The supervisor as a background daemon of one state dir: `start` spawns `services.py run`
and waits for readiness, `stop`, `status` (a table) and `logs`; services.json is its table."""

import fcntl
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from .layout import HERE
from .processes import cmdline_args as cmdline
from .processes import kill_group, pid_alive, rss_mib
from .specs import SERVICES, WEB, ServicesError, ServiceSpec
from .supervisor import (
    DEFAULT_PYTHON,
    LOG_TAIL_LINES,
    READY_TIMEOUT_S,
    STOP_GRACE_S,
    Supervisor,
    ensure_port_free,
    probe_ready,
    require_python,
    tail,
    wait_ready,
)

# `start` runs the CLI, whose command line is how a live supervisor is recognised.
SCRIPT = HERE / "services.py"


def write_json(path: Path, data: object) -> None:
    """Atomically: a reader never sees half a file."""
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(data, indent=2) + "\n")
    partial.replace(path)


class State:
    """Where the background supervisor keeps its pid, the services' table and the logs."""

    def __init__(self, state_dir: Path | str) -> None:
        self.root = Path(state_dir).resolve()
        self.pid_file = self.root / "supervisor.pid"
        self.table = self.root / "services.json"
        self.lock = self.root / ".lock"
        self.logs = self.root / "logs"
        self.supervisor_log = self.logs / "supervisor.log"

    def supervisor_pid(self) -> int | None:
        """The live supervisor of this state dir (its command line says so: pids get reused)."""
        try:
            pid = int(self.pid_file.read_text())
        except (OSError, ValueError):
            return None
        args = cmdline(pid)
        ours = any(a.endswith("services.py") for a in args) and "run" in args
        return pid if ours and pid_alive(pid) else None

    def services(self) -> list[dict[str, object]]:
        try:
            table = json.loads(self.table.read_text())
        except (OSError, ValueError):
            return []
        return list(table.get("services", []))

    def leftovers(self) -> dict[str, int]:
        """Services still running although their supervisor is gone (it was SIGKILLed)."""
        found = {}
        for service in self.services():
            pid, module = service.get("pid"), str(service.get("module"))
            if isinstance(pid, int) and module in cmdline(pid) and pid_alive(pid):
                found[str(service.get("name"))] = pid
        return found


def run(
    state_dir: Path | str,
    specs: Sequence[ServiceSpec],
    python: Path | str = DEFAULT_PYTHON,
) -> int:
    """The background supervisor: run until SIGTERM or SIGINT, keeping services.json current."""
    state = State(state_dir)
    state.logs.mkdir(parents=True, exist_ok=True)
    with open(state.lock, "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ServicesError(f"A supervisor already runs for {state.root}.") from None
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, lambda *_: stop.set())
        state.pid_file.write_text(f"{os.getpid()}\n")
        supervisor = Supervisor(specs, state.logs, python)

        def publish() -> None:
            table = {"supervisor_pid": os.getpid(), "services": supervisor.status()}
            write_json(state.table, table)

        try:
            supervisor.start()
            print(f"supervisor pid {os.getpid()}: started {len(specs)} services", flush=True)
            while not stop.wait(0.5):
                publish()
        finally:
            supervisor.stop()
            publish()
            state.pid_file.unlink(missing_ok=True)
            print("supervisor: every service stopped", flush=True)
    return 0


def print_ready(name: str, url: str) -> None:
    print(f"  {name:<12} ready  {url}", flush=True)


def start(
    state_dir: Path | str,
    run_args: Sequence[str],
    specs: Sequence[ServiceSpec],
    python: Path | str,
    timeout: float = READY_TIMEOUT_S,
) -> int:
    """Spawn `services.py run` in its own session, then wait until every service is ready."""
    state = State(state_dir)
    require_python(python)
    state.root.mkdir(parents=True, exist_ok=True)
    # Two `start`s at once: the second waits, then finds the first one's supervisor running.
    with open(state.root / "start.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _start(state, run_args, specs, timeout)


def _start(
    state: State, run_args: Sequence[str], specs: Sequence[ServiceSpec], timeout: float
) -> int:
    services = [(s.name, s.url, state.logs / f"{s.name}.log") for s in specs]
    pid = state.supervisor_pid()
    if pid is not None:
        print(f"The services are already running (supervisor pid {pid}, {state.root}).")
        running = [(str(r["name"]), str(r["url"]), Path(str(r["log"]))) for r in state.services()]
        wait_ready(running or services, timeout, print_ready)
        return 0
    stop_leftovers(state)
    for spec in specs:
        ensure_port_free(spec.port, spec.name)
    state.table.unlink(missing_ok=True)  # the last run's states ("failed") are not this run's
    state.logs.mkdir(parents=True, exist_ok=True)
    with open(state.supervisor_log, "ab") as out:
        popen = subprocess.Popen(
            [sys.executable, str(SCRIPT), "run", *run_args],
            cwd=state.root,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # outlives this command and ignores its terminal's ^C
        )
    state.pid_file.write_text(f"{popen.pid}\n")
    print(f"Starting the services (supervisor pid {popen.pid}); logs in {state.logs}")

    def gone() -> str | None:
        if popen.poll() is None:
            return None
        return (
            f"The supervisor exited (code {popen.returncode}) before every service was ready. "
            f"Last {LOG_TAIL_LINES} lines of {state.supervisor_log}:\n{tail(state.supervisor_log)}"
        )

    def failed(name: str) -> bool:
        return any(s.get("name") == name and s.get("state") == "failed" for s in state.services())

    try:
        begun = time.monotonic()
        wait_ready(services, timeout, print_ready, failed, gone)
    except (ServicesError, KeyboardInterrupt):
        stop(state.root, quiet=True)  # a failed start leaves nothing running
        raise
    print(f"All {len(specs)} services ready in {time.monotonic() - begun:.1f} s.")
    return 0


def stop(state_dir: Path | str, quiet: bool = False) -> int:
    """Stop the background supervisor (it stops its services gracefully); fine if none runs."""
    state = State(state_dir)
    pid = state.supervisor_pid()
    if pid is not None:
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_S + 15
        while pid_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if pid_alive(pid):
            os.kill(pid, signal.SIGKILL)
        if not quiet:
            print(f"services stopped (supervisor pid {pid})")
    elif not quiet:
        print("services are not running")
    stop_leftovers(state)
    state.pid_file.unlink(missing_ok=True)
    return 0


def stop_leftovers(state: State) -> None:
    leftovers = state.leftovers()
    for pid in leftovers.values():
        kill_group(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_S
    for name, pid in leftovers.items():
        while pid_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        kill_group(pid, signal.SIGKILL)
        print(f"{name} stopped (pid {pid}, left behind by a supervisor that died)")


def status(state_dir: Path | str) -> int:
    """A table of the services; exit 0 if all are ready, 3 if none runs, 1 in between."""
    state = State(state_dir)
    supervisor = state.supervisor_pid()
    leftovers = state.leftovers() if supervisor is None else {}
    rows = state.services() if supervisor is not None or leftovers else []
    ready = alive = 0
    print(f"{'service':<12} {'url':<23} {'pid':>7}  {'state':<10} {'restarts':>8} {'RSS MiB':>8}")
    names = [*SERVICES, *([WEB] if any(r.get("name") == WEB for r in rows) else [])]
    for name in names:
        row = next((r for r in rows if r.get("name") == name), None)
        if row is None:
            print(f"{name:<12} {'-':<23} {'-':>7}  {'stopped':<10} {'-':>8} {'-':>8}")
            continue
        recorded_pid = row.get("pid")
        pid = recorded_pid if isinstance(recorded_pid, int) else None
        current = str(row.get("state"))
        if supervisor is None:
            current = "orphaned" if name in leftovers else "stopped"
            pid = leftovers.get(name)
        elif current == "running":
            up, _ = probe_ready(str(row.get("url")), timeout=1.0)
            current = "ready" if up else "starting"
            ready += up
        alive += pid is not None and pid_alive(pid)
        rss = rss_mib(pid)
        print(
            f"{name:<12} {row.get('url')!s:<23} {pid or '-'!s:>7}  {current:<10} "
            f"{row.get('restarts')!s:>8} {'-' if rss is None else f'{rss:.0f}':>8}"
        )
    where = f"supervisor pid {supervisor}" if supervisor else "supervisor not running"
    print(f"{where}; state dir {state.root}")
    if leftovers:
        print("Orphaned services run without their supervisor; `services.py stop` ends them.")
    if ready == len(names):
        return 0
    return 1 if alive else 3


def logs(state_dir: Path | str, follow: bool, service: str | None) -> int:
    state = State(state_dir)
    names = [service] if service else [*SERVICES, "supervisor"]
    files = [str(state.logs / f"{n}.log") for n in names if (state.logs / f"{n}.log").exists()]
    print("\n".join(files) or f"No logs yet in {state.logs}.", flush=True)
    follow_flag = ["-F"] if follow else []
    return subprocess.call(["tail", "-n", "40", *follow_flag, *files]) if files else 0
