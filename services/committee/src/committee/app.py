"""The committee service: business plans, committee sessions and their decisions."""

from pathlib import Path

from committee.api import routers
from committee.policies import policies
from committee.projections import store
from committee.reactions import reactions
from reintegration_contracts import Domain
from reintegration_contracts.subscriptions import consumes
from reintegration_sdk import ServiceDefinition

HTTP_PORT = 8103

definition = ServiceDefinition(
    name="committee",
    domain=Domain.COMMITTEE,
    routers=routers,
    store=store,
    migrations=Path(__file__).parent / "migrations",
    reactions=reactions,
    policies=policies,
    # Training tells who passed entrepreneurship training; procurement reviews budgets; intake
    # erases a returnee (the words kept about their plans go).
    consumes=consumes("committee"),
    default_port=HTTP_PORT,
    title="Reintegration committee service",
)
