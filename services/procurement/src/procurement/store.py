"""Procurement's event store, shared by command handlers and reactions."""

from procurement.projections import read_models
from reintegration_sdk.eventstore import EventStore

store = EventStore(projections=[read_models])
