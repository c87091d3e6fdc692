"""deploy/compose: the Compose file is valid against the Compose Specification's schema and
runs the same platform as the embedded stack (services, ports, databases, versions)."""

import copy
import re
from pathlib import Path
from typing import Any

import pytest

from reintegration_sdk.testing.infrastructure import load_script

pytestmark = pytest.mark.deploy

REPO = Path(__file__).resolve().parents[1]
compose = load_script(REPO / "deploy" / "compose" / "validate.py", "deploy_compose_validate")
bus = load_script(REPO / "deploy" / "bus.py", "deploy_bus")
DEPLOYED = [s for s in bus.load().services if s.deployed]
DOCUMENT = compose.load_compose()


def test_the_compose_file_is_valid_against_the_compose_specification() -> None:
    assert compose.problems(DOCUMENT) == []


def test_the_schema_check_refuses_what_compose_would_refuse() -> None:
    broken: dict[str, Any] = copy.deepcopy(DOCUMENT)
    broken["services"]["intake"]["comand"] = ["python", "-m", "intake"]
    broken["services"]["postgres"]["command"] = 5
    broken["volumes"]["kafka-data"] = {"driverr": "local"}
    found = "\n".join(compose.problems(broken))
    assert "services/intake: Unevaluated properties are not allowed ('comand'" in found
    assert "services/postgres/command: 5 is not valid under any of the given schemas" in found
    assert "volumes/kafka-data" in found


def test_the_same_services_ports_and_databases_as_the_embedded_stack() -> None:
    services = DOCUMENT["services"]
    assert set(services) == {s.name for s in DEPLOYED} | {"kafka", "postgres"}
    init_sql = (REPO / "deploy/compose/postgres-init/01-service-databases.sql").read_text()
    for service in DEPLOYED:
        entry = services[service.name]
        env = entry["environment"]
        assert entry["command"] == ["python", "-m", service.name]
        assert env["HTTP_PORT"] == str(service.port)
        assert entry["ports"] == [f"127.0.0.1:{service.port}:{service.port}"]
        assert env["DATABASE_URL"] == f"postgresql://{service.name}:{service.name}@postgres:5432"
        assert env["KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"
        assert env["AUTH_JWT_SECRET"].startswith("${AUTH_JWT_SECRET:?")
        assert entry["depends_on"]["kafka"]["condition"] == "service_healthy"
        assert "/ready" in " ".join(entry["healthcheck"]["test"])
        assert f"CREATE DATABASE {service.name} OWNER {service.name};" in init_sql
    assert services["monitoring"]["environment"]["INTAKE_URL"] == "http://intake:8101"


def test_kafka_and_postgres_match_the_embedded_stack() -> None:
    pom = (REPO / "deploy/local/kafka/pom.xml").read_text()
    local_kafka = re.search(r"<kafka.version>([\d.]+)</kafka.version>", pom)
    assert local_kafka is not None
    kafka = DOCUMENT["services"]["kafka"]
    assert kafka["image"] == f"apache/kafka:${{KAFKA_VERSION:-{local_kafka.group(1)}}}"
    assert kafka["environment"]["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"
    assert kafka["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"  # KRaft
    assert DOCUMENT["services"]["postgres"]["image"] == "postgres:${POSTGRES_VERSION:-15}"
