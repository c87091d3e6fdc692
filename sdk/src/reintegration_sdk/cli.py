"""`reintegrate`: the platform's command line.

reintegrate tokens mint --subject amina --role caseworker --office bf
reintegrate projections rebuild --service monitoring
"""

import argparse
import asyncio
import importlib
import sys

from reintegration_sdk.auth import add_token_commands, run_token_command
from reintegration_sdk.database import SDK_MIGRATIONS, apply_migrations, create_pool
from reintegration_sdk.projections import rebuild_from_kafka, rebuild_from_store
from reintegration_sdk.service import ServiceDefinition, event_topics
from reintegration_sdk.settings import ServiceSettings


def load_definition(service: str) -> ServiceDefinition:
    """The `definition` object of `<service>.app` (found by name: the SDK imports no service)."""
    module = importlib.import_module(f"{service}.app")
    definition = getattr(module, "definition", None)
    if not isinstance(definition, ServiceDefinition):
        raise SystemExit(f"{service}.app has no ServiceDefinition named `definition`")
    return definition


async def rebuild(service: str, settings: ServiceSettings) -> int:
    definition = load_definition(service)
    pool = await create_pool(settings.database_dsn(definition.name))
    try:
        folders = [("sdk", SDK_MIGRATIONS)]
        if definition.migrations is not None:
            folders.append((definition.name, definition.migrations))
        await apply_migrations(pool, folders)
        total = 0
        for projection in definition.store.projections:
            total += await rebuild_from_store(pool, definition.store, projection)
        if definition.reactions is not None and definition.reactions.tables:
            # Read models only: policies run live, through the service's own inbox. The
            # rebuild keeps an inbox of its own, so an event it replays that the live consumer
            # had not reached yet is still acted on by the policies when the service resumes.
            total += await rebuild_from_kafka(
                pool,
                settings.kafka_bootstrap_servers,
                event_topics(settings, definition.consumes),
                definition.reactions,
                consumer=f"{definition.name}-rebuild",
            )
        return total
    finally:
        await pool.close()


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="reintegrate", description="Command line of the reintegration platform."
    )
    commands = root.add_subparsers(dest="command", required=True)
    add_token_commands(commands)
    projections = commands.add_parser("projections", help="Read models: rebuild from events")
    actions = projections.add_subparsers(dest="projections_command", required=True)
    rebuild_parser = actions.add_parser(
        "rebuild",
        help="Drop a service's read models and replay every event from the beginning",
        description="Own-event read models replay the service's event store in one "
        "transaction; read models built from other services' events replay Kafka from offset 0. "
        "Stop the service first so its subscriber does not race the rebuild.",
    )
    rebuild_parser.add_argument(
        "--service",
        required=True,
        help="service package whose `app.definition` to rebuild, e.g. monitoring or intake",
    )
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "tokens":
        return run_token_command(args)
    if args.command == "projections":
        replayed = asyncio.run(rebuild(args.service, ServiceSettings()))
        print(f"rebuilt {args.service}: {replayed} events replayed", file=sys.stderr)
        return 0
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
