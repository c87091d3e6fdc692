"""Processes by pid: run one to completion, wait for one, tell whether one lives, stop one;
file locks and free ports."""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

TIMEOUT_S = 120


class StackError(Exception):
    """An expected failure: reported as one message, never a traceback."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def run(cmd: list[str], what: str, stdin: str | None = None, cwd: Path | None = None) -> None:
    """Run to completion; on failure raise StackError with the tail of the output."""
    # New session: a daemon it forks (the postmaster) must not get the terminal's Ctrl-C.
    result = subprocess.run(
        cmd, input=stdin, capture_output=True, text=True, cwd=cwd, start_new_session=True
    )
    if result.returncode != 0:
        output = "\n".join((result.stdout + result.stderr).strip().splitlines()[-15:])
        raise StackError(f"{what} failed (exit {result.returncode}):\n{output}")


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Serialise two `up`/`down` on one state dir, or two jar downloads."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def ensure_port_free(port: int, what: str, flag: str) -> None:
    with socket.socket() as sock:
        # SO_REUSEADDR like the servers, so TIME_WAIT leftovers do not count as "in use".
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            raise StackError(
                f"Port 127.0.0.1:{port} is already in use by another process, so {what} cannot "
                f"start; stop that process or choose another {flag}."
            ) from None


def pid_alive(pid: int) -> bool:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reap it if this process started it (a pytest fixture)
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def wait_until(check: Callable[[], bool], what: str, log: str, alive: int | None = None) -> None:
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        if check():
            return
        if alive is not None and not pid_alive(alive):
            raise StackError(f"{what} exited during startup; see {log}")
        time.sleep(0.3)
    raise StackError(f"{what} did not accept connections within {TIMEOUT_S} s; see {log}")


def cmdline_args(pid: int) -> list[str]:
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
