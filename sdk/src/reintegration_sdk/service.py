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

import uvicorn
from fastapi import APIRouter, FastAPI
from fastapi.responses import JSONResponse
from faststream.kafka import KafkaBroker

from reintegration_contracts import Domain, dead_letter_topic, topic_for
from reintegration_sdk.auth import AuthSettings, install_auth_error_handlers
from reintegration_sdk.database import SDK_MIGRATIONS, apply_migrations, create_pool
from reintegration_sdk.dispatch import EventHandlers
from reintegration_sdk.eventstore import EventStore
from reintegration_sdk.http import TracingMiddleware, install_error_handlers
from reintegration_sdk.inbox import Inbox
from reintegration_sdk.kafka import ensure_topics, idempotent_producer
from reintegration_sdk.relay import Relay
from reintegration_sdk.runtime import Runtime
from reintegration_sdk.settings import ServiceSettings
from reintegration_sdk.subscriber import KafkaDeadLetters, subscribe_inbox
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
    extra: dict[str, Any] = field(default_factory=dict)


def event_topics(settings: ServiceSettings, domains: Sequence[Domain | str]) -> list[str]:
    return [topic_for(office, d) for office in settings.country_offices for d in domains]


def create_app(definition: ServiceDefinition, settings: ServiceSettings | None = None) -> FastAPI:
    """The service's ASGI app; its lifespan runs migrations, relay and subscribers."""
    settings = settings or ServiceSettings()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with _running(definition, settings, app):
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
    for router in definition.routers:
        app.include_router(router)

    @app.get("/health", tags=["operations"])
    async def health() -> dict[str, str]:
        """Liveness: the process answers."""
        return {"status": "ok", "service": definition.name}

    @app.get("/ready", tags=["operations"])
    async def ready() -> JSONResponse:
        """Readiness: database reachable, relay and subscribers running."""
        checks = await _readiness(app)
        status = 200 if all(checks.values()) else 503
        return JSONResponse({"ready": status == 200, "checks": checks}, status_code=status)

    return app


@contextlib.asynccontextmanager
async def _running(
    definition: ServiceDefinition, settings: ServiceSettings, app: FastAPI
) -> AsyncIterator[None]:
    configure_logging(settings.log_level)
    configure_tracing(definition.name, settings.otlp_endpoint)
    pool = await create_pool(settings.database_dsn(definition.name))
    folders = [("sdk", SDK_MIGRATIONS)]
    if definition.migrations is not None:
        folders.append((definition.name, definition.migrations))
    applied = await apply_migrations(pool, folders)
    if applied:
        log.info("applied migrations: %s", ", ".join(applied))
    consumed = event_topics(settings, definition.consumes)
    await ensure_topics(
        settings.kafka_bootstrap_servers,
        [
            *event_topics(settings, [definition.domain]),
            *consumed,
            *(dead_letter_topic(t) for t in consumed),
        ],
        settings.topic_partitions,
    )
    producer = idempotent_producer(settings.kafka_bootstrap_servers, f"{definition.name}-relay")
    await producer.start()
    runtime = Runtime(definition.name, settings, pool, definition.store)
    app.state.runtime = runtime
    relay = Relay(
        pool,
        producer,
        definition.name,
        settings.kafka_bootstrap_servers,
        settings.topic_partitions,
        settings.relay_batch_size,
        settings.relay_idle_poll_seconds,
    )
    stop = asyncio.Event()
    relay_task = asyncio.create_task(relay.run(stop), name=f"{definition.name}-relay")
    app.state.relay_task = relay_task
    broker: KafkaBroker | None = None
    inbox_handlers = EventHandlers.chain(definition.name, definition.reactions, definition.policies)
    if inbox_handlers.event_names and consumed:
        broker = KafkaBroker(
            settings.kafka_bootstrap_servers, client_id=f"{definition.name}-inbox", logger=None
        )
        inbox = Inbox(pool, definition.name, inbox_handlers, KafkaDeadLetters(producer))
        app.state.inbox = inbox
        subscribe_inbox(
            broker,
            inbox,
            consumed,
            settings.consumer_group or definition.name,
            settings.consumer_max_records,
        )
        await broker.start()
    app.state.broker = broker
    if definition.on_startup is not None:
        await definition.on_startup(runtime)
    app.state.ready = True
    try:
        yield
    finally:
        app.state.ready = False
        # Subscribers stop first (their last batch commits before its offsets), then the
        # relay finishes the batch in hand; whatever is left waits in the store for next start.
        if broker is not None:
            await broker.stop()
        stop.set()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(relay_task, timeout=30)
        await producer.stop()
        await pool.close()


async def _readiness(app: FastAPI) -> dict[str, bool]:
    checks = {"started": bool(app.state.ready)}
    runtime: Runtime | None = getattr(app.state, "runtime", None)
    if runtime is None:
        return {**checks, "database": False}
    try:
        async with runtime.pool.acquire(timeout=2) as connection:
            checks["database"] = await connection.fetchval("SELECT 1") == 1
    except Exception:
        checks["database"] = False
    relay_task: asyncio.Task[None] | None = getattr(app.state, "relay_task", None)
    checks["relay"] = relay_task is not None and not relay_task.done()
    return checks


def serve(definition: ServiceDefinition, settings: ServiceSettings | None = None) -> None:
    """Run the service with uvicorn until SIGINT/SIGTERM, then shut down gracefully."""
    settings = settings or ServiceSettings()
    uvicorn.run(
        create_app(definition, settings),
        host=settings.http_host,
        port=settings.http_port or definition.default_port,
        log_config=None,
        timeout_graceful_shutdown=20,
    )
