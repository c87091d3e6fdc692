"""Wiring: monitoring reads every domain's events (its own too) and serves API and dashboard."""

from pathlib import Path

from monitoring import dashboard
from monitoring.api import routers
from monitoring.policies import policies
from monitoring.projections import store
from monitoring.reactions import reactions
from reintegration_contracts import Domain
from reintegration_contracts.subscriptions import consumes
from reintegration_sdk import ServiceDefinition

definition = ServiceDefinition(
    name="monitoring",
    domain=Domain.MONITORING,
    routers=[*routers, dashboard.router],
    store=store,
    migrations=Path(__file__).parent / "migrations",
    reactions=reactions,
    # A delivered kit opens the beneficiaries' follow-up schedules.
    policies=policies,
    consumes=consumes("monitoring"),
    default_port=8105,
    title="Reintegration monitoring service",
)
