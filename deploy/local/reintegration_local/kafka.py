"""The Kafka broker of a stack: its jars (Maven, cached once), its KRaft config (with SASL on a
SASL stack), its storage, and starting, probing and stopping it."""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import signal
import socket
import struct
import subprocess
import time
import uuid
from pathlib import Path

from .layout import HERE, REPO, Paths, recorded_ports
from .processes import cmdline, file_lock, pid_alive, run, wait_until

KAFKA_VERSION = "4.4.0"
POM = HERE / "kafka" / "pom.xml"
LOG4J2_CONFIG = HERE / "kafka" / "log4j2.xml"
# Shared by every state dir, outside them all: a second stack or a purge never downloads again.
CACHE_LIBS = REPO / ".local" / "cache" / f"kafka-{KAFKA_VERSION}" / "libs"
JAVA_OPTS = ["-Xms256m", "-Xmx512m", "-XX:+UseG1GC", "-Djava.awt.headless=true"]
SASL_MECHANISM = "SCRAM-SHA-512"
# The stack's own super users: `admin` applies the bus description and is what the tests'
# infrastructure uses; `controller` is the broker's identity on the KRaft controller listener
# (PLAIN there: SCRAM credentials live in the metadata log the controller serves).
SUPERUSERS = ("admin", "controller")


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
