"""Every event payload of the platform; importing this package registers them all."""

from reintegration_contracts.events import (
    committee,
    intake,
    monitoring,
    partners,
    procurement,
    programme,
    training,
)

__all__ = ["committee", "intake", "monitoring", "partners", "procurement", "programme", "training"]
