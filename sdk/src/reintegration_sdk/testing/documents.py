"""Checks that a service's API document says everything the API does.

    assert openapi_problems(create_app(definition)) == []

The document must validate against the OpenAPI specification, declare the bearer scheme,
require it on every office and HQ route, list the error answers each route can give (with
the error schema), and declare `text/csv` wherever `?format=csv` is offered.
"""

from typing import Any

from fastapi import FastAPI

_COMMANDS = {"post", "put", "patch", "delete"}
_OPEN_PATHS = ("/health", "/ready", "/metrics")


def openapi_problems(app: FastAPI) -> list[str]:
    """Every way the app's OpenAPI document falls short; empty when it is complete."""
    from openapi_spec_validator import validate

    document = app.openapi()
    validate(document)
    problems: list[str] = []
    schemes = document.get("components", {}).get("securitySchemes", {})
    bearer = [name for name, s in schemes.items() if s.get("scheme") == "bearer"]
    if not bearer:
        problems.append("no bearer security scheme")
    for path, item in document.get("paths", {}).items():
        if not path.startswith(("/offices/", "/hq")):
            continue
        for method, operation in item.items():
            problems += _operation_problems(f"{method.upper()} {path}", method, operation)
    return problems


def _operation_problems(where: str, method: str, operation: dict[str, Any]) -> list[str]:
    problems = []
    if not operation.get("security"):
        problems.append(f"{where}: no security requirement")
    responses = operation.get("responses", {})
    expected = {"401", "403", "404", "422"} | ({"400", "409"} if method in _COMMANDS else set())
    missing = sorted(expected - set(responses))
    if missing:
        problems.append(f"{where}: error answers not documented: {', '.join(missing)}")
    for status, response in responses.items():
        if status.startswith("4") and "ErrorAnswer" not in str(response.get("content", {})):
            problems.append(f"{where}: {status} does not use the error schema")
    if _offers_csv(operation):
        content = responses.get("200", {}).get("content", {})
        if "text/csv" not in content:
            problems.append(f"{where}: offers ?format=csv but no text/csv answer")
    return problems


def _offers_csv(operation: dict[str, Any]) -> bool:
    for parameter in operation.get("parameters", []):
        if parameter.get("name") == "format" and "csv" in str(parameter.get("schema", {})):
            return True
    return False
