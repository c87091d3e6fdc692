"""The runtime every service of the platform stands on, and a country mission's service too.

What a service needs is importable from here; the modules behind it are the SDK's business:

    from reintegration_sdk import Decider, UnitOfWork, ServiceDefinition, office_router, Work

- the domain declares a `Decider` (initial state, `decide`, `evolve`) and raises
  `RuleViolation` / `InvalidFields`;
- handlers run commands through `UnitOfWork.execute`: load, fold, decide, append, in the
  route's transaction;
- `EventStore(projections=[...])` keeps the service's own read models in that transaction;
  `EventHandlers` are tables of `on_<event>` handlers (projections, reactions, policies);
- routes hang off `office_router()` (`/offices/{country_office}/...`) or `hq_router()`, take
  `Work` or `Db`, and check access with `office_scoped`, `office_or_hq` or `hq_only`;
- `ServiceDefinition` wires it all and `serve(definition)` runs it: HTTP, relay, inbox.
"""

from reintegration_sdk.auth import (
    CurrentPrincipal,
    Principal,
    Role,
    hq_only,
    office_or_hq,
    office_scoped,
    require_roles,
)
from reintegration_sdk.commands import Loaded, UnitOfWork
from reintegration_sdk.decider import Decider
from reintegration_sdk.dispatch import EventHandlers
from reintegration_sdk.errors import (
    ConcurrencyError,
    Gone,
    InvalidField,
    InvalidFields,
    NotFound,
    RuleViolation,
)
from reintegration_sdk.events import EventMeta, StoredEvent
from reintegration_sdk.eventstore import EventContext, EventStore
from reintegration_sdk.export import csv_response
from reintegration_sdk.openapi import CSV_ANSWER, ErrorAnswer
from reintegration_sdk.params import OfficePath
from reintegration_sdk.routing import CommandRoute, Db, Work, hq_router, office_router
from reintegration_sdk.runtime import Runtime
from reintegration_sdk.service import ServiceDefinition, create_app, serve
from reintegration_sdk.settings import ServiceSettings

__all__ = [
    "CSV_ANSWER",
    "CommandRoute",
    "ConcurrencyError",
    "CurrentPrincipal",
    "Db",
    "Decider",
    "ErrorAnswer",
    "EventContext",
    "EventHandlers",
    "EventMeta",
    "EventStore",
    "Gone",
    "InvalidField",
    "InvalidFields",
    "Loaded",
    "NotFound",
    "OfficePath",
    "Principal",
    "Role",
    "RuleViolation",
    "Runtime",
    "ServiceDefinition",
    "ServiceSettings",
    "StoredEvent",
    "UnitOfWork",
    "Work",
    "create_app",
    "csv_response",
    "hq_only",
    "hq_router",
    "office_or_hq",
    "office_router",
    "office_scoped",
    "require_roles",
    "serve",
]
