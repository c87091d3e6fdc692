"""Skills assessment: a claimed trade is tested before any kit, by certified experts at a
contracted, inspected centre that offers the trade. People given equipment for a trade they
could not practise is what this rule prevents."""

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from reintegration_contracts import EventPayload
from reintegration_contracts.events.training import (
    CertificationRoute,
    SkillAssessed,
    SkillCertified,
    SkillLevel,
)
from reintegration_sdk.errors import InvalidField, RuleViolation
from training.domain.centres import Centre


@dataclass(frozen=True)
class AssessSkill:
    returnee_id: UUID
    trade: str
    centre_id: UUID
    centre: Centre
    assessed_on: date
    certified: bool
    level: SkillLevel | None
    already_certified: frozenset[str]


def decide(command: AssessSkill) -> list[EventPayload]:
    centre = command.centre
    if not centre.registered:
        raise InvalidField("centre_id", "no training centre of this office has this id")
    if command.trade not in centre.trades:
        raise RuleViolation(
            "centre_does_not_offer_trade",
            f"Skills in {command.trade} are assessed at a centre that teaches it.",
        )
    refusal = centre.refusal(command.assessed_on, command.assessed_on)
    if refusal is not None:
        raise refusal
    if command.trade in command.already_certified:
        raise RuleViolation(
            "already_certified", f"The returnee is already certified in {command.trade}."
        )
    if command.certified and command.level is None:
        raise InvalidField("level", "a certified skill has a level")
    if not command.certified and command.level is not None:
        raise InvalidField("level", "only a certified skill has a level")
    assessed = SkillAssessed(
        returnee_id=command.returnee_id,
        trade=command.trade,
        centre_id=command.centre_id,
        assessed_on=command.assessed_on,
        certified=command.certified,
        level=command.level,
        # Where the skill falls short the returnee is offered the trade's course instead.
        training_recommended=not command.certified,
    )
    if command.level is None:
        return [assessed]
    return [
        assessed,
        SkillCertified(
            returnee_id=command.returnee_id,
            trade=command.trade,
            level=command.level,
            route=CertificationRoute.ASSESSMENT,
            centre_id=command.centre_id,
            certified_on=command.assessed_on,
        ),
    ]
