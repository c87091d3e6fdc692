"""Wiring: one process serves procurement's HTTP API, its relay and its subscribers."""

from pathlib import Path

from fastapi import FastAPI

from procurement.api import routers
from procurement.policies import policies
from procurement.reactions import reactions
from procurement.store import store
from reintegration_contracts import Domain
from reintegration_sdk.service import ServiceDefinition, create_app, serve
from reintegration_sdk.settings import ServiceSettings

definition = ServiceDefinition(
    name="procurement",
    domain=Domain.PROCUREMENT,
    routers=routers,
    store=store,
    migrations=Path(__file__).parent / "migrations",
    reactions=reactions,
    policies=policies,
    consumes=[Domain.COMMITTEE, Domain.TRAINING],
    default_port=8104,
    title="Reintegration procurement: catalogues, budget review, kit orders and delivery",
)


def build_app(settings: ServiceSettings | None = None) -> FastAPI:
    return create_app(definition, settings)


def main() -> None:
    serve(definition)
