"""The procurement service: price and kit catalogues, budget review, kit orders and delivery."""

from pathlib import Path

from procurement.api import routers
from procurement.policies import policies
from procurement.projections import store
from procurement.reactions import reactions
from reintegration_contracts import Domain
from reintegration_contracts.subscriptions import consumes
from reintegration_sdk import ServiceDefinition

HTTP_PORT = 8104

definition = ServiceDefinition(
    name="procurement",
    domain=Domain.PROCUREMENT,
    routers=routers,
    store=store,
    migrations=Path(__file__).parent / "migrations",
    reactions=reactions,
    policies=policies,
    # Committee submits and decides plans; training certifies trades; intake erases a returnee
    # (the officers' words on their plans' reviews go).
    consumes=consumes("procurement"),
    default_port=HTTP_PORT,
    title="Reintegration procurement: catalogues, budget review, kit orders and delivery",
)
