#!/usr/bin/env python3
"""Embedded local stack: real Apache Kafka 4.4.0 (KRaft, one combined broker+controller, a Java
process) and real PostgreSQL 15 (a local process), both on 127.0.0.1 only. No Docker.

Standard library only: it runs before any virtualenv exists. Importable by path for fixtures:
    env = stack.up(state_dir, kafka_port, controller_port, pg_port)  # env_file=None: no .env
    stack.down(state_dir, purge=True)
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import fcntl
import hashlib
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import stat
import struct
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
KAFKA_VERSION = "4.4.0"
POM = HERE / "kafka" / "pom.xml"
LOG4J2_CONFIG = HERE / "kafka" / "log4j2.xml"
# Shared by every state dir, outside them all: a second stack or a purge never downloads again.
CACHE_LIBS = REPO / ".local" / "cache" / f"kafka-{KAFKA_VERSION}" / "libs"
PG_BIN = Path(os.environ.get("PG_BINDIR", "/usr/lib/postgresql/15/bin"))
DEFAULT_STATE_DIR = REPO / ".local" / "stack"
DEFAULT_ENV_FILE = REPO / ".env"
DEFAULT_PORTS = {"kafka_port": 19092, "controller_port": 19093, "pg_port": 15432}
ADMIN_ROLE = "reintegration"  # superuser; every role's password is its name
SERVICES = ("intake", "training", "committee", "procurement", "monitoring", "partners", "programme")
DB_OS_USER = "postgres"  # initdb and postgres refuse to run as root
TIMEOUT_S = 120
JAVA_OPTS = ["-Xms256m", "-Xmx512m", "-XX:+UseG1GC", "-Djava.awt.headless=true"]
INITDB_OPTS = ["--username=postgres", "--no-locale", "--encoding=UTF8", "--auth-local=trust"]
INSTALL_HINT = "on Debian: apt-get install openjdk-17-jre-headless maven postgresql-15"
BUS_SCRIPT = REPO / "deploy" / "bus.py"
APPLY_BUS = HERE / "kafka" / "ApplyBus.java"
SASL_MECHANISM = "SCRAM-SHA-512"
# The stack's own super users: `admin` applies the bus description and is what the tests'
# infrastructure uses; `controller` is the broker's identity on the KRaft controller listener
# (PLAIN there: SCRAM credentials live in the metadata log the controller serves).
SUPERUSERS = ("admin", "controller")
SASL_ENV_KEYS = ("KAFKA_SASL_MECHANISM", "KAFKA_SASL_USERNAME", "KAFKA_SASL_PASSWORD")


class StackError(Exception):
    """An expected failure: reported as one message, never a traceback."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class Paths:
    """Where everything of one stack lives inside its state dir."""

    def __init__(self, state_dir: Path | str) -> None:
        self.root = Path(state_dir).resolve()
        self.lock, self.ports_file = self.root / ".lock", self.root / "stack.json"
        self.logs = self.root / "logs"
        self.kafka_dir = self.root / "kafka"
        self.kafka_data = self.kafka_dir / "data"
        self.kafka_props = self.kafka_dir / "server.properties"
        self.kafka_pid = self.kafka_dir / "kafka.pid"
        self.cluster_id = self.kafka_dir / "cluster-id"
        # Present only on a SASL stack: every principal's generated password (mode 0600).
        self.credentials = self.kafka_dir / "credentials.json"
        self.bus_scope = self.kafka_dir / "bus-offices.json"  # a SASL stack's --bus-offices
        self.kafka_log, self.kafka_stdout = self.logs / "kafka.log", self.logs / "kafka-stdout.log"
        self.pg_dir, self.pg_log = self.root / "pg", self.logs / "postgres.log"
        self.pg_data = self.pg_dir / "data"
        self.pg_sock = self.pg_dir / "sock"
        # A Unix socket path must fit in 107 bytes; deep temp dirs (pytest) can exceed that.
        if len(str(self.pg_sock / ".s.PGSQL.65535")) > 100:
            digest = hashlib.sha1(str(self.root).encode()).hexdigest()[:12]
            self.pg_sock = Path(tempfile.gettempdir()) / f"reint-pg-{digest}"


# ---------------------------------------------------------------- helpers


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


# ---------------------------------------------------------------- Kafka


def pom_digest() -> str:
    return hashlib.sha256(POM.read_bytes()).hexdigest()


def jars_cached() -> bool:
    marker = CACHE_LIBS / ".complete"
    return marker.exists() and marker.read_text().strip() == pom_digest()


def ensure_kafka_jars() -> None:
    """Fetch Kafka and its runtime jars through Maven once; the marker makes later runs free."""
    if jars_cached():  # before the lock: a user who cannot write the cache can still read it
        return
    with file_lock(CACHE_LIBS.parent / ".lock"):
        if jars_cached():  # another stack fetched them while we waited
            return
        print(f"Fetching Kafka {KAFKA_VERSION} jars from Maven Central (first run only)...")
        staging = CACHE_LIBS.with_name("libs.partial")
        shutil.rmtree(staging, ignore_errors=True)
        goal = ["dependency:copy-dependencies", "-DincludeScope=runtime"]
        mvn = ["mvn", "-q", "-B", "-Dstyle.color=never", "-f", str(POM), *goal]
        run([*mvn, f"-DoutputDirectory={staging}"], "Maven download of the Kafka jars")
        shutil.rmtree(CACHE_LIBS, ignore_errors=True)
        staging.rename(CACHE_LIBS)  # all or nothing: an interrupted download is never used
        (CACHE_LIBS / ".complete").write_text(pom_digest() + "\n")


def java(p: Paths, main_class: str, *args: str) -> list[str]:
    props = [f"-Dkafka.logs.dir={p.logs}", f"-Dlog4j2.configurationFile={LOG4J2_CONFIG}"]
    return ["java", *JAVA_OPTS, *props, "-cp", f"{CACHE_LIBS}/*", main_class, *args]


def jaas(module: str, user: str, password: str, **extra: str) -> str:
    options = " ".join(
        f'{key}="{value}"'
        for key, value in {"username": user, "password": password, **extra}.items()
    )
    return f"{module} required {options};"


def sasl_settings(credentials: dict[str, str]) -> dict[str, object]:
    """SCRAM-SHA-512 for clients, PLAIN between broker and controller, StandardAuthorizer."""
    admin, controller = credentials["admin"], credentials["controller"]
    return {
        "listener.security.protocol.map": "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT",
        "inter.broker.listener.name": "SASL_PLAINTEXT",
        "sasl.mechanism.inter.broker.protocol": SASL_MECHANISM,
        "listener.name.sasl_plaintext.sasl.enabled.mechanisms": SASL_MECHANISM,
        "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config": jaas(
            "org.apache.kafka.common.security.scram.ScramLoginModule", "admin", admin
        ),
        "sasl.mechanism.controller.protocol": "PLAIN",
        "listener.name.controller.sasl.enabled.mechanisms": "PLAIN",
        "listener.name.controller.plain.sasl.jaas.config": jaas(
            "org.apache.kafka.common.security.plain.PlainLoginModule",
            "controller",
            controller,
            user_controller=controller,
        ),
        "authorizer.class.name": "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
        "super.users": ";".join(f"User:{name}" for name in SUPERUSERS),
        "allow.everyone.if.no.acl.found": "false",
    }


def write_kafka_config(
    p: Paths, kafka_port: int, controller_port: int, credentials: dict[str, str] | None = None
) -> None:
    client = "SASL_PLAINTEXT" if credentials else "PLAINTEXT"
    listeners = f"{client}://127.0.0.1:{kafka_port},CONTROLLER://127.0.0.1:{controller_port}"
    settings = {
        "process.roles": "broker,controller",
        "node.id": 1,
        "listeners": listeners,
        "advertised.listeners": listeners,
        "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "inter.broker.listener.name": "PLAINTEXT",
        "controller.listener.names": "CONTROLLER",
        # Kafka 4.x dynamic quorum, the pair of `StorageTool format --standalone`.
        "controller.quorum.bootstrap.servers": f"127.0.0.1:{controller_port}",
        "log.dirs": p.kafka_data,
        "num.partitions": 3,
        "default.replication.factor": 1,
        "min.insync.replicas": 1,
        # One node: internal topics default to replication factor 3 and would never be created.
        "offsets.topic.replication.factor": 1,
        "transaction.state.log.replication.factor": 1,
        "transaction.state.log.min.isr": 1,
        # 50 partitions each by default: created on the first consumer group (or transactional
        # producer), they hold every first start back by seconds, tens of seconds on a busy
        # machine; one node needs no more than a few.
        "offsets.topic.num.partitions": 3,
        "transaction.state.log.num.partitions": 3,
        "share.coordinator.state.topic.replication.factor": 1,
        "share.coordinator.state.topic.min.isr": 1,
        "group.initial.rebalance.delay.ms": 0,  # no 3 s pause before a group's first assignment
        "auto.create.topics.enable": "false",  # the platform creates its own topics
    }
    if credentials:
        settings.update(sasl_settings(credentials))
    lines = [f"{key}={value}" for key, value in settings.items()]
    p.kafka_dir.mkdir(parents=True, exist_ok=True)
    p.kafka_props.touch(mode=0o600)  # it holds the super users' passwords on a SASL stack
    p.kafka_props.write_text("\n".join(["# Written by stack.py on every `up`.", *lines]) + "\n")


def new_cluster_id() -> str:
    # Kafka's Uuid text form: URL-safe base64 of 16 random bytes, unpadded, not starting with '-'.
    while (cluster_id := base64.urlsafe_b64encode(uuid.uuid4().bytes).decode()[:22])[0] == "-":
        pass
    return cluster_id


def format_kafka_storage(p: Paths, credentials: dict[str, str] | None = None) -> None:
    if (p.kafka_data / "meta.properties").exists():
        return
    if not p.cluster_id.exists():
        p.cluster_id.write_text(new_cluster_id() + "\n")
    cluster_id = p.cluster_id.read_text().strip()
    tool = java(p, "kafka.tools.StorageTool", "format", "--standalone", "-t", cluster_id)
    if credentials:
        # The admin's SCRAM credential goes into the first metadata: it is how every other
        # user and ACL gets in afterwards.
        tool += ["--add-scram", f"{SASL_MECHANISM}=[name=admin,password={credentials['admin']}]"]
    run([*tool, "-c", str(p.kafka_props)], "Kafka storage format")


# ---------------------------------------------------------------- SASL and the bus description


def bus_principals(cluster: str = "local", offices: str | None = None) -> dict[str, Any]:
    """deploy/bus.py's expansion of one cluster (its own process: bus.py is a script)."""
    command = [sys.executable, str(BUS_SCRIPT), "show", "--cluster", cluster]
    if offices:
        command += ["--offices", offices]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise StackError(f"deploy/bus.py show failed: {result.stderr.strip()}")
    expansion: dict[str, Any] = json.loads(result.stdout)
    return expansion


def load_credentials(p: Paths) -> dict[str, str] | None:
    if not p.credentials.exists():
        return None
    credentials: dict[str, str] = json.loads(p.credentials.read_text())
    return credentials


def ensure_credentials(p: Paths, names: list[str]) -> dict[str, str]:
    """A random password per principal, generated once and kept in the state dir only."""
    credentials = load_credentials(p) or {}
    for name in (*SUPERUSERS, *names):
        credentials.setdefault(name, secrets.token_urlsafe(24))
    p.kafka_dir.mkdir(parents=True, exist_ok=True)
    p.credentials.touch(mode=0o600)
    p.credentials.write_text(json.dumps(credentials, indent=2, sort_keys=True) + "\n")
    return credentials


def bus_lines(expansion: dict[str, Any], credentials: dict[str, str]) -> str:
    """The expansion as ApplyBus.java's input: users, the topics to pre-create, ACLs."""
    lines = []
    principals = expansion["principals"]
    for name in sorted({"admin", *(pr["name"] for pr in principals)}):
        lines.append(f"user\t{name}\t{credentials[name]}")
    if expansion.get("precreate_topics"):
        for topic in expansion["topics"]:
            config = ";".join(f"{k}={v}" for k, v in sorted(topic["config"].items()))
            lines.append(
                f"topic\t{topic['name']}\t{topic['partitions']}\t{topic['replication_factor']}\t{config}"
            )
    for principal in principals:
        for acl in principal["acls"]:
            for operation in acl["operations"]:
                lines.append(
                    f"acl\t{principal['name']}\t{acl['resource_type']}\t{acl['pattern']}"
                    f"\t{acl['name']}\t{operation}"
                )
    return "\n".join(lines) + "\n"


def apply_bus(
    p: Paths, kafka_port: int, credentials: dict[str, str], expansion: dict[str, Any]
) -> str:
    """Users, topics and ACLs of the description onto the running broker (idempotent)."""
    command = ["java", *JAVA_OPTS, "-cp", f"{CACHE_LIBS}/*", str(APPLY_BUS)]
    command += [f"127.0.0.1:{kafka_port}", "admin", credentials["admin"]]
    result = subprocess.run(
        command, input=bus_lines(expansion, credentials), capture_output=True, text=True
    )
    if result.returncode != 0:
        output = "\n".join((result.stdout + result.stderr).strip().splitlines()[-15:])
        raise StackError(f"Applying deploy/bus.toml to Kafka failed:\n{output}")
    return result.stdout.strip()


def running_kafka_pid(p: Paths) -> int | None:
    """This state dir's broker, if alive (its command line names our config: pids get reused)."""
    try:
        pid = int(p.kafka_pid.read_text())
    except (OSError, ValueError):
        return None
    return pid if str(p.kafka_props).encode() in cmdline(pid) and pid_alive(pid) else None


def start_kafka(p: Paths) -> int:
    with open(p.kafka_stdout, "ab") as out:
        # Detached in its own session: it outlives this script and ignores the terminal's Ctrl-C.
        proc = subprocess.Popen(
            java(p, "kafka.Kafka", str(p.kafka_props)),
            cwd=p.root,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    p.kafka_pid.write_text(f"{proc.pid}\n")
    return proc.pid


def kafka_answers(port: int) -> bool:
    """A real ApiVersions v0 request: healthy = our correlation id back with error code 0."""
    client_id = b"stack.py"
    correlation_id = int.from_bytes(os.urandom(3), "big")
    request = struct.pack(">hhih", 18, 0, correlation_id, len(client_id)) + client_id
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
            sock.sendall(struct.pack(">i", len(request)) + request)
            with sock.makefile("rb") as reply:
                (size,) = struct.unpack(">i", reply.read(4))
                got_id, error_code = struct.unpack(">ih", reply.read(size)[:6])
    except (OSError, struct.error):
        return False
    return bool(got_id == correlation_id and error_code == 0)


def stop_kafka(p: Paths) -> None:
    pid = running_kafka_pid(p)
    if pid is not None:
        os.kill(pid, signal.SIGTERM)  # controlled shutdown: flushes the logs, closes the quorum
        deadline = time.monotonic() + 30
        while pid_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if pid_alive(pid):
            os.kill(pid, signal.SIGKILL)
        print(f"kafka       stopped (pid {pid})")
    p.kafka_pid.unlink(missing_ok=True)


# ---------------------------------------------------------------- PostgreSQL


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
        "max_connections = 300\n"  # five services with pools, plus the test suites
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


# ---------------------------------------------------------------- faults (tests only)


def postgres_family(pid: int) -> list[int]:
    """The postmaster and its backends: a crash of the server takes them all."""
    children = []
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                children.append(int(stat_file.parent.name))
    return [pid, *children]


def kill_kafka(state_dir: Path | str) -> int | None:
    """kill -9 the broker, as a power cut would; returns the pid it killed."""
    p = Paths(state_dir)
    pid = running_kafka_pid(p)
    if pid is not None:
        os.kill(pid, signal.SIGKILL)
        while pid_alive(pid):
            time.sleep(0.05)
    return pid


def start_kafka_again(state_dir: Path | str) -> int:
    """Start a stopped or killed broker on its recorded ports and wait until it answers."""
    p = Paths(state_dir)
    ports = recorded_ports(p)
    pid = running_kafka_pid(p) or start_kafka(p)
    wait_until(lambda: kafka_answers(ports["kafka_port"]), "Kafka", str(p.kafka_log), pid)
    return pid


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


# ---------------------------------------------------------------- commands


def recorded_ports(p: Paths) -> dict[str, int]:
    return json.loads(p.ports_file.read_text()) if p.ports_file.exists() else {}


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


def stack_env(
    ports: dict[str, int], credentials: dict[str, str] | None = None, p: Paths | None = None
) -> dict[str, str]:
    env = {
        "KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{ports['kafka_port']}",
        "DATABASE_URL": f"postgresql://{ADMIN_ROLE}:{ADMIN_ROLE}@127.0.0.1:{ports['pg_port']}",
        "KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT" if credentials else "PLAINTEXT",
    }
    if credentials:
        # The super user: what tools and the tests' infrastructure use. deploy/local/services.py
        # gives each service its own principal from KAFKA_CREDENTIALS_FILE.
        env |= {
            "KAFKA_SASL_MECHANISM": SASL_MECHANISM,
            "KAFKA_SASL_USERNAME": "admin",
            "KAFKA_SASL_PASSWORD": credentials["admin"],
        }
        if p is not None:
            env["KAFKA_CREDENTIALS_FILE"] = str(p.credentials)
    return env


def write_env_file(path: Path, env: dict[str, str]) -> None:
    """Set our keys; keep any other line someone put in the file (but no stale credential)."""
    old = path.read_text().splitlines() if path.exists() else []
    ours = {*env, *SASL_ENV_KEYS, "KAFKA_CREDENTIALS_FILE"}
    kept = [line for line in old if line.split("=", 1)[0].strip() not in ours]
    path.write_text("".join(f"{line}\n" for line in kept + [f"{k}={v}" for k, v in env.items()]))


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


def sasl_setup(
    p: Paths, sasl: bool | None, bus_offices: str | None
) -> tuple[dict[str, str] | None, dict[str, Any] | None]:
    """The credentials and bus expansion of a SASL stack; (None, None) for a plaintext one."""
    formatted = (p.kafka_data / "meta.properties").exists()
    made_sasl = p.credentials.exists()
    if sasl is None:
        sasl = made_sasl
    if formatted and sasl != made_sasl:
        made = "with" if made_sasl else "without"
        raise StackError(f"{p.root} was made {made} SASL; `down --purge` it to change that.")
    if not sasl:
        return None, None
    if bus_offices is None and p.bus_scope.exists():
        bus_offices = json.loads(p.bus_scope.read_text())["offices"]
    expansion = bus_principals("local", bus_offices)
    names = [str(principal["name"]) for principal in expansion["principals"]]
    credentials = ensure_credentials(p, names)
    p.bus_scope.write_text(json.dumps({"offices": bus_offices}) + "\n")
    return credentials, expansion


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
