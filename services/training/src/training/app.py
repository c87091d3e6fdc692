"""Wiring: one process serves training's HTTP API, its relay and its intake subscriber."""

from pathlib import Path

from reintegration_contracts import Domain
from reintegration_sdk.eventstore import EventStore
from reintegration_sdk.service import ServiceDefinition
from training.api import routers
from training.projections import read_models
from training.reactions import reactions

MIGRATIONS = Path(__file__).parent / "migrations"

definition = ServiceDefinition(
    name="training",
    domain=Domain.TRAINING,
    routers=routers,
    store=EventStore(projections=[read_models]),
    migrations=MIGRATIONS,
    reactions=reactions,
    consumes=[Domain.INTAKE],
    default_port=8102,
    title="Reintegration training service",
)
