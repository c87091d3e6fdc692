"""Outages of PostgreSQL and Kafka: told apart from bugs, waited out, answered with 503.

An error that says "the database or the broker is not there right now" is an outage: the
background tasks retry it with backoff and the HTTP API answers 503 with `Retry-After`, so a
client (the scenario runner, the field app) retries the request; any other error is a bug and
is left to fail loudly. After a PostgreSQL restart every idle connection in the pool is dead:
the first request that meets one expires them all, so the next requests get fresh ones
instead of each finding another stale connection.
"""

import errno
import logging
from typing import Final

import asyncpg
from aiokafka.errors import IllegalOperation, KafkaError
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from reintegration_sdk.http import error_body

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS: Final = 1

# SQLSTATE classes 08 (connection exception) and 57P (operator intervention: shutdown, crash
# shutdown, cannot connect now), and the client side of a connection that went away.
DATABASE_OUTAGES: Final = (
    asyncpg.PostgresConnectionError,
    asyncpg.OperatorInterventionError,
    asyncpg.TooManyConnectionsError,
    asyncpg.InterfaceError,
    asyncpg.exceptions.InternalClientError,
    ConnectionError,
    TimeoutError,
)
KAFKA_OUTAGES: Final = (KafkaError, IllegalOperation)
_NETWORK_ERRNOS: Final = frozenset(
    {errno.ECONNREFUSED, errno.ECONNRESET, errno.ECONNABORTED, errno.EPIPE, errno.ETIMEDOUT,
     errno.EHOSTUNREACH, errno.ENETUNREACH, errno.ENETDOWN}
)  # fmt: skip


def is_database_outage(error: BaseException) -> bool:
    if isinstance(error, asyncpg.exceptions.InternalClientError):
        # What asyncpg raises for a connection whose server went away in the middle of an
        # operation ("cannot switch to state 12; another operation (2) is in progress").
        return "another operation" in str(error)
    if isinstance(error, asyncpg.InterfaceError):
        # InterfaceError is also a misuse of the driver (a bug); only a lost connection counts.
        return "closed" in str(error) or "connection" in str(error).lower()
    if isinstance(error, DATABASE_OUTAGES):
        return True
    # asyncio reports a refused connection to a name with several addresses as one OSError
    # without an errno ("Multiple exceptions: [Errno 111] Connect call failed ...").
    return isinstance(error, OSError) and (
        error.errno in _NETWORK_ERRNOS or "Connect call failed" in str(error)
    )


def is_outage(error: BaseException) -> bool:
    """Whether `error` means PostgreSQL or Kafka is unreachable (retry), not a bug."""
    return is_database_outage(error) or isinstance(error, KAFKA_OUTAGES)


def describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}".strip().rstrip(":")


def install_outage_handlers(app: FastAPI) -> None:
    """Answer 503 `service_unavailable` with `Retry-After` while the database is away."""

    async def unavailable(request: Request, error: Exception) -> JSONResponse:
        if not is_database_outage(error):
            raise error
        runtime = getattr(request.app.state, "runtime", None)
        if runtime is not None:
            await runtime.pool.expire_connections()
        log.warning("database unavailable during %s %s: %s", request.method, request.url.path,
                    describe(error))  # fmt: skip
        return JSONResponse(
            error_body(
                "service_unavailable",
                "The service's database is unavailable; retry shortly.",
            ),
            status_code=503,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )

    for kind in (*DATABASE_OUTAGES, OSError):
        app.add_exception_handler(kind, unavailable)
