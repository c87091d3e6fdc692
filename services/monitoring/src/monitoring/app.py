"""Wiring: monitoring reads every domain's events (its own too) and serves API and dashboard."""

from pathlib import Path

from fastapi import FastAPI

from monitoring import api, dashboard, queries
from monitoring.handlers import store
from monitoring.policies import policies
from monitoring.reactions import reactions
from reintegration_contracts import Domain
from reintegration_sdk.service import ServiceDefinition
from reintegration_sdk.service import create_app as create_service_app
from reintegration_sdk.settings import ServiceSettings

DEFAULT_PORT = 8105

definition = ServiceDefinition(
    name="monitoring",
    domain=Domain.MONITORING,
    routers=[api.router, queries.office, queries.hq, dashboard.router],
    store=store,
    migrations=Path(__file__).parent / "migrations",
    reactions=reactions,
    policies=policies,
    consumes=list(Domain),
    default_port=DEFAULT_PORT,
    title="Reintegration monitoring service",
)


def settings_from_environment() -> ServiceSettings:
    settings = ServiceSettings()
    # The SDK's default HTTP_PORT is 8000 for every service; run standalone on our own port.
    if "http_port" not in settings.model_fields_set:
        settings = settings.model_copy(update={"http_port": DEFAULT_PORT})
    return settings


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    return create_service_app(definition, settings or settings_from_environment())
