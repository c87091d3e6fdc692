"""The stack's connection settings, and the .env file they go to and are read back from."""

from __future__ import annotations

from pathlib import Path

from .kafka import SASL_MECHANISM
from .layout import Paths
from .postgres import ADMIN_ROLE

SASL_ENV_KEYS = ("KAFKA_SASL_MECHANISM", "KAFKA_SASL_USERNAME", "KAFKA_SASL_PASSWORD")


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
