"""The public contract of the home-visits desk: its domain, its one event, what it reads.

A country mission's service registers its own domain, so its events travel on
`reintegration.<cc>.home_visits`, under the mission's own Kafka ACL prefix, and any consumer
(the platform's or another mission's) reads them by importing this module alone, never the
service's code. Its schemas are checked in beside it (`schemas/`) and checked like the
platform's:

    python -m reintegration_contracts.schemas check --module visits_desk.contract \\
        --dir sdk/examples/visits_desk/schemas
"""

from datetime import date
from enum import StrEnum
from uuid import UUID

from pydantic import Field

from reintegration_contracts.registry import EventPayload, event
from reintegration_contracts.subscriptions import register_service
from reintegration_contracts.topics import Domain, register_domain
from reintegration_contracts.types import ReturneeId

DOMAIN = register_domain("home_visits", owner="visits_desk")
# It learns from intake who the office registered, and when they arrived.
register_service("visits_desk", publishes=DOMAIN, consumes=[Domain.INTAKE])


class VisitPurpose(StrEnum):
    PSYCHOSOCIAL = "psychosocial"
    FAMILY_MEDIATION = "family_mediation"
    HOUSING = "housing"


class VisitOutcome(StrEnum):
    DOING_WELL = "doing_well"
    NEEDS_SUPPORT = "needs_support"
    NOT_AT_HOME = "not_at_home"


@event("HomeVisitRecorded", 1, DOMAIN)
class HomeVisitRecorded(EventPayload):
    """A caseworker visited a returnee at home; what was said stays in the desk's notes."""

    visit_id: UUID = Field(description="Chosen by the desk; a visit is recorded once")
    returnee_id: ReturneeId
    visited_on: date
    purpose: VisitPurpose = Field(examples=["psychosocial"])
    outcome: VisitOutcome = Field(examples=["needs_support"])
    referral_needed: bool = Field(description="The caseworker asks for a referral")
