"""Intake as one process: HTTP API, relay of its events, and the inbox of what other services
report about its returnees."""

from pathlib import Path

from intake.api import router
from intake.projections import read_models
from intake.reactions import reactions
from reintegration_contracts import Domain
from reintegration_sdk.eventstore import EventStore
from reintegration_sdk.service import ServiceDefinition

MIGRATIONS = Path(__file__).parent / "migrations"
HTTP_PORT = 8101

definition = ServiceDefinition(
    name="intake",
    domain=Domain.INTAKE,
    routers=[router],
    store=EventStore(projections=[read_models]),
    migrations=MIGRATIONS,
    reactions=reactions,
    consumes=[Domain.TRAINING, Domain.COMMITTEE, Domain.PROCUREMENT, Domain.MONITORING],
    default_port=HTTP_PORT,
    title="Reintegration intake service",
)
