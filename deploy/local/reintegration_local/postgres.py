"""The PostgreSQL server of a stack: initdb (as the postgres user when we are root), its
config, start and stop, and the roles and databases of the platform."""

from __future__ import annotations

import contextlib
import os
import pwd
import signal
import stat
import subprocess
import time
from pathlib import Path

from .layout import Paths, recorded_ports
from .processes import TIMEOUT_S, cmdline, pid_alive, run, wait_until

PG_BIN = Path(os.environ.get("PG_BINDIR", "/usr/lib/postgresql/15/bin"))
ADMIN_ROLE = "reintegration"  # superuser; every role's password is its name
SERVICES = ("intake", "training", "committee", "procurement", "monitoring", "partners", "programme")
DB_OS_USER = "postgres"  # initdb and postgres refuse to run as root
INITDB_OPTS = ["--username=postgres", "--no-locale", "--encoding=UTF8", "--auth-local=trust"]


def is_root() -> bool:
    return os.geteuid() == 0


def pg(tool: str, *args: str | Path) -> list[str]:
    """A PostgreSQL command; the server-side tools run as the postgres user when we are root."""
    cmd = [str(PG_BIN / tool), *map(str, args)]
    as_db_user = is_root() and tool in ("initdb", "pg_ctl")
    return ["runuser", "-u", DB_OS_USER, "--", *cmd] if as_db_user else cmd


def give_to_db_user(path: Path) -> None:
    if is_root():
        user = pwd.getpwnam(DB_OS_USER)
        os.chown(path, user.pw_uid, user.pw_gid)


def make_ancestors_traversable(path: Path) -> None:
    """The postgres user must walk down to its folders (mkdtemp makes 0700 dirs)."""
    for parent in path.parents if is_root() else ():
        mode = parent.stat().st_mode
        if not mode & stat.S_IXOTH:
            os.chmod(parent, mode | stat.S_IXOTH)


def init_postgres(p: Paths) -> None:
    for folder in (p.pg_dir, p.pg_sock):
        folder.mkdir(parents=True, exist_ok=True)
        give_to_db_user(folder)
        make_ancestors_traversable(folder)
    if not (p.pg_data / "PG_VERSION").exists():
        initdb = pg("initdb", "-D", p.pg_data, *INITDB_OPTS, "--auth-host=scram-sha-256")
        run(initdb, "PostgreSQL initdb", cwd=p.pg_dir)
    conf = p.pg_data / "postgresql.conf"
    include = "include_if_exists = 'stack.conf'"
    if include not in conf.read_text():
        with open(conf, "a") as handle:
            handle.write(f"\n{include}  # written by deploy/local/stack.py\n")


def write_postgres_config(p: Paths, pg_port: int) -> None:
    stack_conf = p.pg_data / "stack.conf"
    stack_conf.write_text(
        "# Written by deploy/local/stack.py on every `up`.\n"
        "listen_addresses = '127.0.0.1'\n"
        f"port = {pg_port}\n"
        f"unix_socket_directories = '{p.pg_sock}'\n"
        "max_connections = 300\n"  # seven services with pools, plus the test suites
        "shared_buffers = 128MB\n"
    )
    give_to_db_user(stack_conf)


def running_postgres_pid(p: Paths) -> int | None:
    try:
        pid = int((p.pg_data / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pid if b"postgres" in cmdline(pid) and pid_alive(pid) else None


def start_postgres(p: Paths) -> None:
    p.pg_log.touch()
    give_to_db_user(p.pg_log)  # pg_ctl appends to it as the postgres user
    pg_ctl = pg("pg_ctl", "-D", p.pg_data, "-l", p.pg_log, "-w", "-t", str(TIMEOUT_S), "start")
    run(pg_ctl, f"PostgreSQL start (see {p.pg_log})", cwd=p.pg_dir)


def postgres_answers(pg_port: int) -> bool:
    probe = pg("pg_isready", "-q", "-h", "127.0.0.1", "-p", str(pg_port))
    return subprocess.run(probe).returncode == 0


def provisioning_sql() -> str:
    """Idempotent. psql's \\gexec because CREATE DATABASE cannot run inside a DO block."""
    lines = []
    for name in (ADMIN_ROLE, *SERVICES):
        power = "SUPERUSER" if name == ADMIN_ROLE else "NOSUPERUSER"
        lines += [
            f"SELECT 'CREATE ROLE {name}' WHERE NOT EXISTS "
            f"(SELECT FROM pg_roles WHERE rolname = '{name}')\\gexec",
            f"ALTER ROLE {name} LOGIN {power} PASSWORD '{name}';",
            f"SELECT 'CREATE DATABASE {name} OWNER {name}' WHERE NOT EXISTS "
            f"(SELECT FROM pg_database WHERE datname = '{name}')\\gexec",
        ]
    return "\n".join(lines) + "\n"


def provision_postgres(p: Paths, pg_port: int) -> None:
    where = ["-h", str(p.pg_sock), "-p", str(pg_port), "-U", "postgres", "-d", "postgres"]
    psql = pg("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", *where, "-f", "-")
    run(psql, "Creating the PostgreSQL roles and databases", stdin=provisioning_sql())


def stop_postgres(p: Paths) -> None:
    pid = running_postgres_pid(p)
    if pid is not None:
        pg_ctl = pg("pg_ctl", "-D", p.pg_data, "-m", "fast", "-w", "stop")
        run(pg_ctl, "PostgreSQL stop", cwd=p.pg_dir)
        print(f"postgresql  stopped (pid {pid})")


def postgres_family(pid: int) -> list[int]:
    """The postmaster and its backends: a crash of the server takes them all."""
    children = []
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                children.append(int(stat_file.parent.name))
    return [pid, *children]


def restart_postgres_fast(state_dir: Path | str) -> None:
    """`pg_ctl -m fast restart`: every session is cut, the server is back within a second."""
    p = Paths(state_dir)
    pg_ctl = pg("pg_ctl", "-D", p.pg_data, "-l", p.pg_log, "-m", "fast", "-w", "restart")
    run(pg_ctl, "PostgreSQL restart", cwd=p.pg_dir)


def kill_postgres(state_dir: Path | str) -> None:
    """kill -9 the postmaster and every backend: the next start runs crash recovery."""
    p = Paths(state_dir)
    pid = running_postgres_pid(p)
    if pid is None:
        return
    family = postgres_family(pid)
    for member in family:
        with contextlib.suppress(ProcessLookupError):
            os.kill(member, signal.SIGKILL)
    deadline = time.monotonic() + 10
    # A killed postmaster can linger as a zombie until init reaps it, and PostgreSQL takes a
    # zombie's pid in postmaster.pid for a live server; wait for it to be gone entirely.
    while any(Path(f"/proc/{member}").exists() for member in family):
        if time.monotonic() > deadline:
            break
        time.sleep(0.05)
    if not pid_alive(pid):
        (p.pg_data / "postmaster.pid").unlink(missing_ok=True)


def start_postgres_again(state_dir: Path | str) -> None:
    p = Paths(state_dir)
    ports = recorded_ports(p)
    if running_postgres_pid(p) is None:
        start_postgres(p)
    wait_until(lambda: postgres_answers(ports["pg_port"]), "PostgreSQL", str(p.pg_log))
