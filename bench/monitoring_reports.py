"""Monitoring's office and HQ reports as the caseload grows (issue 18).

    python -m bench.monitoring_reports [--returnees 2000] [--offices 2] [--repeat 5]

Seeds a fresh database with `--returnees` returnees per office, each through registration,
counselling, a plan reviewed and decided, a kit, scheduled visits, a visit and a survey, folded
by monitoring's own read-model handlers (the inbox's path, without the broker), then times the
office report, the lists and the HQ report through the queries the API serves, beside the
office and HQ reports computed as before issue 18 (every case file loaded and folded in
Python; both answers are checked equal). Prints the median of `--repeat` runs per query. The
database is dropped at the end.
"""

import argparse
import asyncio
import os
import random
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import asyncpg

# The object mothers of monitoring's tests build valid payloads with sensible defaults.
sys.path.insert(0, str(Path(__file__).parents[1] / "services" / "monitoring" / "tests"))

from monitoring_builders import (
    certified,
    counselled,
    kit_delivered,
    meta,
    plan_approved,
    plan_reviewed,
    plan_submitted,
    registered,
    scheduled,
    scored,
    visit,
)

from monitoring.app import definition
from monitoring.queries import figures, reports
from monitoring.queries.case_files import office_files
from monitoring.queries.figures import Dimension
from monitoring.queries.views import DurationOut, FlowOut, FunnelStageOut, OfficeReport
from monitoring.reactions import reactions
from reintegration_contracts import EventPayload
from reintegration_contracts.types import Sex
from reintegration_sdk.database import SDK_MIGRATIONS, apply_migrations

TODAY = date(2025, 6, 1)
WRITERS = 4
TRADES = ("tailoring", "welding", "masonry", "poultry", "driving")


def returnee_events(rng: random.Random) -> list[EventPayload]:
    """One returnee's path; how far it goes is drawn, as in a real office's funnel."""
    rid = uuid4()
    arrival = date(2024, 1, 1) + timedelta(days=rng.randrange(300))
    trade = rng.choice(TRADES)
    sex = rng.choice([Sex.FEMALE, Sex.MALE])
    events: list[EventPayload] = [registered(rid, arrival, sex=sex, trade=trade)]
    if rng.random() < 0.9:
        events.append(counselled(rid, arrival + timedelta(days=rng.randrange(20, 45))))
    if rng.random() < 0.3:
        events.append(certified(rid, arrival + timedelta(days=60), trade=trade))
    if rng.random() < 0.6:
        plan, submitted = uuid4(), arrival + timedelta(days=rng.randrange(60, 90))
        events += [
            plan_submitted(plan, [rid], submitted, trade=trade),
            plan_reviewed(plan, submitted + timedelta(days=10)),
        ]
        if rng.random() < 0.6:
            approved, order = submitted + timedelta(days=30), uuid4()
            delivered = approved + timedelta(days=20)
            due = [delivered + timedelta(days=n) for n in (15, 30, 60, 90)]
            events += [
                plan_approved(plan, [rid], approved, trade=trade),
                kit_delivered([rid], delivered, trade=trade, order_id=order),
                scheduled(rid, order, delivered, due),
            ]
            if rng.random() < 0.7:
                events.append(visit(rid, order, due[0], due[0]))
            if rng.random() < 0.4:
                events.append(scored(rid, due[1], sustainable=rng.random() < 0.6))
    return events


async def seed(pool: asyncpg.Pool, office: str, returnees: int, rng: random.Random) -> int:
    paths = [returnee_events(rng) for _ in range(returnees)]

    async def fold(share: list[list[EventPayload]]) -> None:
        # Each returnee's events in order, in transactions of a hundred returnees.
        for start in range(0, len(share), 100):
            async with pool.acquire() as db, db.transaction():
                for path in share[start : start + 100]:
                    for event in path:
                        await reactions.apply(db, event, meta(event, office))

    await asyncio.gather(*(fold(paths[i::WRITERS]) for i in range(WRITERS)))
    return sum(len(path) for path in paths)


async def every_file_report(db: asyncpg.Pool, office: str, today: date) -> OfficeReport:
    """The office report as monitoring computed it before issue 18: every case and plan file
    of the office loaded and folded into the figures in Python."""
    cases, plans = await office_files(db, office)
    return OfficeReport(
        country_office=office,
        funnel=[FunnelStageOut(**asdict(s)) for s in figures.funnel(cases, plans)],
        durations=[DurationOut(**asdict(d)) for d in figures.durations(cases)],
        monthly=[FlowOut(**asdict(f)) for f in figures.flows(cases)],
        overdue_visits=len(figures.overdue_visits(cases, today)),
    )


async def every_file_hq(db: asyncpg.Pool, today: date) -> list[OfficeReport]:
    return [await every_file_report(db, office, today) for office in await reports.offices(db)]


async def timed(repeat: int, query: Callable[[], Awaitable[Any]]) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        await query()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


async def main(returnees: int, offices: int, repeat: int) -> None:
    server = os.environ["DATABASE_URL"]
    name = f"bench_monitoring_{uuid4().hex[:8]}"
    admin = await asyncpg.connect(server)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        pool = await asyncpg.create_pool(f"{server.rstrip('/')}/{name}", min_size=1, max_size=4)
        assert definition.migrations is not None
        await apply_migrations(
            pool, [("sdk", SDK_MIGRATIONS), ("monitoring", definition.migrations)]
        )
        rng = random.Random(18)
        codes = ["bf", "ml", "ne", "sn", "gn", "ci"][:offices]
        started = time.perf_counter()
        events = sum([await seed(pool, code, returnees, rng) for code in codes])
        print(
            f"seeded {offices} office(s) x {returnees} returnees: {events} events in "
            f"{time.perf_counter() - started:.0f} s"
        )
        office = codes[0]
        sql = await reports.office_report(pool, office, TODAY)
        assert sql == await every_file_report(pool, office, TODAY), "SQL and the fold disagree"
        cases: list[tuple[str, Callable[[], Awaitable[Any]]]] = [
            ("office report, every file", lambda: every_file_report(pool, office, TODAY)),
            ("office report, SQL", lambda: reports.office_report(pool, office, TODAY)),
            ("HQ report, every file", lambda: every_file_hq(pool, TODAY)),
            ("flows by trade", lambda: reports.flows(pool, office, Dimension.TRADE)),
            ("breakdown by sex", lambda: reports.breakdown(pool, office, Dimension.SEX)),
            ("overdue visits", lambda: reports.overdue(pool, office, TODAY)),
            ("HQ report, SQL", lambda: reports.hq_report(pool)),
            ("HQ durations by month", lambda: reports.hq_durations_by_month(pool)),
        ]
        for label, query in cases:
            seconds = await timed(repeat, query)
            print(f"{label:<30} {seconds * 1000:9.1f} ms", flush=True)
        await pool.close()
    finally:
        await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        await admin.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--returnees", type=int, default=2000)
    parser.add_argument("--offices", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(main(args.returnees, args.offices, args.repeat))
