"""Errors a command or query can end with; the HTTP layer maps each to a status and JSON body."""

from collections.abc import Sequence


class ConcurrencyError(Exception):
    """The stream moved on since it was read: another command won the race (HTTP 409)."""

    def __init__(self, stream_id: str, expected: int, actual: int | None) -> None:
        super().__init__(
            f"stream {stream_id} is at version {actual}, the command expected {expected}"
        )
        self.stream_id = stream_id
        self.expected = expected
        self.actual = actual


class RuleViolation(Exception):
    """A rule of the field refuses the command; `rule` is a stable code (HTTP 409 by default)."""

    status_code = 409

    def __init__(self, rule: str, detail: str, **context: object) -> None:
        super().__init__(detail)
        self.rule = rule
        self.detail = detail
        self.context = context


class InvalidFields(RuleViolation):
    """Input fields wrong for reasons the schema cannot see (HTTP 422), all named at once.

    Each problem is (field, reason); a field is a dotted path into the request body
    ("budget_lines.0.quantity"), or starts with "path.", "query." or "header.".
    """

    status_code = 422

    def __init__(self, problems: Sequence[tuple[str, str]]) -> None:
        if not problems:
            raise ValueError("InvalidFields needs at least one problem")
        self.problems = list(problems)
        field, reason = self.problems[0]
        super().__init__("invalid_field", "; ".join(f"{f}: {r}" for f, r in self.problems))
        self.field = field
        self.reason = reason


class InvalidField(InvalidFields):
    """One input field is wrong for a reason the schema cannot see (HTTP 422)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__([(field, reason)])


class NotFound(Exception):
    """No such resource, or none the caller may see (HTTP 404)."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


class Gone(Exception):
    """The resource existed and was erased on request (HTTP 410)."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what
