"""The home-visits desk as one process: HTTP API, relay of its events, inbox of intake's."""

from pathlib import Path

from reintegration_contracts.subscriptions import consumes
from reintegration_sdk import EventStore, ServiceDefinition
from visits_desk.api import router
from visits_desk.contract import DOMAIN
from visits_desk.projections import read_models
from visits_desk.reactions import reactions

definition = ServiceDefinition(
    name="visits_desk",
    domain=DOMAIN,
    routers=[router],
    store=EventStore(projections=[read_models]),
    migrations=Path(__file__).parent / "migrations",
    reactions=reactions,
    consumes=consumes("visits_desk"),
    default_port=8199,
    title="Home-visits desk (a country mission's service)",
)
