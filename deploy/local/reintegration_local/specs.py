"""What each service process is: its module, port and environment (a SASL stack's principal
among it), from the stack's settings."""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

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
# The staff app's host (web/): serves the built app and forwards /api/<service>/ to the services.
WEB = "web"
DEFAULT_WEB_PORT = 8100
STACK_KEYS = ("KAFKA_BOOTSTRAP_SERVERS", "DATABASE_URL")
# Passed on from the environment like the stack's addresses (a SASL stack's, from stack.py).
SECURITY_KEYS = ("KAFKA_SECURITY_PROTOCOL", "KAFKA_SASL_MECHANISM", "KAFKA_CREDENTIALS_FILE")
# Set per service, never inherited: one SERVICE_DATABASE in the caller's environment would
# otherwise put all the services in the same database.
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
    "PARTNERS_URL",
    "PROGRAMME_URL",
    # On a SASL stack each service logs in as itself, never as the stack's admin.
    "KAFKA_SASL_USERNAME",
    "KAFKA_SASL_PASSWORD",
)
HOST = "127.0.0.1"


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
    """The seven services. specs, and the staff app's host after them when `web_port` is given.

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
