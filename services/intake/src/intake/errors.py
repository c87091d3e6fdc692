"""Every wrong field of a command answers in one 422, in the same shape as schema errors."""

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

from intake.domain import InvalidInput


def _location(field: str) -> tuple[str, ...]:
    return ("body", *field.split("."))


class IntakeRoute(APIRoute):
    """Turns the domain's InvalidInput (which may name several fields) into the SDK's
    validation-error answer, so a caseworker sees every mistake of a form at once."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handle(request)
            except InvalidInput as error:
                raise RequestValidationError(
                    [
                        {"loc": _location(field), "msg": reason, "type": "value_error"}
                        for field, reason in error.problems
                    ]
                ) from error

        return route
