"""One validated settings object per service process, from the environment and `.env`."""

import json
from typing import Annotated, Literal, Self

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from reintegration_contracts.countries import is_country_code
from reintegration_sdk.kafka import KafkaSecurity


class ServiceSettings(BaseSettings):
    """What a service needs to run; every field can be set as an environment variable."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    kafka_bootstrap_servers: str = Field(
        default="127.0.0.1:19092", description="Kafka bootstrap address (KAFKA_BOOTSTRAP_SERVERS)"
    )
    kafka_security_protocol: Literal["PLAINTEXT", "SASL_PLAINTEXT", "SASL_SSL"] = Field(
        default="PLAINTEXT", description="How Kafka clients connect (KAFKA_SECURITY_PROTOCOL)"
    )
    kafka_sasl_mechanism: Literal["SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"] = Field(
        default="SCRAM-SHA-512", description="SASL mechanism (KAFKA_SASL_MECHANISM)"
    )
    kafka_sasl_username: str | None = Field(
        default=None, description="This service's principal (KAFKA_SASL_USERNAME)"
    )
    kafka_sasl_password: SecretStr | None = Field(
        default=None, description="Its password (KAFKA_SASL_PASSWORD)"
    )
    database_url: str = Field(
        default="postgresql://reintegration:reintegration@127.0.0.1:15432",
        description="PostgreSQL server URL; a service appends its own database name",
    )
    service_database: str | None = Field(
        default=None, description="Database name override (default: the service's name)"
    )
    # NoDecode: the variable is a plain comma list ("bf,ml"), not JSON.
    country_offices: Annotated[list[str], NoDecode] = Field(
        default=["bf"], description="Offices whose topics this process creates and consumes"
    )
    topic_partitions: int = Field(default=3, ge=1, description="Partitions of created topics")
    http_host: str = "127.0.0.1"
    http_port: int | None = Field(default=None, description="Default: the service's own port")
    consumer_group: str | None = Field(
        default=None, description="Kafka consumer group (default: the service's name)"
    )
    otlp_endpoint: str | None = Field(default=None, description="OTLP/HTTP traces endpoint")
    log_level: str = "INFO"
    relay_batch_size: int = Field(default=500, ge=1)
    relay_idle_poll_seconds: float = Field(
        default=0.05, gt=0, description="How often an idle relay looks for new events"
    )
    consumer_max_records: int = Field(default=500, ge=1)
    database_wait_seconds: float = Field(
        default=60.0, ge=0, description="How long a starting service waits for its database"
    )

    @field_validator("country_offices", mode="before")
    @classmethod
    def _split_offices(cls, value: object) -> object:
        if isinstance(value, str):
            if value.strip().startswith("["):
                return json.loads(value)
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("country_offices")
    @classmethod
    def _valid_offices(cls, value: list[str]) -> list[str]:
        bad = [office for office in value if not is_country_code(office)]
        if bad:
            raise ValueError(f"not ISO 3166-1 alpha-2 lower-case codes: {bad}")
        return value

    @model_validator(mode="after")
    def _sasl_login_complete(self) -> Self:
        if self.kafka_security_protocol.startswith("SASL"):
            missing = [
                name
                for name in ("kafka_sasl_username", "kafka_sasl_password")
                if getattr(self, name) is None
            ]
            if missing:
                raise ValueError(f"{' and '.join(missing)} required with SASL")
        return self

    def kafka_security(self) -> KafkaSecurity:
        """The login every Kafka client of this service uses."""
        password = self.kafka_sasl_password
        sasl = self.kafka_security_protocol.startswith("SASL")
        return KafkaSecurity(
            protocol=self.kafka_security_protocol,
            sasl_mechanism=self.kafka_sasl_mechanism if sasl else None,
            username=self.kafka_sasl_username if sasl else None,
            password=password.get_secret_value() if sasl and password is not None else None,
        )

    def database_dsn(self, service: str) -> str:
        """The DSN of this service's own database on the configured server."""
        return with_database(self.database_url, self.service_database or service)


def with_database(server_url: str, database: str) -> str:
    """Replace (or add) the database part of a PostgreSQL URL."""
    scheme, rest = server_url.split("://", 1)
    authority, _, query = rest.partition("?")
    authority = authority.split("/", 1)[0]
    return f"{scheme}://{authority}/{database}" + (f"?{query}" if query else "")
