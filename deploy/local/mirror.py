#!/usr/bin/env python3
"""HQ fed from a country cluster, locally: a second Kafka (the HQ cluster) and Apache Kafka's
MirrorMaker 2 (connect-mirror from Maven Central, dedicated mode) copying the country
cluster's `reintegration.<cc>.*` event topics into it as `<alias>.reintegration.<cc>.*` (the
default replication policy keeps the source in the name; dead letters stay home, as in
deploy/bus.toml). Consumer offsets are translated through checkpoints on the HQ cluster.

The country cluster is any running broker (`stack.py up`'s); this script owns the HQ broker and
MirrorMaker, both in --state-dir. Plaintext: the SASL mode of the mirror is the Kubernetes one
(KafkaUser `mirrormaker`); locally the refusals are proven by `stack.py up --sasl`.

    python3 deploy/local/mirror.py up --country 127.0.0.1:20692 --offices bf,ml \\
        --kafka-port 20792 --controller-port 20793
    python3 deploy/local/mirror.py status | down [--purge]

Standard library only; importable by path for tests (up, kill_mirror, start_mirror, down).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
MIRROR_VERSION = "4.3.1"  # connect-mirror's newest release on Maven Central
MIRROR_POM = HERE / "kafka" / "mirror-pom.xml"
DEFAULT_STATE_DIR = HERE.parents[1] / ".local" / "mirror"
ALIAS = "country"  # the source cluster's alias: mirrored topics are `country.reintegration...`
HQ = "hq"


def _stack() -> ModuleType:
    loaded = sys.modules.get("reintegration_local_stack")
    if loaded is not None:
        return loaded
    spec = importlib.util.spec_from_file_location("reintegration_local_stack", HERE / "stack.py")
    if spec is None or spec.loader is None:  # pragma: no cover - the file is beside this one
        raise ImportError("deploy/local/stack.py not found")
    module = importlib.util.module_from_spec(spec)
    sys.modules["reintegration_local_stack"] = module
    spec.loader.exec_module(module)
    return module


stack = _stack()
CACHE_LIBS = stack.REPO / ".local" / "cache" / f"kafka-mirror-{MIRROR_VERSION}" / "libs"


class Layout:
    def __init__(self, state_dir: Path | str) -> None:
        self.root = Path(state_dir).resolve()
        self.hq = stack.Paths(self.root / "hq")  # the HQ broker: a stack's Kafka half
        self.mirror = self.root / "mirrormaker"
        self.props = self.mirror / "mm2.properties"
        self.pid = self.mirror / "mirrormaker.pid"
        self.logs = self.root / "logs" / "mirrormaker"  # its log4j2 kafka.log, and stdout
        self.log = self.logs / "stdout.log"
        self.settings = self.root / "mirror.json"
        self.lock = self.root / ".lock"


def pom_digest() -> str:
    return hashlib.sha256(MIRROR_POM.read_bytes()).hexdigest()


def ensure_mirror_jars() -> None:
    """connect-mirror, connect-runtime and their jars through Maven once (like the broker's)."""
    marker = CACHE_LIBS / ".complete"
    if marker.exists() and marker.read_text().strip() == pom_digest():
        return
    with stack.file_lock(CACHE_LIBS.parent / ".lock"):
        if marker.exists() and marker.read_text().strip() == pom_digest():
            return
        print(f"Fetching MirrorMaker {MIRROR_VERSION} jars from Maven Central (first run only)...")
        staging = CACHE_LIBS.with_name("libs.partial")
        shutil.rmtree(staging, ignore_errors=True)
        goal = ["dependency:copy-dependencies", "-DincludeScope=runtime"]
        mvn = ["mvn", "-q", "-B", "-Dstyle.color=never", "-f", str(MIRROR_POM), *goal]
        stack.run([*mvn, f"-DoutputDirectory={staging}"], "Maven download of MirrorMaker")
        shutil.rmtree(CACHE_LIBS, ignore_errors=True)
        staging.rename(CACHE_LIBS)
        marker.write_text(pom_digest() + "\n")


def topics_pattern(offices: list[str]) -> str:
    """Event topics of these offices only: never a dead letter, never a partner's feed."""
    return rf"{re.escape('reintegration.')}({'|'.join(offices)})\.[a-z]+"


def write_mirror_config(layout: Layout, country: str, hq: str, offices: list[str]) -> None:
    settings = {
        "clusters": f"{ALIAS}, {HQ}",
        f"{ALIAS}.bootstrap.servers": country,
        f"{HQ}.bootstrap.servers": hq,
        f"{ALIAS}->{HQ}.enabled": "true",
        f"{ALIAS}->{HQ}.topics": topics_pattern(offices),
        f"{HQ}->{ALIAS}.enabled": "false",
        # The relays publish in transactions: only committed events cross, never an aborted
        # batch (MirrorMaker's source consumer reads read_uncommitted by default).
        f"{ALIAS}.consumer.isolation.level": "read_committed",
        # Offset syncs on the HQ side: the mirror needs nothing but reads on a country cluster.
        "offset-syncs.topic.location": "target",
        "sync.group.offsets.enabled": "true",
        "sync.group.offsets.interval.seconds": "5",
        "emit.checkpoints.interval.seconds": "5",
        "refresh.topics.interval.seconds": "5",
        "refresh.groups.interval.seconds": "5",
        "sync.topic.acls.enabled": "false",
        "emit.heartbeats.enabled": "false",
        # One broker per cluster here (three in deploy/kubernetes).
        "replication.factor": "1",
        "checkpoints.topic.replication.factor": "1",
        "heartbeats.topic.replication.factor": "1",
        "offset-syncs.topic.replication.factor": "1",
        "offset.storage.replication.factor": "1",
        "status.storage.replication.factor": "1",
        "config.storage.replication.factor": "1",
        "tasks.max": "1",
        "dedicated.mode.enable.internal.rest": "false",
        # Every jar on the classpath has ServiceLoader manifests; the default reflective scan
        # costs tens of seconds per start on a busy machine.
        "plugin.discovery": "service_load",
    }
    layout.mirror.mkdir(parents=True, exist_ok=True)
    lines = [f"{key} = {value}" for key, value in settings.items()]
    layout.props.write_text("# Written by deploy/local/mirror.py.\n" + "\n".join(lines) + "\n")


def running_mirror_pid(layout: Layout) -> int | None:
    try:
        pid = int(layout.pid.read_text())
    except (OSError, ValueError):
        return None
    alive = str(layout.props).encode() in stack.cmdline(pid) and stack.pid_alive(pid)
    return pid if alive else None


def start_mirror(state_dir: Path | str) -> int:
    """Start MirrorMaker (if it is not running) on the recorded configuration."""
    layout = Layout(state_dir)
    pid = running_mirror_pid(layout)
    if pid is not None:
        return pid
    layout.log.parent.mkdir(parents=True, exist_ok=True)
    props = [
        f"-Dkafka.logs.dir={layout.log.parent}",
        f"-Dlog4j2.configurationFile={stack.LOG4J2_CONFIG}",
    ]
    command = ["java", *stack.JAVA_OPTS, *props, "-cp", f"{CACHE_LIBS}/*"]
    command += ["org.apache.kafka.connect.mirror.MirrorMaker", str(layout.props), "--clusters", HQ]
    with open(layout.log, "ab") as out:
        proc = subprocess.Popen(
            command,
            cwd=layout.mirror,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    layout.pid.write_text(f"{proc.pid}\n")
    return proc.pid


def kill_mirror(state_dir: Path | str) -> int | None:
    """kill -9 MirrorMaker mid-stream (its uncommitted progress is replayed: duplicates)."""
    layout = Layout(state_dir)
    pid = running_mirror_pid(layout)
    if pid is not None:
        os.kill(pid, signal.SIGKILL)
        while stack.pid_alive(pid):
            time.sleep(0.05)
    return pid


def stop_mirror(layout: Layout) -> None:
    pid = running_mirror_pid(layout)
    if pid is not None:
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        while stack.pid_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if stack.pid_alive(pid):
            os.kill(pid, signal.SIGKILL)
        print(f"mirrormaker stopped (pid {pid})")
    layout.pid.unlink(missing_ok=True)


def up(
    state_dir: Path | str,
    country: str,
    offices: list[str],
    kafka_port: int,
    controller_port: int,
) -> dict[str, str]:
    """The HQ broker and MirrorMaker from `country` (bootstrap address); idempotent."""
    layout = Layout(state_dir)
    (layout.root / "logs").mkdir(parents=True, exist_ok=True)
    p = layout.hq
    p.logs.mkdir(parents=True, exist_ok=True)
    with stack.file_lock(layout.lock):
        stack.require_tools(need_maven=True)
        kafka_pid = stack.running_kafka_pid(p)
        if kafka_pid is None:
            stack.ensure_port_free(kafka_port, "the HQ Kafka", "--kafka-port")
            stack.ensure_port_free(controller_port, "the HQ Kafka controller", "--controller-port")
            ports = {"kafka_port": kafka_port, "controller_port": controller_port, "pg_port": 0}
            p.ports_file.write_text(json.dumps(ports) + "\n")
            stack.write_kafka_config(p, kafka_port, controller_port)
            stack.ensure_kafka_jars()
            stack.format_kafka_storage(p)
            kafka_pid = stack.start_kafka(p)
        ensure_mirror_jars()
        hq = f"127.0.0.1:{kafka_port}"
        write_mirror_config(layout, country, hq, offices)
        record = {"country": country, "hq": hq, "offices": offices}
        layout.settings.write_text(json.dumps(record) + "\n")
        logs = f"{p.kafka_log} and {p.kafka_stdout}"
        stack.wait_until(lambda: stack.kafka_answers(kafka_port), "HQ Kafka", logs, kafka_pid)
        start_mirror(layout.root)
    return {"HQ_KAFKA_BOOTSTRAP_SERVERS": hq, "MIRROR_SOURCE_ALIAS": ALIAS}


def down(state_dir: Path | str, purge: bool = False) -> None:
    layout = Layout(state_dir)
    if not layout.root.exists():
        return
    if purge and not layout.lock.exists():
        raise stack.StackError(f"Refusing to purge {layout.root}: it is not a mirror state dir.")
    with stack.file_lock(layout.lock):
        stop_mirror(layout)
        stack.stop_kafka(layout.hq)
    if purge:
        shutil.rmtree(layout.root)
        print(f"purged {layout.root}")


def status(state_dir: Path | str) -> int:
    layout = Layout(state_dir)
    hq_pid, mirror_pid = stack.running_kafka_pid(layout.hq), running_mirror_pid(layout)
    print(f"hq kafka    {'running  pid ' + str(hq_pid) if hq_pid else 'stopped'}")
    print(f"mirrormaker {'running  pid ' + str(mirror_pid) if mirror_pid else 'stopped'}")
    return 0 if hq_pid and mirror_pid else 3


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    cmd_up = commands.add_parser("up", help="start the HQ broker and MirrorMaker (idempotent)")
    cmd_up.add_argument("--country", required=True, help="the country cluster's bootstrap address")
    cmd_up.add_argument("--offices", required=True, help="comma list of offices to mirror")
    cmd_up.add_argument("--kafka-port", type=int, default=20792)
    cmd_up.add_argument("--controller-port", type=int, default=20793)
    cmd_down = commands.add_parser("down", help="stop both (idempotent)")
    cmd_down.add_argument("--purge", action="store_true", help="also delete the state dir")
    commands.add_parser("status", help="exit 0 if both run, else 3")
    for sub in commands.choices.values():
        sub.add_argument("--state-dir", type=Path, default=DEFAULT_STATE_DIR)
    args = parser.parse_args(argv)
    try:
        if args.command == "up":
            offices = [o.strip() for o in args.offices.split(",") if o.strip()]
            env = up(args.state_dir, args.country, offices, args.kafka_port, args.controller_port)
            print("\n".join(f"{key}={value}" for key, value in env.items()))
            return 0
        if args.command == "down":
            down(args.state_dir, args.purge)
            return 0
        return status(args.state_dir)
    except stack.StackError as error:
        print(f"mirror.py: {error}", file=sys.stderr)
        return int(error.exit_code)
    except KeyboardInterrupt:
        return 130
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
