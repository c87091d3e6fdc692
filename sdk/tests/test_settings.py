"""Settings read the offices as a comma list or JSON, and reject unknown codes."""

import functools

import pytest
from pydantic import ValidationError

from reintegration_sdk import kafka
from reintegration_sdk.settings import ServiceSettings, with_database

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("raw", "offices"), [("bf", ["bf"]), ("bf, ml", ["bf", "ml"]), ('["sn","gn"]', ["sn", "gn"])]
)
def test_country_offices_from_the_environment(
    raw: str, offices: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COUNTRY_OFFICES", raw)
    assert ServiceSettings(_env_file=None).country_offices == offices


def test_an_unknown_office_code_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COUNTRY_OFFICES", "bf,XX")
    with pytest.raises(ValidationError, match="ISO 3166-1"):
        ServiceSettings(_env_file=None)


def test_a_service_appends_its_database_to_the_server_url() -> None:
    assert with_database("postgresql://u:p@127.0.0.1:15432", "intake") == (
        "postgresql://u:p@127.0.0.1:15432/intake"
    )
    assert with_database("postgresql://u:p@h:1/other?sslmode=require", "training") == (
        "postgresql://u:p@h:1/training?sslmode=require"
    )


async def test_a_sasl_login_reaches_every_kafka_client_the_sdk_builds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
    monkeypatch.setenv("KAFKA_SASL_USERNAME", "training")
    monkeypatch.setenv("KAFKA_SASL_PASSWORD", "s3cret")
    settings = ServiceSettings(_env_file=None)
    assert "s3cret" not in repr(settings)
    kafka.configure_security(settings.kafka_security())
    try:
        options = kafka.client_options()
        assert options == {
            "security_protocol": "SASL_PLAINTEXT",
            "sasl_mechanism": "SCRAM-SHA-512",
            "sasl_plain_username": "training",
            "sasl_plain_password": "s3cret",
        }
        producer = kafka.idempotent_producer("127.0.0.1:1", "test")
        assert producer.client._sasl_plain_username == "training"
        assert producer.client._security_protocol == "SASL_PLAINTEXT"
        # FastStream keeps the aiokafka keyword arguments it will connect with in its builder.
        builder = kafka.kafka_broker("127.0.0.1:1", "test").config.broker_config.builder
        assert isinstance(builder, functools.partial)
        assert builder.keywords["sasl_plain_username"] == "training"
        assert builder.keywords["sasl_mechanism"] == "SCRAM-SHA-512"
    finally:
        kafka.configure_security(None)


def test_sasl_without_a_login_names_the_missing_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
    with pytest.raises(ValidationError, match="kafka_sasl_username and kafka_sasl_password"):
        ServiceSettings(_env_file=None)


def test_plaintext_adds_no_login(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KAFKA_SECURITY_PROTOCOL", raising=False)
    assert ServiceSettings(_env_file=None).kafka_security().client_options() == {}
