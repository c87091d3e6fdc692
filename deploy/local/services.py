#!/usr/bin/env python3
"""The five services as local processes, one OS process each on 127.0.0.1, under a supervisor
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
import atexit
import collections
import contextlib
import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
DEFAULT_PYTHON = REPO / ".venv" / "bin" / "python"
DEFAULT_STATE_DIR = REPO / ".local" / "platform"
DEFAULT_ENV_FILE = REPO / ".env"
DEFAULT_PORTS = {
    "intake": 8101,
    "training": 8102,
    "committee": 8103,
    "procurement": 8104,
    "monitoring": 8105,
    "partners": 8106,
    "programme": 8107,
}
SERVICES = tuple(DEFAULT_PORTS)
# The staff app's host (web/): serves the built app and forwards /api/<service>/ to the five.
WEB = "web"
DEFAULT_WEB_PORT = 8100
STACK_KEYS = ("KAFKA_BOOTSTRAP_SERVERS", "DATABASE_URL")
# Passed on from the environment like the stack's addresses (a SASL stack's, from stack.py).
SECURITY_KEYS = ("KAFKA_SECURITY_PROTOCOL", "KAFKA_SASL_MECHANISM", "KAFKA_CREDENTIALS_FILE")
# Set per service, never inherited: one SERVICE_DATABASE in the caller's environment would
# otherwise put all five services in the same database.
PER_SERVICE_KEYS = (
    "HTTP_PORT",
    "HTTP_HOST",
    "SERVICE_DATABASE",
    "CONSUMER_GROUP",
    "COUNTRY_OFFICES",
    "INTAKE_URL",
    "TRAINING_URL",
    "COMMITTEE_URL",
    "PROCUREMENT_URL",
    "MONITORING_URL",
    # On a SASL stack each service logs in as itself, never as the stack's admin.
    "KAFKA_SASL_USERNAME",
    "KAFKA_SASL_PASSWORD",
)
HOST = "127.0.0.1"
BACKOFF_FIRST_S, BACKOFF_MAX_S = 1.0, 30.0
MAX_CRASHES, CRASH_WINDOW_S = 5, 60.0
STOP_GRACE_S = 15.0  # the services finish their batch and close Kafka and the pool
READY_TIMEOUT_S = 120.0
LOG_TAIL_LINES = 20
# Requests to 127.0.0.1 must never go through an http_proxy from the environment.
_http = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class ServicesError(Exception):
    """An expected failure: reported as one message, never a traceback."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class ServiceSpec:
    """One service process: `python -m <module>` on HOST:<port>, with extra environment."""

    name: str
    module: str
    port: int
    env: Mapping[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"


def default_specs(
    stack_env: Mapping[str, str],
    offices: Sequence[str] = ("bf",),
    ports: int | Mapping[str, int] | None = None,
    databases: Mapping[str, str] | None = None,
    consumer_groups: Mapping[str, str] | None = None,
    jwt_secret: str | None = None,
    log_level: str | None = None,
    web_port: int | None = None,
) -> list[ServiceSpec]:
    """The five services' specs, and the staff app's host after them when `web_port` is given.

    stack_env: the .env values (KAFKA_BOOTSTRAP_SERVERS and DATABASE_URL are required; every
    other key is passed on too). ports: a base port (intake on it, the others after it) or a
    port per service (default 8101-8105). databases / consumer_groups: per-service overrides
    (default: each service's own name). jwt_secret: passed on as AUTH_JWT_SECRET.
    """
    missing = [key for key in STACK_KEYS if not stack_env.get(key)]
    if missing:
        raise ServicesError(
            f"{' and '.join(missing)} not set; run `make up` first (it writes them to .env)."
        )
    bad = [office for office in offices if not (len(office) == 2 and office.isalpha())]
    if not offices or bad or any(not office.islower() for office in offices):
        raise ServicesError(
            f"Country offices must be ISO 3166-1 alpha-2 codes in lower case, e.g. bf,ml "
            f"(got {','.join(offices) or 'none'})."
        )
    if isinstance(ports, int):
        # Each service keeps its offset from intake's port: programme's 8107 is base + 6.
        first = DEFAULT_PORTS["intake"]
        port_of = {name: ports + DEFAULT_PORTS[name] - first for name in SERVICES}
    else:
        port_of = {**DEFAULT_PORTS, **(ports or {})}
    credentials = service_credentials(stack_env)
    specs = []
    for name in SERVICES:
        env = {
            **{k: v for k, v in stack_env.items() if k not in PER_SERVICE_KEYS},
            "COUNTRY_OFFICES": ",".join(offices),
            "HTTP_HOST": HOST,
            "HTTP_PORT": str(port_of[name]),
        }
        if credentials is not None:
            # deploy/bus.toml's principal of this service: its topics, its groups, its relay.
            env["KAFKA_SASL_USERNAME"] = name
            env["KAFKA_SASL_PASSWORD"] = credentials[name]
        if databases and name in databases:
            env["SERVICE_DATABASE"] = databases[name]
        if consumer_groups and name in consumer_groups:
            env["CONSUMER_GROUP"] = consumer_groups[name]
        if jwt_secret:
            env["AUTH_JWT_SECRET"] = jwt_secret
        if log_level:
            env["LOG_LEVEL"] = log_level
        if name == "monitoring":
            env["INTAKE_URL"] = f"http://{HOST}:{port_of['intake']}"
        specs.append(ServiceSpec(name, name, port_of[name], env))
    if web_port:
        web_env = {"HTTP_HOST": HOST, "HTTP_PORT": str(web_port)}
        web_env.update({f"{s.name.upper()}_URL": s.url for s in specs})
        specs.append(ServiceSpec(WEB, "reintegration_web", web_port, web_env))
    return specs


# ---------------------------------------------------------------- helpers


def read_env_file(path: Path | str) -> dict[str, str]:
    """KEY=VALUE lines (comments, blanks and `export ` allowed, quotes stripped)."""
    values = {}
    for line in Path(path).read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.removeprefix("export ").split("=", 1)
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def require_python(python: Path | str) -> None:
    if not os.access(python, os.X_OK) or Path(python).is_dir():
        raise ServicesError(
            f"The services' interpreter {python} does not exist; run `make install` first.", 2
        )


def ensure_port_free(port: int, service: str) -> None:
    with socket.socket() as sock:
        # SO_REUSEADDR like uvicorn, so TIME_WAIT leftovers of a stopped service do not count.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError:
            raise ServicesError(
                f"Port {HOST}:{port} is already in use by another process, so {service} cannot "
                f"start; stop that process or choose other ports (--base-port)."
            ) from None


def probe_ready(url: str, timeout: float = 2.0) -> tuple[bool, str]:
    """(ready, what /ready said): 200 is ready; a 503's body says which check fails."""
    try:
        with _http.open(f"{url}/ready", timeout=timeout) as reply:
            return reply.status == 200, f"{reply.status}"
    except urllib.error.HTTPError as error:
        body = error.read(300).decode(errors="replace")
        return False, f"{error.code} {body}"
    except (OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return False, f"no answer ({reason})"


def tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
    try:
        with open(path, "rb") as handle:
            handle.seek(0, os.SEEK_END)
            handle.seek(max(0, handle.tell() - 64 * 1024))
            text = handle.read().decode(errors="replace")
    except OSError:
        return "(no log yet)"
    # A JSON log line can hold a whole traceback; its end (the exception) is what tells.
    shown = [
        line if len(line) <= 600 else f"{line[:150]} [...] {line[-450:]}"
        for line in text.splitlines()[-lines:]
    ]
    return "\n".join(shown) or "(log is empty)"


def pid_alive(pid: int) -> bool:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reap it if we are its parent
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def cmdline(pid: int) -> list[str]:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return raw.decode(errors="replace").split("\0")


def memory_mib(pid: int | None) -> dict[str, float]:
    """Resident memory now (VmRSS) and at its peak (VmHWM) from /proc/<pid>/status, in MiB."""
    values: dict[str, float] = {}
    if pid is None:
        return values
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return values


def rss_mib(pid: int | None) -> float | None:
    return memory_mib(pid).get("VmRSS")


def kill_group(pid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)


def exit_reason(code: int) -> str:
    return f"signal {-code}" if code < 0 else f"code {code}"


def write_json(path: Path, data: object) -> None:
    """Atomically: a reader never sees half a file."""
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(data, indent=2) + "\n")
    partial.replace(path)


# ---------------------------------------------------------------- supervisor


class _Process:
    """One service's current OS process and its crash history."""

    def __init__(self, spec: ServiceSpec, log: Path) -> None:
        self.spec, self.log = spec, log
        self.popen: subprocess.Popen[bytes] | None = None
        self.state = "stopped"  # running | restarting | failed | stopping | stopped
        self.restarts = 0
        self.crashes: collections.deque[float] = collections.deque()
        self.restart_at: float | None = None

    @property
    def pid(self) -> int | None:
        return self.popen.pid if self.popen is not None and self.popen.poll() is None else None

    def note(self, message: str) -> None:
        """A supervisor line in the service's own log, where its crash output also is."""
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        with open(self.log, "a") as handle:
            handle.write(f"[supervisor {stamp}] {self.spec.name}: {message}\n")
        print(f"{self.spec.name}: {message}", flush=True)


class Supervisor:
    """Runs the services as child processes, restarts one that dies, stops them all.

    Each process gets its own process group (signals reach anything it spawns) and appends
    stdout and stderr to <log_dir>/<name>.log. A thread watches them.
    """

    def __init__(
        self,
        specs: Iterable[ServiceSpec],
        log_dir: Path | str,
        python: Path | str = DEFAULT_PYTHON,
        cwd: Path | str | None = None,
        max_crashes: int = MAX_CRASHES,
        crash_window: float = CRASH_WINDOW_S,
    ) -> None:
        self.specs = list(specs)
        self.log_dir = Path(log_dir)
        self.python = str(python)
        # Default cwd is the log dir, which has no .env: the services see exactly our env.
        self.cwd = Path(cwd) if cwd is not None else self.log_dir
        self.max_crashes, self.crash_window = max_crashes, crash_window
        self._processes = {
            spec.name: _Process(spec, self.log_dir / f"{spec.name}.log") for spec in self.specs
        }
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._watcher: threading.Thread | None = None

    def __enter__(self) -> "Supervisor":
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- lifecycle

    def start(self) -> None:
        """Start every service (ports checked first, so a conflict starts nothing)."""
        require_python(self.python)
        for spec in self.specs:
            ensure_port_free(spec.port, spec.name)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.cwd.mkdir(parents=True, exist_ok=True)
        self._stopping.clear()
        atexit.register(self.stop)  # a test run that ends early leaves no service behind
        with self._lock:
            for process in self._processes.values():
                self._spawn(process)
        self._watcher = threading.Thread(target=self._watch, name="supervisor", daemon=True)
        self._watcher.start()

    def stop(self, grace: float = STOP_GRACE_S) -> None:
        """SIGTERM every process group, wait up to `grace` seconds, then SIGKILL."""
        self._stopping.set()
        if self._watcher is not None:
            self._watcher.join()
            self._watcher = None
        atexit.unregister(self.stop)
        with self._lock:
            running = [p for p in self._processes.values() if p.popen is not None]
            for process in running:
                assert process.popen is not None
                process.state = "stopping"
                kill_group(process.popen.pid, signal.SIGTERM)
            deadline = time.monotonic() + grace
            for process in running:
                assert process.popen is not None
                try:
                    code = process.popen.wait(timeout=max(0.0, deadline - time.monotonic()))
                    process.note(f"stopped ({exit_reason(code)})")
                except subprocess.TimeoutExpired:
                    process.note(f"did not stop within {grace:.0f} s; killed")
                kill_group(process.popen.pid, signal.SIGKILL)  # and anything it left behind
                process.popen.wait()
                process.popen = None
            for process in self._processes.values():
                process.state, process.restart_at = "stopped", None

    # -- queries

    def pids(self) -> dict[str, int | None]:
        """The current pid of each service (None while it is down)."""
        with self._lock:
            return {name: process.pid for name, process in self._processes.items()}

    def status(self) -> list[dict[str, object]]:
        """name, port, url, pid, restarts, state and log of each service."""
        with self._lock:
            return [
                {
                    "name": p.spec.name,
                    "module": p.spec.module,
                    "port": p.spec.port,
                    "url": p.spec.url,
                    "pid": p.pid,
                    "restarts": p.restarts,
                    "state": p.state,
                    "log": str(p.log),
                }
                for p in self._processes.values()
            ]

    def log_path(self, name: str) -> Path:
        return self._processes[name].log

    def wait_ready(
        self, timeout: float = READY_TIMEOUT_S, progress: Callable[[str, str], None] | None = None
    ) -> None:
        """Until every service's /ready answers 200; else ServicesError naming the first one
        that is not, with the end of its log. progress(name, url) is called as each gets ready."""
        wait_ready(
            [(p.spec.name, p.spec.url, p.log) for p in self._processes.values()],
            timeout,
            progress,
            failed=lambda name: self._processes[name].state == "failed",
        )

    # -- the watcher

    def _spawn(self, process: _Process) -> None:
        env = {k: v for k, v in os.environ.items() if k not in PER_SERVICE_KEYS}
        env.update(process.spec.env)
        env["PYTHONUNBUFFERED"] = "1"
        with open(process.log, "ab") as log:
            try:
                process.popen = subprocess.Popen(
                    [self.python, "-m", process.spec.module],
                    cwd=self.cwd,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # own process group; the terminal's ^C is ours
                )
            except OSError as error:
                process.popen = None
                process.note(f"could not start: {error}")
                self._crashed(process)
                return
        process.state, process.restart_at = "running", None
        process.note(f"started (pid {process.popen.pid}, {process.spec.url})")

    def _crashed(self, process: _Process) -> None:
        now = time.monotonic()
        process.crashes.append(now)
        while process.crashes and process.crashes[0] < now - self.crash_window:
            process.crashes.popleft()
        if len(process.crashes) >= self.max_crashes:
            process.state, process.restart_at = "failed", None
            process.note(
                f"gave up after {len(process.crashes)} crashes within "
                f"{self.crash_window:.0f} s; see the lines above"
            )
            return
        delay = min(BACKOFF_MAX_S, BACKOFF_FIRST_S * 2 ** (len(process.crashes) - 1))
        process.state, process.restart_at = "restarting", now + delay
        process.note(f"restarting in {delay:.0f} s")

    def _watch(self) -> None:
        while not self._stopping.wait(0.2):
            with self._lock:
                if self._stopping.is_set():
                    return
                for process in self._processes.values():
                    if process.popen is not None and process.popen.poll() is not None:
                        code = process.popen.returncode
                        kill_group(process.popen.pid, signal.SIGKILL)  # no orphan keeps a port
                        process.popen = None
                        process.note(f"exited unexpectedly ({exit_reason(code)})")
                        self._crashed(process)
                    if process.restart_at is not None and time.monotonic() >= process.restart_at:
                        process.restarts += 1
                        self._spawn(process)


def wait_ready(
    services: Sequence[tuple[str, str, Path]],
    timeout: float,
    progress: Callable[[str, str], None] | None = None,
    failed: Callable[[str], bool] | None = None,
    gone: Callable[[], str | None] | None = None,
) -> None:
    """Poll each (name, url, log)'s /ready until all answer 200 or the timeout passes."""
    deadline = time.monotonic() + timeout
    waiting = {name: (url, log) for name, url, log in services}
    last: dict[str, str] = {}
    while waiting:
        for name, (url, log) in list(waiting.items()):
            ready, last[name] = probe_ready(url)
            if ready:
                del waiting[name]
                if progress is not None:
                    progress(name, url)
            elif failed is not None and failed(name):
                raise ServicesError(
                    f"{name} keeps crashing; the supervisor gave up on it. "
                    f"Last {LOG_TAIL_LINES} lines of {log}:\n{tail(log)}"
                )
        if gone is not None and (why := gone()):
            raise ServicesError(why)
        if not waiting:
            return
        if time.monotonic() > deadline:
            name, (url, log) = next(iter(waiting.items()))
            others = [n for n in waiting if n != name]
            also = f" (nor {', '.join(others)})" if others else ""
            raise ServicesError(
                f"{name} is not ready at {url}/ready after {timeout:.0f} s{also}; last answer: "
                f"{last[name]}. Last {LOG_TAIL_LINES} lines of {log}:\n{tail(log)}"
            )
        time.sleep(0.3)


# ---------------------------------------------------------------- daemon


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
            [sys.executable, str(Path(__file__).resolve()), "run", *run_args],
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
        pid = row["pid"] if isinstance(row.get("pid"), int) else None
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


# ---------------------------------------------------------------- command line


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="The five services (intake, training, committee, procurement, monitoring) "
        "as local processes on 127.0.0.1, under a supervisor that restarts a crashed one. "
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


def service_credentials(stack_env: Mapping[str, str]) -> dict[str, str] | None:
    """The SASL stack's generated passwords (stack.py up --sasl), None on a plaintext stack."""
    if not stack_env.get("KAFKA_SECURITY_PROTOCOL", "PLAINTEXT").startswith("SASL"):
        return None
    path = stack_env.get("KAFKA_CREDENTIALS_FILE")
    if not path or not Path(path).exists():
        raise ServicesError(
            "The stack uses SASL but KAFKA_CREDENTIALS_FILE names no credentials file; "
            "run `stack.py up` again to write it."
        )
    credentials: dict[str, str] = json.loads(Path(path).read_text())
    missing = [name for name in SERVICES if name not in credentials]
    if missing:
        raise ServicesError(f"No Kafka principal for {', '.join(missing)} in {path}.")
    return credentials


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
