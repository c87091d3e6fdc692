"""Wiring: one process serves training's HTTP API, its relay and its intake subscriber."""

from pathlib import Path

from reintegration_contracts import Domain
from reintegration_contracts.subscriptions import consumes
from reintegration_sdk import EventStore, ServiceDefinition
from training.api import routers
from training.projections import read_models
from training.reactions import reactions

definition = ServiceDefinition(
    name="training",
    domain=Domain.TRAINING,
    routers=routers,
    store=EventStore(projections=[read_models]),
    migrations=Path(__file__).parent / "migrations",
    reactions=reactions,
    consumes=consumes("training"),
    default_port=8102,
    title="Reintegration training service",
)
