"""Intake as one process: HTTP API, relay of its events, and the inbox of what other services
report about its returnees."""

from pathlib import Path

from intake.api import routers
from intake.projections import read_models
from intake.reactions import reactions
from reintegration_contracts import Domain
from reintegration_contracts.subscriptions import consumes
from reintegration_sdk import EventStore, ServiceDefinition

HTTP_PORT = 8101

definition = ServiceDefinition(
    name="intake",
    domain=Domain.INTAKE,
    routers=routers,
    store=EventStore(projections=[read_models]),
    migrations=Path(__file__).parent / "migrations",
    reactions=reactions,
    # Training, committee, procurement and monitoring tell how far each case has gone.
    consumes=consumes("intake"),
    default_port=HTTP_PORT,
    title="Reintegration intake service",
)
