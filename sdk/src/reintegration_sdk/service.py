"""Bootstrap: one process serves a service's HTTP API, its relay and its subscribers.

definition = ServiceDefinition(name="training", domain=Domain.TRAINING, routers=[router],
                               store=store, migrations=MIGRATIONS, reactions=reactions,
                               consumes=[Domain.INTAKE], default_port=8102)
app = create_app(definition)

Events of the `consumes` domains reach two kinds of handlers, applied by the inbox in one
transaction (read models first, so a policy reads the facts the same event recorded):
- `reactions`: read models of upstream facts. A function of the set of events (any order
  across streams, duplicates allowed), rebuilt by `reintegrate projections rebuild`.
- `policies`: what the service does because something happened elsewhere: they execute
  commands and append events. They run only live, never in a rebuild, and must be idempotent
  by construction: every id they mint derives from the causing event (uuid5 of what it names),
  and their decider appends nothing for a cause already acted on, so a redelivered or replayed
  cause appends at most once.
"""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import uvicorn
from fastapi import APIRouter, FastAPI
from fastapi.responses import JSONResponse

from reintegration_contracts import Domain, topic_for
from reintegration_sdk.auth import AuthSettings, install_auth_error_handlers
from reintegration_sdk.backoff import Backoff
from reintegration_sdk.database import SDK_MIGRATIONS, apply_migrations, create_pool
from reintegration_sdk.dispatch import EventHandlers
from reintegration_sdk.eventstore import EventStore
from reintegration_sdk.http import TracingMiddleware, install_error_handlers
from reintegration_sdk.inbox import Inbox
from reintegration_sdk.kafka import configure_security
from reintegration_sdk.metrics import install_metrics
from reintegration_sdk.outages import describe, install_outage_handlers, is_database_outage
from reintegration_sdk.relay import Relay
from reintegration_sdk.runtime import Runtime
from reintegration_sdk.settings import ServiceSettings
from reintegration_sdk.subscriber import InboxConsumer, KafkaDeadLetters
from reintegration_sdk.supervision import OnFatal, supervise, terminate_process
from reintegration_sdk.telemetry import configure_logging, configure_tracing

log = logging.getLogger(__name__)


@dataclass
class ServiceDefinition:
    """Everything that makes one service: its name, routes, store, read models, reactions."""

    name: str
    domain: Domain | str
    routers: Sequence[APIRouter]
    store: EventStore
    migrations: Path | None = None
    reactions: EventHandlers | None = None
    policies: EventHandlers | None = None
    consumes: Sequence[Domain | str] = ()
    default_port: int = 8000
    on_startup: Callable[[Runtime], Awaitable[None]] | None = None
    title: str | None = None
    # Long-running parts of the service besides relay and inbox (a delivery worker, say):
    # each is called with the runtime and the stop event, supervised like the relay, and
    # must return soon after the event is set.
    background: Sequence[Callable[[Runtime, asyncio.Event], Awaitable[None]]] = ()
    extra: dict[str, Any] = field(default_factory=dict)


def event_topics(settings: ServiceSettings, domains: Sequence[Domain | str]) -> list[str]:
    return [topic_for(office, d) for office in settings.country_offices for d in domains]


def create_app(
    definition: ServiceDefinition,
    settings: ServiceSettings | None = None,
    on_fatal: OnFatal | None = None,
) -> FastAPI:
    """The service's ASGI app; its lifespan runs migrations, relay and subscribers.

    The relay and the inbox consumer run in the background and wait out Kafka and PostgreSQL
    outages by themselves; if one still dies, `on_fatal(task, error)` is called (by default
    the process is stopped, so that its supervisor restarts it).
    """
    settings = settings or ServiceSettings()
    fatal = on_fatal or terminate_process

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with _running(definition, settings, app, fatal):
            yield

    app = FastAPI(
        title=definition.title or f"Reintegration {definition.name} service",
        lifespan=lifespan,
    )
    app.state.auth_settings = AuthSettings()
    app.state.ready = False
    app.add_middleware(TracingMiddleware)
    install_error_handlers(app)
    install_auth_error_handlers(app)
    install_outage_handlers(app)
    install_metrics(app)
    for router in definition.routers:
        app.include_router(router)

    @app.get("/health", tags=["operations"])
    async def health() -> dict[str, str]:
        """Liveness: the process answers."""
        return {"status": "ok", "service": definition.name}

    @app.get("/ready", tags=["operations"])
    async def ready() -> JSONResponse:
        """Readiness: database answering, relay connected and making progress, inbox
        consumer running; `status` says what each one is doing."""
        checks, status = await _readiness(app)
        code = 200 if all(checks.values()) else 503
        return JSONResponse(
            {"ready": code == 200, "checks": checks, "status": status}, status_code=code
        )

    return app


@contextlib.asynccontextmanager
async def _running(
    definition: ServiceDefinition, settings: ServiceSettings, app: FastAPI, on_fatal: OnFatal
) -> AsyncIterator[None]:
    configure_logging(settings.log_level)
    configure_security(settings.kafka_security())
    configure_tracing(definition.name, settings.otlp_endpoint)
    pool = await _database(definition, settings)
    runtime = Runtime(definition.name, settings, pool, definition.store)
    app.state.runtime = runtime
    stop = asyncio.Event()
    # Neither part needs Kafka to start: HTTP answers and commands are stored meanwhile.
    relay = Relay(
        pool,
        definition.name,
        settings.kafka_bootstrap_servers,
        settings.topic_partitions,
        settings.relay_batch_size,
        settings.relay_idle_poll_seconds,
    )
    app.state.relay = relay
    tasks = [supervise(relay.run(stop), f"{definition.name}-relay", stop, on_fatal)]
    consumed = event_topics(settings, definition.consumes)
    consumer: InboxConsumer | None = None
    dead_letters: KafkaDeadLetters | None = None
    inbox_handlers = EventHandlers.chain(definition.name, definition.reactions, definition.policies)
    if inbox_handlers.event_names and consumed:
        dead_letters = KafkaDeadLetters(
            settings.kafka_bootstrap_servers, f"{definition.name}-dead-letters"
        )
        inbox = Inbox(pool, definition.name, inbox_handlers, dead_letters)
        consumer = InboxConsumer(
            inbox,
            settings.kafka_bootstrap_servers,
            consumed,
            settings.consumer_group or definition.name,
            settings.topic_partitions,
            f"{definition.name}-inbox",
            settings.consumer_max_records,
        )
        app.state.inbox = inbox
        tasks.insert(0, supervise(consumer.run(stop), f"{definition.name}-inbox", stop, on_fatal))
    app.state.consumer = consumer
    for number, part in enumerate(definition.background):
        name = f"{definition.name}-background-{number}"
        tasks.append(supervise(_call(part, runtime, stop), name, stop, on_fatal))
    try:
        if definition.on_startup is not None:
            await definition.on_startup(runtime)
        app.state.ready = True
        yield
    finally:
        app.state.ready = False
        # The consumer stops first (its last batch commits before its offsets), then the
        # relay finishes the batch in hand; whatever is left waits in the store for next start.
        stop.set()
        for task in tasks:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await asyncio.wait_for(task, timeout=30)
        if dead_letters is not None:
            await dead_letters.stop()
        await pool.close()


async def _call(
    part: Callable[[Runtime, asyncio.Event], Awaitable[None]], runtime: Runtime, stop: asyncio.Event
) -> None:
    await part(runtime, stop)


async def _database(definition: ServiceDefinition, settings: ServiceSettings) -> asyncpg.Pool:
    """The pool, once the database answers and the migrations are applied; a database that
    is still starting (or restarting) is waited for, up to `database_wait_seconds`."""
    backoff = Backoff()
    deadline = asyncio.get_running_loop().time() + settings.database_wait_seconds
    while True:
        try:
            pool = await create_pool(settings.database_dsn(definition.name))
            try:
                folders = [("sdk", SDK_MIGRATIONS)]
                if definition.migrations is not None:
                    folders.append((definition.name, definition.migrations))
                applied = await apply_migrations(pool, folders)
            except BaseException:
                pool.terminate()
                raise
        except Exception as error:
            if not is_database_outage(error) or asyncio.get_running_loop().time() > deadline:
                raise
            delay = backoff.next_delay()
            log.warning("database unavailable at start (%s); retrying in %.1f s",
                        describe(error), delay)  # fmt: skip
            await asyncio.sleep(delay)
            continue
        if applied:
            log.info("applied migrations: %s", ", ".join(applied))
        return pool


async def _readiness(app: FastAPI) -> tuple[dict[str, bool], dict[str, object]]:
    checks = {"started": bool(app.state.ready)}
    status: dict[str, object] = {}
    runtime: Runtime | None = getattr(app.state, "runtime", None)
    if runtime is None:
        return {**checks, "database": False}, status
    try:
        async with runtime.pool.acquire(timeout=2) as connection:
            checks["database"] = await connection.fetchval("SELECT 1", timeout=2) == 1
    except Exception as error:
        if is_database_outage(error):
            await runtime.pool.expire_connections()
        checks["database"] = False
        status["database"] = {"state": "unavailable", "reason": describe(error)}
    relay: Relay | None = getattr(app.state, "relay", None)
    if relay is not None:
        checks["relay"] = relay.health.ok
        status["relay"] = relay.health.describe()
    consumer: InboxConsumer | None = getattr(app.state, "consumer", None)
    if consumer is not None:
        checks["inbox"] = consumer.ok
        status["inbox"] = consumer.describe()
    return checks, status


def serve(definition: ServiceDefinition, settings: ServiceSettings | None = None) -> None:
    """Run the service with uvicorn until SIGINT/SIGTERM, then shut down gracefully.

    If a background task dies, the server shuts down gracefully and the process exits with
    status 1, so a supervisor restarts it."""
    settings = settings or ServiceSettings()
    died: list[BaseException] = []
    server: uvicorn.Server | None = None

    def stop_serving(name: str, error: BaseException) -> None:
        log.critical("%s died: %r; stopping the service so it is restarted", name, error,
                     exc_info=error)  # fmt: skip
        died.append(error)
        if server is not None:
            server.should_exit = True

    config = uvicorn.Config(
        create_app(definition, settings, on_fatal=stop_serving),
        host=settings.http_host,
        port=settings.http_port or definition.default_port,
        log_config=None,
        timeout_graceful_shutdown=20,
    )
    server = uvicorn.Server(config)
    server.run()
    if died:
        raise SystemExit(1)
