"""The catalogue of event types and versions, and upcasting old versions to the current one.

Each payload class is registered with `@event(name, version, domain)`. A consumer reads any
stored or published version through `read_payload`, which upcasts step by step (v1 -> v2 -> ...)
and validates against the newest model, so handlers only ever see current payloads.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from reintegration_contracts.topics import Domain, domain_name


class EventPayload(BaseModel):
    """Base of every event payload.

    Readers are tolerant (unknown fields are ignored) so an optional field added by a newer
    producer never breaks an older consumer.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    event_name: ClassVar[str]
    event_version: ClassVar[int]
    event_domain: ClassVar[str]

    @classmethod
    def ce_type(cls) -> str:
        """The CloudEvents `type` attribute of this event."""
        return ce_type_for(cls.event_domain, cls.event_name)


P = TypeVar("P", bound=type[EventPayload])
Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


class UnknownEventType(LookupError):
    """No registered payload for this event name and version."""


class PayloadInvalid(ValueError):
    """A payload that does not validate against its contract; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class EventKind:
    name: str
    version: int
    domain: str
    model: type[EventPayload]


_kinds: dict[tuple[str, int], EventKind] = {}
_upcasters: dict[tuple[str, int], Upcaster] = {}


def ce_type_for(domain: Domain | str, name: str) -> str:
    return f"org.reintegration.{domain_name(domain)}.{name}"


def event_name_of(ce_type: str) -> str:
    """`org.reintegration.intake.ReturneeRegistered` -> `ReturneeRegistered`."""
    return ce_type.rsplit(".", 1)[-1]


def event(name: str, version: int, domain: Domain | str) -> Callable[[P], P]:
    """Register a payload model as `version` of event `name` published by `domain` (one of
    the platform's, or one a mission registered with `topics.register_domain`)."""
    domain = domain_name(domain)

    def register(model: P) -> P:
        key = (name, version)
        if key in _kinds and _kinds[key].model is not model:
            raise ValueError(f"{name} v{version} is registered twice")
        model.event_name = name
        model.event_version = version
        model.event_domain = domain
        _kinds[key] = EventKind(name, version, domain, model)
        return model

    return register


def upcaster(name: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
    """Register the function turning `name` v`from_version` data into v`from_version + 1`."""

    def register(function: Upcaster) -> Upcaster:
        _upcasters[(name, from_version)] = function
        return function

    return register


def all_kinds() -> list[EventKind]:
    """Every registered (name, version), sorted, old versions included."""
    return sorted(_kinds.values(), key=lambda k: (k.domain, k.name, k.version))


def kind_of(name: str, version: int) -> type[EventPayload]:
    """The payload model of exactly `name` v`version` (no upcasting)."""
    kind = _kinds.get((name, version))
    if kind is None:
        raise UnknownEventType(f"unknown event type {name} v{version}")
    return kind.model


def latest_version(name: str) -> int:
    versions = [v for (n, v) in _kinds if n == name]
    if not versions:
        raise UnknownEventType(f"unknown event type {name!r}")
    return max(versions)


def current_model(name: str) -> type[EventPayload]:
    return _kinds[(name, latest_version(name))].model


def upcast(name: str, version: int, data: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """Raise `data` from `version` to the newest version of `name`, one step at a time."""
    target = latest_version(name)
    if version > target:
        raise UnknownEventType(f"{name} v{version} is newer than this reader (v{target})")
    while version < target:
        step = _upcasters.get((name, version))
        if step is None:
            raise UnknownEventType(f"no upcaster for {name} v{version} -> v{version + 1}")
        data = step(dict(data))
        version += 1
    return version, data


def read_payload(name: str, version: int, data: dict[str, Any]) -> EventPayload:
    """Validate any known version of an event and return it as the current model."""
    if (name, version) not in _kinds:
        raise UnknownEventType(f"unknown event type {name} v{version}")
    _, current = upcast(name, version, data)
    try:
        return current_model(name).model_validate(current)
    except ValidationError as error:
        raise PayloadInvalid(_describe(error)) from error


def _describe(error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        where = ".".join(str(p) for p in item["loc"]) or "(payload)"
        parts.append(f"{where}: {item['msg']}")
    return "; ".join(parts)
