"""The supervisor: the services as child processes, one restarted when it dies (backoff
doubling up to a ceiling, given up after too many crashes in a window), all stopped together;
and waiting until their /ready answers."""

import atexit
import collections
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from .layout import REPO
from .processes import exit_reason, kill_group
from .specs import HOST, PER_SERVICE_KEYS, ServicesError, ServiceSpec

DEFAULT_PYTHON = REPO / ".venv" / "bin" / "python"
BACKOFF_FIRST_S, BACKOFF_MAX_S = 1.0, 30.0
MAX_CRASHES, CRASH_WINDOW_S = 5, 60.0
STOP_GRACE_S = 15.0  # the services finish their batch and close Kafka and the pool
READY_TIMEOUT_S = 120.0
LOG_TAIL_LINES = 20
# Requests to 127.0.0.1 must never go through an http_proxy from the environment.
_http = urllib.request.build_opener(urllib.request.ProxyHandler({}))


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
