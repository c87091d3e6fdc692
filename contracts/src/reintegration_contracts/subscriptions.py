"""Who publishes and who reads each domain: part of the contract between services.

A domain is published by the one service that owns it (the platform's five own the domains of
their names; a mission's service owns the domain it registered). What each service reads is
declared here, once: the AsyncAPI document lists it as operations, the bus's ACLs grant it,
and each service's definition subscribes to exactly these domains.
"""

from collections.abc import Sequence

from reintegration_contracts.topics import Domain, domain_name

_PLATFORM: dict[str, tuple[Domain | str, ...]] = {
    # Intake follows each case's progress through every later step.
    "intake": (Domain.TRAINING, Domain.COMMITTEE, Domain.PROCUREMENT, Domain.MONITORING),
    # Training enrols the counselled only, by the rules of the office's programme.
    "training": (Domain.INTAKE, "programme"),
    # The committee takes plans from the trained (where the office's programme asks for the
    # entrepreneurship course first) and decides after procurement's review; an erasure
    # deletes the words it keeps about a plan; a community project is proposed by a partner
    # the registry says works with the office.
    "committee": (Domain.INTAKE, Domain.TRAINING, Domain.PROCUREMENT, "programme", "partners"),
    # Procurement reviews submitted plans, orders kits for approved plans and certified trades,
    # awards grants to those the office's programme makes eligible; an erasure deletes the
    # words it keeps about a plan.
    "procurement": (Domain.INTAKE, Domain.COMMITTEE, Domain.TRAINING, "programme"),
    # Monitoring folds every domain into its read models, its own too.
    "monitoring": tuple(Domain),
}
_publishers: dict[str, str] = {domain.value: domain.value for domain in Domain}
_readers: dict[str, tuple[str, ...]] = {
    service: tuple(str(d) for d in domains) for service, domains in _PLATFORM.items()
}


def register_service(name: str, publishes: str | None, consumes: Sequence[str]) -> None:
    """A mission's service declares the domain it publishes and the domains it reads."""
    if publishes is not None:
        owner = _publishers.setdefault(domain_name(publishes), name)
        if owner != name:
            raise ValueError(f"domain {publishes!r} is published by {owner}")
    _readers[name] = tuple(domain_name(d) for d in consumes)


def consumes(service: str) -> tuple[str, ...]:
    """The domains `service` reads."""
    return _readers.get(service, ())


def publisher_of(domain: str) -> str | None:
    return _publishers.get(domain)


def services() -> tuple[str, ...]:
    """Every service known to this process: the platform's, then the missions'."""
    return tuple(dict.fromkeys([*_publishers.values(), *_readers]))
