"""Skills assessment: a claimed trade is tested before any kit, by certified experts at a
contracted, inspected centre that offers the trade. People given equipment for a trade they
could not practise is what this rule prevents. One stream per returnee and office."""

from dataclasses import dataclass, field, replace
from datetime import date
from uuid import UUID

from reintegration_contracts import EventPayload
from reintegration_contracts.events.training import (
    CertificationRoute,
    KitEligibilityEstablished,
    KitGround,
    SkillAssessed,
    SkillCertified,
    SkillLevel,
)
from reintegration_sdk import Decider, InvalidFields, RuleViolation
from training.domain.centres import Centre
from training.domain.programme import DEFAULT_RULES, ProgrammeRules


def skills_stream(office: str, returnee_id: UUID) -> str:
    # The office is part of the name: a returnee id another office assessed must not tell
    # this office that the person exists there (its stream would answer 404 here).
    return f"skills-{office}-{returnee_id}"


@dataclass(frozen=True)
class Skills:
    """The trades this stream certified by assessment."""

    certified: frozenset[str] = frozenset()


@dataclass(frozen=True)
class AssessSkill:
    returnee_id: UUID
    trade: str
    centre_id: UUID
    assessed_on: date
    certified: bool
    level: SkillLevel | None
    # Gathered by the handler: the centre as this office knows it (unregistered if it is
    # not one of the office's) and every trade the returnee holds a certificate in here,
    # by assessment or by a course.
    centre: Centre = field(default_factory=Centre)
    already_certified: frozenset[str] = frozenset()
    # Whether the office registered the returnee, and its programme.
    registered: bool = False
    rules: ProgrammeRules = DEFAULT_RULES
    today: date = date.max  # the API gives today; the tables leave it open


def decide(skills: Skills, command: AssessSkill) -> list[EventPayload]:
    centre = command.centre
    problems = []
    if not centre.registered:
        problems.append(("centre_id", "no training centre of this office has this id"))
    if command.certified and command.level is None:
        problems.append(("level", "a certified skill has a level"))
    if not command.certified and command.level is not None:
        problems.append(("level", "only a certified skill has a level"))
    if problems:
        raise InvalidFields(problems)
    if not command.registered:
        raise RuleViolation(
            "returnee_not_registered", "This office has not registered this returnee."
        )
    if command.assessed_on > command.today:
        raise RuleViolation(
            "dated_in_the_future", f"assessed_on: {command.assessed_on} has not come yet."
        )
    if command.trade not in centre.trades:
        raise RuleViolation(
            "centre_does_not_offer_trade",
            f"Skills in {command.trade} are assessed at a centre that teaches it.",
        )
    refusal = centre.refusal(command.assessed_on, command.assessed_on)
    if refusal is not None:
        raise refusal
    if command.trade in skills.certified | command.already_certified:
        raise RuleViolation(
            "already_certified", f"The returnee is already certified in {command.trade}."
        )
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
    certified = SkillCertified(
        returnee_id=command.returnee_id,
        trade=command.trade,
        level=command.level,
        route=CertificationRoute.ASSESSMENT,
        centre_id=command.centre_id,
        certified_on=command.assessed_on,
    )
    if not command.rules.assessment_leads_to_kit:
        return [assessed, certified]
    # Mali: a qualified returnee whose skills hold goes straight to the trade's kit.
    eligible = KitEligibilityEstablished(
        returnee_id=command.returnee_id,
        trade=command.trade,
        ground=KitGround.ASSESSMENT,
        established_on=command.assessed_on,
        configuration_version=command.rules.version,
    )
    return [assessed, certified, eligible]


def evolve(skills: Skills, event: EventPayload) -> Skills:
    if isinstance(event, SkillCertified):
        return replace(skills, certified=skills.certified | {event.trade})
    return skills


decider = Decider(initial=Skills(), evolve=evolve, decide=decide)
