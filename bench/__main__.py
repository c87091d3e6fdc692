"""`python -m bench`: the SDK's throughput against raw clients and the eventsourcing library,
and the full pipeline of the five services."""

import argparse
import asyncio
import logging
import os
import platform
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Any

import asyncpg

from bench.append import Workload, run_append
from bench.inbox import run_inbox
from bench.infra import Resources, Stack
from bench.measure import Result
from bench.pipeline import QUICK_SIZES, SIZES, run_pipeline
from bench.relay import run_relay
from bench.report import render, stamp_now, targets, write, write_document
from bench.sections import measure_sections, spans_per_event
from bench.services import unused_offices
from reintegration_sdk.telemetry import configure_tracing

SDK_PHASES = ("append", "relay", "inbox")
PHASES = (*SDK_PHASES, "pipeline", "web-import")
IMPORT_ROWS = 10_000
QUICK_IMPORT_ROWS = 1_000
DEFAULT_EVENTS = 10_000
QUICK_EVENTS = 1_000
RESULTS = Path(__file__).parent / "results"

EPILOG = """\
phases (each in databases and topics of its own, created on DATABASE_URL's server and
KAFKA_BOOTSTRAP_SERVERS' broker and removed at the end):
  append  EventStore.append, WRITERS concurrent writers each on its own stream, one event per
          command and 100 per append, with and without NOTIFY; baselines: raw asyncpg INSERT
          into an equivalent table (autocommit; executemany in transactions of 100);
          peer: the eventsourcing library's PostgreSQL module (1 and 100 events per save)
  relay   Relay.publish_pending over N pre-filled events; baseline: a raw idempotent aiokafka
          producer sending the same messages
  inbox   subscribe_inbox + Inbox.process applying a one-row handler to N published events;
          baseline: a raw aiokafka consumer (getmany) doing nothing
  pipeline  the five services started as processes (fresh databases, unused offices, free
          ports; stopped at the end): the Burkina Faso scenario and scaled versions played
          over HTTP (commands/s, events/s, funnel); registrations at 100/s open loop,
          accepted -> monitoring latency; baselines: raw Kafka round trip and GET /health at
          the same rate; peak RSS per service. Bounded: ~6 min, ~2 min with --quick
  web-import  the staff app's spreadsheet import in Chromium against the services: a
          10,000-row XLSX (1,000 with --quick) read and mapped, dry run, import, the same
          file again (every row replayed, no one registered twice)

targets (issue 18): append >= 80% of raw INSERT in BEGIN/COMMIT at one event per command,
         >= 85% of raw executemany at 100 per append; relay >= 80% of the raw producer;
         consume-and-apply >= 30,000 events/s; publish + consume spans <= 3 us per event;
         pipeline: p99 accepted -> monitoring < 50 ms at 100 commands/s, >= 400 commands/s at
         560 returnees and within 10% of that at 1,000 and 2,000, peak RSS < 200 MiB
         per service, every funnel matching

results: tables on stdout, bench/results/sdk-<timestamp>.json and latest-sdk.json,
         bench/results/pipeline-<timestamp>.json and latest-pipeline.json"""


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"a small run: {QUICK_EVENTS:,} events per measurement (unless --events is given)",
    )
    parser.add_argument(
        "--events",
        type=int,
        metavar="N",
        help=f"events per measurement (default {DEFAULT_EVENTS:,}); the eventsourcing peer at "
        "one event per save moves N/2 to keep the run short",
    )
    parser.add_argument(
        "--writers", type=int, default=8, help="concurrent writers in the append phase (8)"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="the append and relay measurements are split into this many rounds, the systems "
        "taking turns in a rotated order so load from elsewhere on the machine is shared "
        "fairly (3)",
    )
    parser.add_argument(
        "--phase",
        action="append",
        choices=PHASES,
        help="run only this phase (repeatable; default: all)",
    )
    parser.add_argument(
        "--returnees",
        type=int,
        action="append",
        metavar="N",
        help="pipeline: play the scenario at N returnees (repeatable; default "
        f"{', '.join(map(str, SIZES))}, with --quick {', '.join(map(str, QUICK_SIZES))})",
    )
    parser.add_argument(
        "--results-dir",
        type=Path,
        default=RESULTS,
        metavar="DIR",
        help="where the JSON goes (default bench/results)",
    )
    args = parser.parse_args(argv)
    if args.events is None:
        args.events = QUICK_EVENTS if args.quick else DEFAULT_EVENTS
    if args.events < 100 or args.writers < 1 or args.rounds < 1:
        parser.error("--events must be at least 100, --writers and --rounds at least 1")
    if args.returnees is None:
        args.returnees = list(QUICK_SIZES if args.quick else SIZES)
    if any(not 1 <= n <= 100_000 for n in args.returnees):
        parser.error("--returnees must be between 1 and 100,000")
    return args


async def run(args: argparse.Namespace) -> int:
    stack = Stack.from_environment()
    phases = args.phase or list(PHASES)
    code = 0
    # Offices first: without unused ones the pipeline cannot run, better said before the rest.
    offices = []
    if "pipeline" in phases:
        offices = await unused_offices(stack.kafka_bootstrap_servers, len(args.returnees) + 1)
    if any(phase in SDK_PHASES for phase in phases):
        code = await run_sdk(stack, args, [p for p in phases if p in SDK_PHASES])
    if "pipeline" in phases:
        environment = await _environment(stack, args)
        pipeline = await run_pipeline(
            stack, args.quick, args.returnees, offices, args.results_dir, environment
        )
        code = max(code, pipeline)
    if "web-import" in phases:
        code = max(code, await run_web_import(args))
    return code


async def run_web_import(args: argparse.Namespace) -> int:
    # Imported here: the phase needs Playwright and the built staff app, the others do not.
    from bench import web_import

    rows = QUICK_IMPORT_ROWS if args.quick else IMPORT_ROWS
    document = await web_import.run(rows)
    document["timestamp"] = stamp = stamp_now()
    print(web_import.render(document))
    path = write_document(args.results_dir, "web-import", stamp, document)
    print(f"\nwrote {path}")
    again = document.get("import_again", {})
    return 0 if again.get("replayed") == again.get("ok") else 1


async def run_sdk(stack: Stack, args: argparse.Namespace, phases: list[str]) -> int:
    # As a service runs: an SDK tracer provider recording spans, exporting nowhere.
    configure_tracing("bench")
    resources = Resources(stack)
    load_before = os.getloadavg()
    results: list[Result] = []
    started = time.perf_counter()
    try:
        environment = await _environment(stack, args)
        if "append" in phases:
            single = Workload.of("append-1", args.events, args.writers, 1)
            batched = Workload.of("append-100", args.events, args.writers, 100)
            peer_single = Workload.of("append-1", args.events // 2, args.writers, 1)
            results += await run_append(
                resources, [(single, peer_single), (batched, batched)], args.rounds
            )
        if "relay" in phases:
            results += await run_relay(resources, args.events, args.rounds)
        if "inbox" in phases:
            results += await run_inbox(resources, args.events)
        sections = measure_sections()
    finally:
        await resources.close()
    elapsed = time.perf_counter() - started
    load = {"before": _load(load_before), "after": _load(os.getloadavg())}
    environment["load_average_1_5_15"] = load
    goals = targets(results, spans_per_event(sections))
    header = (
        f"SDK benchmark, run {resources.run_id}: {args.events:,} events per measurement, "
        f"{args.writers} writers, {args.rounds} rounds; {environment['cpus']} CPUs, "
        f"PostgreSQL {environment['postgresql'].split()[0]}; whole run {elapsed:.0f}s; "
        f"load average {load['before'][0]} before, {load['after'][0]} after "
        "(other work on the machine slows every row alike)"
    )
    print(render(results, goals, sections, header))
    run_facts = {
        "run_id": resources.run_id,
        "quick": args.quick,
        "events": args.events,
        "writers": args.writers,
        "rounds": args.rounds,
        "phases": phases,
        "elapsed_seconds": round(elapsed, 1),
        "environment": environment,
    }
    path = write(args.results_dir, results, goals, sections, run_facts)
    print(f"\nwrote {path} and {path.parent / 'latest-sdk.json'}")
    return 0


async def _environment(stack: Stack, args: argparse.Namespace) -> dict[str, Any]:
    connection = await asyncpg.connect(stack.url_of("postgres"))
    try:
        server = await connection.fetchval("SHOW server_version")
    finally:
        await connection.close()
    packages = ("asyncpg", "aiokafka", "faststream", "eventsourcing", "psycopg", "pydantic")
    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "postgresql": server,
        "kafka_bootstrap_servers": stack.kafka_bootstrap_servers,
        "packages": {name: metadata.version(name) for name in packages},
    }


def _load(averages: tuple[float, float, float]) -> list[float]:
    return [round(value, 2) for value in averages]


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    try:
        return asyncio.run(run(args))
    except KeyboardInterrupt:  # what was started has been stopped and removed on the way out
        return 130


if __name__ == "__main__":
    sys.exit(main())
