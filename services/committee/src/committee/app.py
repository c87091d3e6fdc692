"""The committee service: business plans, committee sessions and their decisions."""

from pathlib import Path

from committee.api import router
from committee.reactions import policies, reactions
from committee.store import store
from reintegration_contracts import Domain
from reintegration_sdk.service import ServiceDefinition

HTTP_PORT = 8103

definition = ServiceDefinition(
    name="committee",
    domain=Domain.COMMITTEE,
    routers=[router],
    store=store,
    migrations=Path(__file__).parent / "migrations",
    reactions=reactions,
    policies=policies,
    # Training tells who passed entrepreneurship training; procurement reviews budgets.
    consumes=[Domain.TRAINING, Domain.PROCUREMENT],
    default_port=HTTP_PORT,
    title="Reintegration committee service",
)
