"""One URL shape and one command path for every service's HTTP API.

    router = office_router(tags=["plans"])           # /offices/{country_office}/...

    @router.post("/plans", status_code=201)
    async def submit_plan(body: PlanSubmission, _: Submitter, work: Work) -> PlanAccepted:
        events = await handlers.submit_plan(work, body.command())
        return await queries.plan(work.db, work.country_office, events[0].plan_id)

Every command (POST, PUT, PATCH, DELETE) runs in one database transaction that the route
opens: the handler's appends, the read models its projections update, the query that shapes
the answer and the `Idempotency-Key` record all commit together, or none does. Queries (GET)
get a pooled connection of their own.

A command sent with `Dry-Run: true` runs the same way, rules and duplicate checks included,
and is then rolled back: the answer says what the command would do (an import's dry run lists
every row's errors this way), and nothing is kept.
"""

from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from typing import Annotated, Any

import asyncpg
from fastapi import APIRouter, Depends, Request, Response
from fastapi.routing import APIRoute

from reintegration_sdk import idempotency
from reintegration_sdk.auth import CurrentPrincipal, principal_of
from reintegration_sdk.commands import UnitOfWork
from reintegration_sdk.errors import InvalidFields
from reintegration_sdk.http import RuntimeDep, get_runtime
from reintegration_sdk.openapi import COMMAND_ERRORS, COMMAND_HEADERS, QUERY_ERRORS
from reintegration_sdk.params import OfficePath
from reintegration_sdk.runtime import Runtime

COMMAND_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_CONNECTION = "reintegration.connection"
REPLAYED_HEADER = "Idempotent-Replayed"
DRY_RUN_HEADER = "Dry-Run"


class _Refused(Exception):
    """Carries an answer out of the command's transaction so that it rolls back."""

    def __init__(self, response: Response) -> None:
        self.response = response


class CommandRoute(APIRoute):
    """A route whose commands run in one transaction and honour `Idempotency-Key`."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        methods = {method.upper() for method in kwargs.get("methods") or ()}
        command = bool(methods & COMMAND_METHODS)
        kwargs["responses"] = {
            **(COMMAND_ERRORS if command else QUERY_ERRORS),
            **(kwargs.get("responses") or {}),
        }
        if command:
            extra = dict(kwargs.get("openapi_extra") or {})
            extra["parameters"] = [*extra.get("parameters", []), *COMMAND_HEADERS]
            kwargs["openapi_extra"] = extra
        super().__init__(path, endpoint, **kwargs)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()
        if not (self.methods or set()) & COMMAND_METHODS:
            return handle

        async def run_command(request: Request) -> Response:
            runtime: Runtime = request.app.state.runtime
            dry_run = request.headers.get(DRY_RUN_HEADER, "").lower() == "true"
            # A dry run keeps nothing, so it neither takes nor replays a key.
            key = None if dry_run else request.headers.get(idempotency.IDEMPOTENCY_HEADER)
            if key is not None and not idempotency.valid_key(key):
                raise InvalidFields(
                    [(f"header.{idempotency.IDEMPOTENCY_HEADER}", "1 to 255 printable ASCII")]
                )
            scope = principal_of(request).subject if key is not None else ""
            body = await request.body()  # cached on the request: the handler reads it again
            try:
                async with runtime.pool.acquire() as db, db.transaction():
                    request.scope[_CONNECTION] = db
                    if key is not None:
                        replay = await _claim(db, scope, key, request, body)
                        if replay is not None:
                            return replay
                    response = await handle(request)
                    if dry_run:
                        response.headers[DRY_RUN_HEADER] = "true"
                    if response.status_code >= 400 or dry_run:
                        raise _Refused(response)
                    if key is not None:
                        await idempotency.remember(db, scope, key, _answer(response))
            except _Refused as refused:
                return refused.response
            finally:
                request.scope.pop(_CONNECTION, None)
            return response

        return run_command


async def _claim(
    db: asyncpg.Connection, scope: str, key: str, request: Request, body: bytes
) -> Response | None:
    request_fingerprint = idempotency.fingerprint(
        request.method, request.url.path, request.url.query, body
    )
    try:
        stored = await idempotency.claim(db, scope, key, request_fingerprint)
    except idempotency.KeyReused:
        raise InvalidFields(
            [
                (
                    f"header.{idempotency.IDEMPOTENCY_HEADER}",
                    "already used for a different request; send a new key for a new command",
                )
            ]
        ) from None
    if stored is None:
        return None
    return Response(
        stored.body,
        status_code=stored.status,
        media_type=stored.content_type,
        headers={REPLAYED_HEADER: "true"},
    )


def _answer(response: Response) -> idempotency.StoredAnswer:
    return idempotency.StoredAnswer(
        response.status_code, response.headers.get("content-type"), bytes(response.body)
    )


def office_router(tags: Sequence[str] = ()) -> APIRouter:
    """Routes of one country office: `/offices/{country_office}/...`."""
    return APIRouter(prefix="/offices/{country_office}", tags=list(tags), route_class=CommandRoute)


def hq_router(tags: Sequence[str] = ()) -> APIRouter:
    """Headquarters' routes across offices: `/hq/...` (aggregates, never personal data)."""
    return APIRouter(prefix="/hq", tags=list(tags), route_class=CommandRoute)


async def get_db(request: Request) -> AsyncIterator[asyncpg.Connection]:
    """The command's transaction, or a pooled connection for a query."""
    bound: asyncpg.Connection | None = request.scope.get(_CONNECTION)
    if bound is not None:
        yield bound
        return
    async with get_runtime(request).pool.acquire() as connection:
        yield connection


Db = Annotated[asyncpg.Connection, Depends(get_db)]


def get_work(
    runtime: RuntimeDep, db: Db, principal: CurrentPrincipal, country_office: OfficePath
) -> UnitOfWork:
    """The command's unit of work: its transaction, the store, the principal's office."""
    return UnitOfWork(db, runtime.store, runtime.context(principal, country_office))


Work = Annotated[UnitOfWork, Depends(get_work)]
__all__ = [
    "CommandRoute",
    "Db",
    "OfficePath",
    "RuntimeDep",
    "Work",
    "get_db",
    "hq_router",
    "office_router",
]
