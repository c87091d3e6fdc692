"""The full pipeline: the five real services, started here, driven over HTTP.

1. Scenario throughput: the Burkina Faso scenario, and the same programme scaled to more
   returnees, each played in an office of its own by the scenarios runner (16 commands in
   flight, as its CLI); commands accepted per second, events appended per second (rows of the
   five event stores for that office, over the run's seconds), the phases, and whether
   monitoring's funnel matched the expected one.
2. Latency at a fixed rate (open loop): registrations at RATE/s, accepted -> monitoring's read
   model; baselines in the same run: a raw Kafka round trip and GET /health at the same rate.
3. Memory: each service's peak RSS (VmHWM) at the end.

Everything is bounded by time: the services are stopped, their databases dropped and the
run's office topics deleted at the end, whatever happened.
"""

import asyncio
import contextlib
import os
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from tqdm import tqdm

from bench import openloop
from bench.infra import Resources, Stack
from bench.pipeline_report import Report, ScenarioRun, render, write
from bench.services import Platform
from reintegration_scenarios import scenario, script
from reintegration_scenarios.client import Platform as Office
from reintegration_scenarios.report import percentile
from reintegration_scenarios.runner import Runner
from reintegration_scenarios.scaling import scaled

SCENARIO = "burkina-faso"
BUNDLED_RETURNEES = 560
SIZES = (BUNDLED_RETURNEES, 1_000, 2_000)
QUICK_SIZES = (BUNDLED_RETURNEES,)
CONCURRENCY = 16  # the scenarios CLI's default
RATE = 100.0  # commands per second
LOAD_SECONDS, QUICK_LOAD_SECONDS = 20.0, 10.0
# The whole case stops by itself: measurements get what is left of the budget after startup,
# and STOP_RESERVE is kept for stopping the services and dropping their databases.
BUDGET_SECONDS, QUICK_BUDGET_SECONDS = 360.0, 120.0
STOP_RESERVE = 15.0
MIN_SCENARIO_SECONDS = 20.0
TIME_LIMIT = "stopped at the time limit"


async def run_pipeline(
    stack: Stack,
    quick: bool,
    sizes: list[int],
    offices: list[str],
    results: Path,
    environment: dict[str, Any],
) -> int:
    """Start the services, measure, stop them; print the tables and write the JSON.

    offices: unused ones (`unused_offices`), one per size and the last for the latency load;
    the services are configured with all of them at startup."""
    started = time.perf_counter()
    deadline = started + (QUICK_BUDGET_SECONDS if quick else BUDGET_SECONDS) - STOP_RESERVE
    load_seconds = QUICK_LOAD_SECONDS if quick else LOAD_SECONDS
    load_before = os.getloadavg()
    resources = Resources(stack)
    # Baselines at the same rate for half as long: their spread is small, the budget is not.
    report = Report(
        resources.run_id, quick, offices, RATE, load_seconds, load_seconds / 2, CONCURRENCY
    )
    report.environment = environment
    platform = Platform(resources, offices)
    async with contextlib.AsyncExitStack() as cleanup:
        cleanup.push_async_callback(resources.close)
        cleanup.push_async_callback(platform.delete_office_topics)
        cleanup.push_async_callback(platform.stop)
        print(f"pipeline: starting the five services (logs in {platform.log_dir})", file=sys.stderr)
        await platform.start()
        report.ready_seconds = platform.ready_seconds
        try:
            await _within(deadline, _latency(report, platform, resources, offices[-1]))
        except TimeoutError:
            report.latency_problem = TIME_LIMIT
        except Exception as error:  # the other measurements still run; the report says why
            report.latency_problem = _problem(error)
        for returnees, office in zip(sizes, offices, strict=False):
            budget = deadline - time.perf_counter()
            if budget < MIN_SCENARIO_SECONDS:
                report.skipped.append(returnees)
                continue
            report.runs.append(await _play(platform, office, returnees, budget))
        report.memory = platform.memory()
    report.elapsed_seconds = time.perf_counter() - started
    report.load_average = {"before": _load(load_before), "after": _load(os.getloadavg())}
    print(render(report))
    path = write(results, report)
    print(f"\nwrote {path} and {path.parent / 'latest-pipeline.json'}")
    # Running out of time is the budget at work, not a failure; a wrong funnel or an error is.
    problems = [report.latency_problem, *(run.problem for run in report.runs)]
    wrong = any(run.finished and not run.matches for run in report.runs)
    return 1 if wrong or any(p not in (None, TIME_LIMIT) for p in problems) else 0


def _problem(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:300]


async def _within(deadline: float, work: Any) -> Any:
    return await asyncio.wait_for(work, max(1.0, deadline - time.perf_counter()))


async def _latency(report: Report, platform: Platform, resources: Resources, office: str) -> None:
    count = int(RATE * report.load_seconds)
    base = scenario.load(SCENARIO)
    people = script.build(scaled(base, count + openloop.WARM_UP), date.today()).returnees
    print(
        f"pipeline: registrations at {RATE:.0f}/s for {report.load_seconds:.0f} s", file=sys.stderr
    )
    cpu_before, began = platform.cpu_seconds(), time.perf_counter()
    report.accept, report.visible = await openloop.registrations(
        platform.urls["intake"], platform.databases["monitoring"], office, people, RATE
    )
    report.latency_cpu = _cpu_share(platform, cpu_before, began)
    baseline = int(RATE * report.baseline_seconds)
    print("pipeline: raw Kafka round trips at the same rate", file=sys.stderr)
    report.kafka = await openloop.kafka_round_trips(resources, RATE, baseline)
    print("pipeline: GET /health at the same rate", file=sys.stderr)
    report.health = await openloop.health(platform.urls["intake"], RATE, baseline)


async def _play(platform: Platform, office: str, returnees: int, budget: float) -> ScenarioRun:
    programme = scaled(scenario.load(SCENARIO), returnees)
    plan = script.build(programme, date.today())
    run = ScenarioRun(returnees, office, plan.commands)
    marks: list[tuple[str, float]] = []
    description = f"pipeline: {returnees:,} returnees (office {office})"
    bar = tqdm(total=plan.commands, desc=description, unit="cmd", file=sys.stderr, disable=None)

    def phase(label: str) -> None:
        marks.append((label, time.perf_counter()))
        bar.set_postfix_str(label)

    cpu_before, began = platform.cpu_seconds(), time.perf_counter()
    async with Office(platform.urls, office, CONCURRENCY, on_accepted=bar.update) as api:
        try:
            outcome = await asyncio.wait_for(Runner(plan, api, phase).play(budget), budget)
        except TimeoutError:
            run.problem = TIME_LIMIT
        except Exception as error:  # reported with the figures reached so far
            run.problem = _problem(error)
        else:
            run.finished, run.matches = True, outcome.matches
            run.settle_seconds = outcome.settle_seconds
            run.funnel = [
                {"stage": o.stage, "observed": o.returnees, "expected": e.returnees,
                 "observed_plans": o.plans, "expected_plans": e.plans}
                for o, e in zip(outcome.observed, outcome.expected, strict=True)
            ]  # fmt: skip
        finally:
            bar.close()
        run.seconds = time.perf_counter() - began
        run.cpu = _cpu_share(platform, cpu_before, began)
        run.commands, run.retries = api.timings.accepted, api.timings.retries
        latencies = api.timings.latencies
        run.http_ms = {
            "p50": round(percentile(latencies, 0.5) * 1000, 1),
            "p99": round(percentile(latencies, 0.99) * 1000, 1),
        }
    ends = [t for _, t in marks[1:]] + [time.perf_counter()]
    run.phases = {label: round(end - t, 2) for (label, t), end in zip(marks, ends, strict=True)}
    # A finished run's last events may still be on their way; a stopped one's backlog is not
    # part of its seconds.
    counted = platform.events_settled if run.finished else platform.events_appended
    run.events = await counted(office)
    return run


def _cpu_share(platform: Platform, before: dict[str, float], began: float) -> dict[str, float]:
    """Percent of one core each process used since `began`."""
    wall = time.perf_counter() - began
    after = platform.cpu_seconds()
    return {name: round(100 * (after[name] - before.get(name, 0.0)) / wall) for name in after}


def _load(averages: tuple[float, float, float]) -> list[float]:
    return [round(value, 2) for value in averages]
