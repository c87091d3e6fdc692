"""Wiring: one process serves the programme API and relays its events (it reads none)."""

from pathlib import Path

from programme.api import router
from programme.projections import read_models
from reintegration_contracts.events.programme import PROGRAMME
from reintegration_contracts.subscriptions import consumes
from reintegration_sdk import EventStore, ServiceDefinition

definition = ServiceDefinition(
    name="programme",
    domain=PROGRAMME,
    routers=[router],
    store=EventStore(projections=[read_models]),
    migrations=Path(__file__).parent / "migrations",
    consumes=consumes("programme"),
    default_port=8107,
    title="Reintegration programme service",
)
