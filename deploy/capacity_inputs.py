"""Bytes per event on Kafka and in PostgreSQL, measured on the local stack (docs/capacity.md).

    make demo        # or any scenario run against a fresh stack
    uv run python deploy/capacity_inputs.py [--office bf] [--state-dir .local/stack]

Kafka: the size of the `.log` segment files of the office's topics in the broker's data
folder (index files are preallocated and sparse, so they are left out) over the number of
records. PostgreSQL: each service database's size over that of an empty database, and its
`events` table with indexes, over the events it holds. Both are what "keep every event for
ever" costs; the capacity plan multiplies them by the events a year.
"""

from __future__ import annotations

import argparse
import asyncio
import os
from pathlib import Path

import asyncpg

from reintegration_sdk.settings import with_database

SERVICES = ("intake", "training", "committee", "procurement", "monitoring", "partners", "programme")
REPO = Path(__file__).resolve().parents[1]


def kafka_log_bytes(data: Path, office: str) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for folder in data.glob(f"reintegration.{office}.*-*"):
        topic = folder.name.rsplit("-", 1)[0]
        sizes[topic] = sizes.get(topic, 0) + sum(f.stat().st_size for f in folder.glob("*.log"))
    return sizes


async def database_figures(server: str) -> dict[str, tuple[int, int, int]]:
    """service -> (events, bytes of the events table with indexes, bytes above empty)."""
    admin = await asyncpg.connect(with_database(server, "reintegration"))
    try:
        empty = await admin.fetchval("SELECT pg_database_size('template1')")
    finally:
        await admin.close()
    figures = {}
    for service in SERVICES:
        connection = await asyncpg.connect(with_database(server, service))
        try:
            events = await connection.fetchval("SELECT count(*) FROM events")
            table = await connection.fetchval("SELECT pg_total_relation_size('events')")
            size = await connection.fetchval("SELECT pg_database_size(current_database())")
        finally:
            await connection.close()
        figures[service] = (events, table, size - empty)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--office", default="bf")
    parser.add_argument("--state-dir", type=Path, default=REPO / ".local" / "stack")
    args = parser.parse_args()
    figures = asyncio.run(database_figures(os.environ["DATABASE_URL"]))
    total_events = sum(f[0] for f in figures.values())
    print(f"{'service':12} {'events':>8} {'events B/ev':>12} {'database B/ev':>14}")
    for service, (events, table, grown) in figures.items():
        per = max(events, 1)
        print(f"{service:12} {events:8} {table / per:12.0f} {grown / per:14.0f}")
    grown_total = sum(f[2] for f in figures.values())
    table_total = sum(f[1] for f in figures.values())
    print(
        f"{'all':12} {total_events:8} {table_total / max(total_events, 1):12.0f} "
        f"{grown_total / max(total_events, 1):14.0f}   (database: everything, over all events)"
    )
    logs = kafka_log_bytes(args.state_dir / "kafka" / "data", args.office)
    kafka_total = sum(logs.values())
    print(f"kafka: {kafka_total} bytes of log for {total_events} events of office {args.office}: "
          f"{kafka_total / max(total_events, 1):.0f} B/event")  # fmt: skip


if __name__ == "__main__":
    main()
