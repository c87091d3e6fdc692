"""Errors a command or query can end with; the HTTP layer maps each to a status and JSON body."""


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


class InvalidField(RuleViolation):
    """One input field is wrong for a reason the schema cannot see (HTTP 422)."""

    status_code = 422

    def __init__(self, field: str, reason: str) -> None:
        super().__init__("invalid_field", f"{field}: {reason}")
        self.field = field
        self.reason = reason


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
