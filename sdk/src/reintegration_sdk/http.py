"""HTTP plumbing shared by every service: dependencies, error bodies, tracing, health."""

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from opentelemetry.trace import SpanKind
from starlette.types import ASGIApp, Receive, Scope, Send

from reintegration_sdk.errors import ConcurrencyError, Gone, NotFound, RuleViolation
from reintegration_sdk.runtime import Runtime
from reintegration_sdk.telemetry import span_following


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def install_error_handlers(app: FastAPI) -> None:
    """Every error a client can cause answers with a JSON body that names what is wrong."""

    async def validation(_: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, RequestValidationError)
        fields = [
            {"field": ".".join(str(p) for p in item["loc"]), "reason": item["msg"]}
            for item in error.errors()
        ]
        return JSONResponse({"error": "validation_error", "fields": fields}, status_code=422)

    async def rule(_: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, RuleViolation)
        body: dict[str, Any] = {"error": "rule_violation", "rule": error.rule}
        body["detail"] = error.detail
        if error.status_code == 422:
            field = getattr(error, "field", None)
            body = {
                "error": "validation_error",
                "fields": [{"field": field, "reason": getattr(error, "reason", error.detail)}],
            }
        if error.context:
            body["context"] = {k: _jsonable(v) for k, v in error.context.items()}
        return JSONResponse(body, status_code=error.status_code)

    async def conflict(_: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, ConcurrencyError)
        return JSONResponse(
            {
                "error": "concurrency_conflict",
                "detail": str(error),
                "stream": error.stream_id,
                "expected_version": error.expected,
                "actual_version": error.actual,
            },
            status_code=409,
        )

    async def not_found(_: Request, error: Exception) -> JSONResponse:
        return JSONResponse({"error": "not_found", "detail": str(error)}, status_code=404)

    async def gone(_: Request, error: Exception) -> JSONResponse:
        return JSONResponse({"error": "gone", "detail": str(error)}, status_code=410)

    app.add_exception_handler(RequestValidationError, validation)
    app.add_exception_handler(RuleViolation, rule)
    app.add_exception_handler(ConcurrencyError, conflict)
    app.add_exception_handler(NotFound, not_found)
    app.add_exception_handler(Gone, gone)


def _jsonable(value: object) -> object:
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


class TracingMiddleware:
    """A server span per request, continuing the caller's `traceparent` when given."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        parent = headers.get(b"traceparent")
        name = f"{scope['method']} {scope['path']}"
        with span_following(
            name,
            parent.decode() if parent else None,
            kind=SpanKind.SERVER,
            attributes={"http.method": scope["method"], "http.target": scope["path"]},
        ):
            await self.app(scope, receive, send)


HealthCheck = Callable[[], Awaitable[dict[str, Any]]]
