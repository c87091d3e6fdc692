"""Where one stack keeps everything inside its state dir, and the ports it last used."""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]  # deploy/local
REPO = HERE.parents[1]


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


def recorded_ports(p: Paths) -> dict[str, int]:
    return json.loads(p.ports_file.read_text()) if p.ports_file.exists() else {}
