"""HTTP plumbing shared by every service: dependencies, error bodies, tracing, health."""

from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from opentelemetry.trace import SpanKind
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from reintegration_sdk.errors import (
    ConcurrencyError,
    Gone,
    InvalidFields,
    NotFound,
    RuleViolation,
)
from reintegration_sdk.runtime import Runtime
from reintegration_sdk.telemetry import span_following


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


_LOCATIONS = ("body", "path.", "query.", "header.", "cookie.")


def field_path(field: str) -> str:
    """Where a wrong value sits in the request: `body.x.0.y`, `path.x`, `query.x`."""
    return field if field.startswith(_LOCATIONS) else f"body.{field}"


def error_body(error: str, detail: str, **extra: object) -> dict[str, Any]:
    """The one shape of every error answer: a stable code, a sentence, and the specifics."""
    return {"error": error, "detail": detail, **extra}


def invalid_fields_response(problems: list[tuple[str, str]]) -> JSONResponse:
    fields = [{"field": field_path(field), "reason": reason} for field, reason in problems]
    noun = "field is" if len(fields) == 1 else "fields are"
    detail = f"{len(fields)} {noun} invalid: " + ", ".join(f["field"] for f in fields)
    return JSONResponse(error_body("validation_error", detail, fields=fields), status_code=422)


def install_error_handlers(app: FastAPI) -> None:
    """Every error a client can cause answers with a JSON body that names what is wrong."""

    async def validation(_: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, RequestValidationError)
        # A path parameter that several dependencies declare (the office: the access check
        # and the unit of work) is reported once per declaration; name it once.
        problems = list(
            dict.fromkeys(
                (".".join(str(p) for p in item["loc"]), str(item["msg"])) for item in error.errors()
            )
        )
        if any(item.get("type") == "json_invalid" for item in error.errors()):
            body = error_body(
                "malformed_body",
                "The request body is not valid JSON.",
                fields=[{"field": "body", "reason": reason} for _, reason in problems],
            )
            return JSONResponse(body, status_code=400)
        return invalid_fields_response(problems)

    async def rule(_: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, RuleViolation)
        if isinstance(error, InvalidFields):
            return invalid_fields_response(error.problems)
        body = error_body("rule_violation", error.detail, rule=error.rule)
        if error.context:
            body["context"] = {k: _jsonable(v) for k, v in error.context.items()}
        return JSONResponse(body, status_code=error.status_code)

    async def conflict(_: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, ConcurrencyError)
        body = error_body(
            "concurrency_conflict",
            str(error),
            stream=error.stream_id,
            expected_version=error.expected,
            actual_version=error.actual,
        )
        return JSONResponse(body, status_code=409)

    async def not_found(_: Request, error: Exception) -> JSONResponse:
        return JSONResponse(error_body("not_found", str(error)), status_code=404)

    async def gone(_: Request, error: Exception) -> JSONResponse:
        return JSONResponse(error_body("gone", str(error)), status_code=410)

    async def http_error(_: Request, error: Exception) -> Response:
        assert isinstance(error, StarletteHTTPException)
        phrase = HTTPStatus(error.status_code).phrase if error.status_code in _STATUSES else ""
        code = phrase.lower().replace(" ", "_").replace("-", "_") or "http_error"
        detail = error.detail if isinstance(error.detail, str) else phrase
        return JSONResponse(
            error_body(code, detail), status_code=error.status_code, headers=error.headers
        )

    app.add_exception_handler(RequestValidationError, validation)
    app.add_exception_handler(RuleViolation, rule)
    app.add_exception_handler(ConcurrencyError, conflict)
    app.add_exception_handler(NotFound, not_found)
    app.add_exception_handler(Gone, gone)
    app.add_exception_handler(StarletteHTTPException, http_error)


_STATUSES = frozenset(status.value for status in HTTPStatus)


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
