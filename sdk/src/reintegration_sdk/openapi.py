"""What every service's OpenAPI document says besides its routes: the error answers, the
command headers and the spreadsheet media type, declared once here."""

from typing import Any

from pydantic import BaseModel, Field

from reintegration_sdk.idempotency import IDEMPOTENCY_HEADER


class FieldProblem(BaseModel):
    field: str = Field(examples=["body.budget_lines.0.quantity"])
    reason: str = Field(examples=["Input should be greater than or equal to 1"])


class ErrorAnswer(BaseModel):
    """The one shape of every error: a stable code, a sentence, and what is specific to it."""

    error: str = Field(
        description="validation_error, malformed_body, rule_violation, concurrency_conflict, "
        "unauthenticated, forbidden, not_found, gone, service_unavailable, ...",
        examples=["rule_violation"],
    )
    detail: str = Field(examples=["A kit is delivered only for an approved plan."])
    rule: str | None = Field(
        default=None, description="rule_violation only: the rule's stable code"
    )
    fields: list[FieldProblem] | None = Field(
        default=None, description="validation_error and malformed_body: every wrong field"
    )
    context: dict[str, Any] | None = Field(
        default=None, description="rule_violation: facts of the refusal, e.g. candidate ids"
    )


def _error(description: str) -> dict[str, Any]:
    return {"model": ErrorAnswer, "description": description}


QUERY_ERRORS: dict[int | str, dict[str, Any]] = {
    401: _error("No valid bearer token"),
    403: _error("The token's roles or offices do not allow this"),
    404: _error("No such record in this country office"),
    422: _error("A path or query parameter is invalid; every one is named"),
    503: _error("The database is unavailable; retry after `Retry-After` seconds"),
}
COMMAND_ERRORS: dict[int | str, dict[str, Any]] = {
    **QUERY_ERRORS,
    400: _error("The body is not valid JSON"),
    409: _error("A rule of the field refuses the command, or another command won the race"),
    422: _error(
        "Invalid input, every field named; or an Idempotency-Key already used for another request"
    ),
}
CSV_ANSWER: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "JSON by default; with `?format=csv` a spreadsheet with a header row",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }
}

COMMAND_HEADERS: list[dict[str, Any]] = [
    {
        "name": IDEMPOTENCY_HEADER,
        "in": "header",
        "required": False,
        "description": "A key of your own per command (a UUID): a retry with the same key "
        "answers the first success again and changes nothing. Reusing it for another request "
        "answers 422. Refusals are not kept, so a retry after one runs again.",
        "schema": {"type": "string", "maxLength": 255},
    },
    {
        "name": "Dry-Run",
        "in": "header",
        "required": False,
        "description": "`true`: run the command's rules and answer as it would, keep nothing.",
        "schema": {"type": "string", "enum": ["true", "false"]},
    },
]
