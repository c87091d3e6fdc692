"""A SASL stack's principals: deploy/bus.toml's expansion, a generated password each, and the
users, topics and ACLs applied onto the running broker."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
from typing import Any

from .kafka import CACHE_LIBS, JAVA_OPTS, SUPERUSERS
from .layout import HERE, REPO, Paths
from .processes import StackError

BUS_SCRIPT = REPO / "deploy" / "bus.py"
APPLY_BUS = HERE / "kafka" / "ApplyBus.java"


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
