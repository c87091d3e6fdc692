"""Office and HQ read models, the case timeline and the rebuild, against Kafka and PostgreSQL."""

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import asdict
from datetime import date
from typing import Any
from uuid import UUID

import asyncpg
import pytest
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from monitoring_builders import Programme

from conftest import MonitoringUnderTest
from monitoring.queries import figures, reports
from monitoring.queries.case_files import office_files
from monitoring.queries.figures import Dimension
from monitoring.queries.views import (
    CompletionsOut,
    DurationOut,
    FlowOut,
    FunnelStageOut,
    OverdueOut,
)
from monitoring.reactions import reactions
from reintegration_sdk.cli import rebuild
from reintegration_sdk.testing.infrastructure import free_port
from reintegration_sdk.testing.service import auth_headers, eventually

pytestmark = pytest.mark.integration


async def test_office_report_counts_the_programme_published_upstream(
    monitoring: MonitoringUnderTest, programme: Programme
) -> None:
    headers = auth_headers(["monitoring_officer"], [monitoring.office])
    report = (
        await monitoring.client.get(f"/offices/{monitoring.office}/report", headers=headers)
    ).json()
    funnel = {s["stage"]: (s["returnees"], s["plans"]) for s in report["funnel"]}
    assert funnel["registered"] == (4, None)
    assert funnel["certified"] == (1, None)
    assert funnel["trained"] == (1, None)  # Boukary passed; Claire and Dramane failed
    assert report["completions"] == [
        {"kind": "entrepreneurship", "trade": None, "passed": 0, "failed": 1},
        {"kind": "vocational", "trade": "welding", "passed": 1, "failed": 1},
    ]
    assert funnel["plan_submitted"] == (2, 1)
    assert funnel["plan_approved"] == (2, 1)
    assert funnel["kit_delivered"] == (2, None)
    counselling = next(d for d in report["durations"] if d["end"] == "counselled")
    # Arrivals on days 0, 2, 4; counselling on days 30, 40, 34: 30, 38 and 30 days.
    assert (counselling["cases"], counselling["median_days"]) == (3, 30.0)
    by_sex = (
        await monitoring.client.get(f"/offices/{monitoring.office}/breakdowns/sex", headers=headers)
    ).json()
    assert by_sex["female"]["registered"] == 2 and by_sex["male"]["kit_delivered"] == 1
    csv = await monitoring.client.get(
        f"/offices/{monitoring.office}/flows?by=trade&format=csv", headers=headers
    )
    assert csv.text.splitlines()[0].startswith("month,trade,registered,counselled")
    other = await monitoring.client.get(
        f"/offices/{monitoring.other_office}/report",
        headers=auth_headers(["monitoring_officer"], [monitoring.other_office]),
    )
    assert {s["stage"]: s["returnees"] for s in other.json()["funnel"]}["registered"] == 1


async def test_hq_report_compares_offices_and_holds_no_personal_data(
    monitoring: MonitoringUnderTest, programme: Programme
) -> None:
    hq = auth_headers(["hq_analyst"], [])
    body = (await monitoring.client.get("/hq/report", headers=hq)).json()
    offices = {o["country_office"]: o for o in body["offices"]}
    assert {monitoring.office, monitoring.other_office} <= set(offices)
    registered = {s["stage"]: s["returnees"] for s in offices[monitoring.office]["funnel"]}
    assert registered["registered"] == 4
    exports = [json.dumps(body)]
    for table in ("flows", "funnel", "durations"):
        csv = await monitoring.client.get(f"/hq/report?format=csv&table={table}", headers=hq)
        assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
        exports.append(csv.text)
    ids = [
        str(getattr(programme, n)) for n in ("amina", "boukary", "claire", "dramane", "elsewhere")
    ]
    for text in exports:
        for secret in [*ids, str(programme.plan), str(programme.order), programme.caseworker]:
            assert secret not in text
    # By construction: the JSON schema of the HQ report has no field that could hold one.
    assert "returnee_id" not in json.dumps(
        monitoring.client.app.openapi()["components"]["schemas"]["HqReport"]
    )  # type: ignore[attr-defined]
    office_staff = await monitoring.client.get(
        "/hq/report", headers=auth_headers(["office_manager"], [monitoring.office])
    )
    assert office_staff.status_code == 403


@contextlib.asynccontextmanager
async def fake_intake(names: dict[UUID, str], erased: set[UUID]) -> AsyncIterator[str]:
    """Intake's personal-data endpoint, as far as monitoring uses it, on a real port."""
    app = FastAPI()

    @app.get("/offices/{country_office}/returnees/{returnee_id}/personal-data")
    async def personal_data(country_office: str, returnee_id: UUID, request: Request) -> Any:
        if not request.headers.get("authorization", "").startswith("Bearer "):
            return JSONResponse({"error": "unauthenticated"}, status_code=401)
        if returnee_id in erased:
            return JSONResponse({"error": "gone"}, status_code=410)
        given, family = names[returnee_id].split(" ", 1)
        return {"returnee_id": str(returnee_id), "given_names": given, "family_name": family}

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, port=port, log_level="warning", lifespan="off"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


async def test_the_timeline_shows_every_service_in_order_and_names_only_to_allowed_roles(
    monitoring: MonitoringUnderTest, programme: Programme, monkeypatch: pytest.MonkeyPatch
) -> None:
    office = monitoring.office
    url = f"/offices/{office}/returnees/{programme.amina}/timeline"
    async with fake_intake({programme.amina: "Amina Ouedraogo"}, {programme.claire}) as intake_url:
        monkeypatch.setenv("INTAKE_URL", intake_url)
        viewer = auth_headers(["caseworker", "personal_data_viewer"], [office])
        shown = (await monitoring.client.get(url, headers=viewer)).json()
        hidden = (
            await monitoring.client.get(url, headers=auth_headers(["caseworker"], [office]))
        ).json()
        erased = (
            await monitoring.client.get(
                f"/offices/{office}/returnees/{programme.claire}/timeline", headers=viewer
            )
        ).json()
        page = await monitoring.client.get(
            f"/dashboard/offices/{office}/returnees/{programme.amina}", headers=viewer
        )
    assert (shown["name"], shown["name_status"]) == ("Amina Ouedraogo", "shown")
    assert (hidden["name"], hidden["name_status"]) == (None, "hidden")
    assert erased["name_status"] == "erased"
    assert "Amina Ouedraogo" in page.text
    names = [e["event_name"] for e in shown["entries"]]
    assert names[:2] == ["ReturneeRegistered", "CounsellingAttended"]
    for expected in ("PlanSubmitted", "PlanBudgetReviewNoted", "PlanApproved", "KitDelivered"):
        assert expected in names  # plan-only events reach each beneficiary
    dates = [e["occurred_on"] for e in shown["entries"]]
    assert dates == sorted(dates)
    # Never stored: no read-model row holds the name.
    database = await asyncpg.connect(monitoring.database_url)
    try:
        for table in ("case_files", "plan_files", "timeline_entries"):
            dump = await database.fetchval(
                f"SELECT coalesce(string_agg(t::text, ''), '') FROM {table} t"
            )
            assert "Ouedraogo" not in dump
    finally:
        await database.close()


async def snapshot(database_url: str) -> dict[str, list[str]]:
    database = await asyncpg.connect(database_url)
    try:
        return {
            "cases": [
                r[0]
                for r in await database.fetch(
                    "SELECT data::text FROM case_files ORDER BY returnee_id"
                )
            ],
            "plans": [
                r[0]
                for r in await database.fetch("SELECT data::text FROM plan_files ORDER BY plan_id")
            ],
            "timeline": [
                str(tuple(r))
                for r in await database.fetch(
                    """SELECT event_id, subject_id, occurred_on, summary
                       FROM timeline_entries ORDER BY 1, 2"""
                )
            ],
        }
    finally:
        await database.close()


async def everything_applied(database_url: str) -> None:
    """Every own event the read models fold is back through the inbox (the office's schedule
    is none of theirs: its topic may be new to the consumer and only seen at the next metadata
    refresh)."""
    database = await asyncpg.connect(database_url)
    try:
        pending = await database.fetch(
            """SELECT stream_id, event_name FROM events e
               WHERE event_name = ANY($1::text[])
                 AND NOT EXISTS (SELECT 1 FROM inbox i WHERE i.event_id = e.event_id)""",
            sorted(reactions.event_names),
        )
    finally:
        await database.close()
    assert not pending, f"own events not yet back through the inbox: {pending}"


async def test_rebuild_from_kafka_equals_the_incremental_read_models(
    monitoring: MonitoringUnderTest, programme: Programme
) -> None:
    headers = auth_headers(["monitoring_officer"], [monitoring.office])
    # Own events too: a visit recorded through the API is part of what must come back.
    await monitoring.client.post(
        f"/offices/{monitoring.office}/returnees/{programme.boukary}/follow-ups",
        json={
            "visited_on": programme.delivered_on.isoformat(), "activity_running": False,
            "monthly_revenue_band": "none", "monthly_profit_band": "none", "jobs_created": 0,
            "support_needed": False, "satisfaction": 2,
        },
        headers=auth_headers(["caseworker"], [monitoring.office]),
    )  # fmt: skip
    report_before = (
        await monitoring.client.get(f"/offices/{monitoring.office}/report", headers=headers)
    ).json()
    # Wait until the relay has published every stored event and the inbox has applied each
    # one monitoring reads (its own too), then compare against a rebuild.
    await eventually(lambda: everything_applied(monitoring.database_url), timeout=30)
    before = await snapshot(monitoring.database_url)
    # What `reintegrate projections rebuild --service monitoring` runs.
    read = await rebuild("monitoring", monitoring.settings)
    after = await snapshot(monitoring.database_url)
    assert read > 0
    assert len(before["cases"]) == 5
    assert after == before
    report_after = (
        await monitoring.client.get(f"/offices/{monitoring.office}/report", headers=headers)
    ).json()
    assert report_after == report_before


async def test_the_reports_in_sql_read_as_the_reference_fold_computes_them(
    monitoring: MonitoringUnderTest, programme: Programme
) -> None:
    """figures.py is the definition of every figure, over the case files; the database computes
    them from the rows kept beside the files, and must give the same answer."""
    pool = monitoring.client.app.state.runtime.pool  # type: ignore[attr-defined]
    today = date.today()
    for office in (monitoring.office, monitoring.other_office):
        cases, plans = await office_files(pool, office)
        assert cases
        report = await reports.office_report(pool, office, today)
        assert report.funnel == [FunnelStageOut(**asdict(s)) for s in figures.funnel(cases, plans)]
        assert report.durations == [DurationOut(**asdict(d)) for d in figures.durations(cases)]
        assert report.monthly == [FlowOut(**asdict(f)) for f in figures.flows(cases)]
        assert report.overdue_visits == len(figures.overdue_visits(cases, today))
        assert report.completions == [
            CompletionsOut(**asdict(c)) for c in figures.completions(cases)
        ]
        for by in Dimension:
            flows = await reports.flows(pool, office, by)
            assert flows == [FlowOut(**asdict(f)) for f in figures.flows(cases, by)], by
            assert await reports.breakdown(pool, office, by) == figures.breakdown(cases, by), by
        overdue = await reports.overdue(pool, office, today)
        assert overdue == [OverdueOut(**asdict(v)) for v in figures.overdue_visits(cases, today)]
        by_month = [
            (month, DurationOut(**asdict(d)))
            for month in figures.months_of(cases)
            for d in figures.durations(cases, month)
            if d.cases
        ]
        assert await reports.durations_by_month(pool, office) == by_month
    # Not an empty comparison: this office's programme has plans, visits due and intervals.
    report = await reports.office_report(pool, monitoring.office, today)
    assert report.overdue_visits > 0 and all(s.returnees for s in report.funnel[:2])
    assert report.completions and any(c.failed for c in report.completions)
    assert any(d.cases for d in report.durations)
