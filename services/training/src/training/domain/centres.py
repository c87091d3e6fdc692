"""Training centres: registered, inspected, contracted. Only contracted, inspected centres take
trainees or assess skills. One stream per centre."""

from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID

from reintegration_contracts import EventPayload
from reintegration_contracts.events.training import (
    TrainingCentreContracted,
    TrainingCentreInspected,
    TrainingCentreRegistered,
)
from reintegration_sdk import Decider, InvalidField, NotFound, RuleViolation


def centre_stream(centre_id: UUID) -> str:
    return f"training-centre-{centre_id}"


@dataclass(frozen=True)
class Centre:
    centre_id: UUID | None = None
    trades: frozenset[str] = frozenset()
    capacity: int = 0
    latest_inspection_passed: bool | None = None
    contract_from: date | None = None
    contract_until: date | None = None

    @property
    def registered(self) -> bool:
        return self.centre_id is not None

    def refusal(self, first_day: date, last_day: date) -> RuleViolation | None:
        """Why the centre may not train or assess over these days, if it may not."""
        if not self.latest_inspection_passed:
            return RuleViolation(
                "centre_not_inspected", "The centre has not passed its latest inspection."
            )
        if (
            self.contract_from is None
            or self.contract_until is None
            or first_day < self.contract_from
            or last_day > self.contract_until
        ):
            return RuleViolation(
                "centre_not_contracted",
                f"The centre's contract does not cover {first_day} to {last_day}.",
            )
        return None


@dataclass(frozen=True)
class RegisterCentre:
    centre_id: UUID
    name: str
    city: str
    trades: tuple[str, ...]
    capacity: int


@dataclass(frozen=True)
class RecordInspection:
    inspected_on: date
    equipment_adequate: bool
    trainers_qualified: bool


@dataclass(frozen=True)
class RecordContract:
    contract_reference: str
    valid_from: date
    valid_until: date


CentreCommand = RegisterCentre | RecordInspection | RecordContract


def decide(centre: Centre, command: CentreCommand) -> list[EventPayload]:
    if isinstance(command, RegisterCentre):
        if centre.registered:
            raise RuleViolation("centre_already_registered", "This centre is already registered.")
        return [
            TrainingCentreRegistered(
                centre_id=command.centre_id,
                name=command.name,
                city=command.city,
                trades=list(dict.fromkeys(command.trades)),
                capacity=command.capacity,
            )
        ]
    if not centre.registered or centre.centre_id is None:
        raise NotFound("training centre")
    if isinstance(command, RecordInspection):
        return [
            TrainingCentreInspected(
                centre_id=centre.centre_id,
                inspected_on=command.inspected_on,
                equipment_adequate=command.equipment_adequate,
                trainers_qualified=command.trainers_qualified,
                # Trainees learn nothing without both the tools and a qualified trainer.
                passed=command.equipment_adequate and command.trainers_qualified,
            )
        ]
    if command.valid_until < command.valid_from:
        raise InvalidField("valid_until", "must be on or after valid_from")
    if not centre.latest_inspection_passed:
        raise RuleViolation(
            "centre_not_inspected", "A centre is contracted only after passing an inspection."
        )
    return [
        TrainingCentreContracted(
            centre_id=centre.centre_id,
            contract_reference=command.contract_reference,
            valid_from=command.valid_from,
            valid_until=command.valid_until,
        )
    ]


def evolve(centre: Centre, event: EventPayload) -> Centre:
    if isinstance(event, TrainingCentreRegistered):
        return Centre(event.centre_id, frozenset(event.trades), event.capacity)
    if isinstance(event, TrainingCentreInspected):
        return replace(centre, latest_inspection_passed=event.passed)
    if isinstance(event, TrainingCentreContracted):
        return replace(centre, contract_from=event.valid_from, contract_until=event.valid_until)
    return centre


decider = Decider(initial=Centre(), evolve=evolve, decide=decide)
