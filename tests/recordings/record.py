"""Record a scenario's events: `make recording` (or `python tests/recordings/record.py small`).

Plays the scenario through the five services (as processes, on fresh databases, for an office
no earlier run has used), waits until every event each service stored is on Kafka, then writes
every record of that office's `reintegration.<cc>.*` topics to `tests/recordings/<name>.jsonl`.
The services' read-model property tests replay that file in many orders; regenerate it after a
change to what the services publish (a contract test fails when it no longer reads).
"""

import argparse
import asyncio
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

import asyncpg

from reintegration_contracts import topic_for
from reintegration_scenarios import scenario, script
from reintegration_scenarios.client import Platform
from reintegration_scenarios.runner import Runner
from reintegration_sdk.testing.infrastructure import Infrastructure, provide
from reintegration_sdk.testing.platform import LocalPlatform, local_platform
from reintegration_sdk.testing.plugin import database_url_for
from reintegration_sdk.testing.recording import (
    RecordedRecord,
    record_office,
    write_recording,
)
from reintegration_sdk.testing.service import untouched_office

HERE = Path(__file__).parent


async def stored_counts(infrastructure: Infrastructure, platform: LocalPlatform) -> Counter[str]:
    """Events each service stored for the office, by the topic the relay publishes them to."""
    office = platform.offices[0]
    counts: Counter[str] = Counter()
    for database in platform.databases.values():
        connection = await asyncpg.connect(database_url_for(infrastructure.database_url, database))
        try:
            rows = await connection.fetch(
                """SELECT domain, count(*) AS n FROM events WHERE country_office = $1
                   GROUP BY domain""",
                office,
            )
        finally:
            await connection.close()
        for row in rows:
            counts[topic_for(office, row["domain"])] += row["n"]
    return counts


async def settled_records(
    infrastructure: Infrastructure, platform: LocalPlatform, timeout: float = 180
) -> list[RecordedRecord]:
    """The office's records once Kafka holds exactly what the services stored."""
    deadline = time.monotonic() + timeout
    while True:
        stored = await stored_counts(infrastructure, platform)
        records = await record_office(infrastructure.kafka_bootstrap_servers, platform.offices[0])
        published = Counter(r.topic for r in records)
        if published == stored:
            return records
        if time.monotonic() > deadline:
            raise TimeoutError(f"Kafka holds {dict(published)}, the stores {dict(stored)}")
        await asyncio.sleep(1)


async def record(name: str, out: Path) -> int:
    programme = script.build(scenario.load(name), date.today())
    expected = programme.expected_funnel()
    with provide() as infrastructure:
        office = await untouched_office(infrastructure)
        with tempfile.TemporaryDirectory(prefix="recording-") as logs:
            async with local_platform(infrastructure, [office], Path(logs), "rec") as platform:
                async with Platform(platform.urls, office, concurrency=8) as api:
                    outcome = await Runner(programme, api).play(settle_timeout=120)
                if outcome.observed != expected:
                    raise SystemExit(f"monitoring's funnel differs: {outcome.observed}")
                records = await settled_records(infrastructure, platform)
    written = write_recording(out, records)
    topics = Counter(r.topic.rsplit(".", 1)[-1] for r in records)
    print(f"office {office}: {written} records written to {out} ({dict(sorted(topics.items()))})")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default="small")
    parser.add_argument("--out", type=Path, help="default: tests/recordings/<scenario>.jsonl")
    args = parser.parse_args(argv)
    return asyncio.run(record(args.scenario, args.out or HERE / f"{args.scenario}.jsonl"))


if __name__ == "__main__":
    sys.exit(main())
