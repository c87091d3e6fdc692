"""One chaos case: the `small` scenario on a site of its own office, a fault mid-run, a verdict.

A case runs on a site (chaos.site: a private stack and the five services with an office of
its own), plays the scenario through the services' HTTP APIs, strikes its fault once the given
share of commands was accepted, measures how long after the fault's end the platform is well
again by itself (every /ready 200, every event stored by then on Kafka, every poison record
dead-lettered), lets it settle, then judges what an outsider can see (chaos.audit).
"""

import asyncio
import contextlib
import math
import time
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from chaos.audit import Evidence, Findings, event_counts, judge
from chaos.faults import Fault, FaultContext
from chaos.kafka_reader import Tail, read_all, topics_of
from chaos.site import SERVICES, Site, consumers
from reintegration_scenarios import scenario, script
from reintegration_scenarios.client import Platform
from reintegration_scenarios.runner import Runner, read_funnel
from reintegration_scenarios.script import FunnelRow

T = TypeVar("T")

RECOVERY_LIMIT_S = 30.0  # issue 13's done-when
RECOVERY_WATCH_S = 90.0  # how long a recovery is watched for, to report how late it was
SCENARIO_LIMIT_S = 300.0
SETTLE_LIMIT_S = 60.0
SETTLE_AFTER_NO_RECOVERY_S = 10.0  # a platform that did not recover rarely settles later
# Per command: longer than any fault (a broker took 110 s to restart on a busy machine).
PATIENCE_S = 180.0
# Before a case on a shared site: the previous case already waited for its recovery.
WELL_BEFORE_CASE_S = 20.0


SiteFor = Callable[[str, int], AbstractAsyncContextManager[Site]]
"""site_for(case name, offices it needs): where a case runs (see tests/chaos/conftest.py)."""


@dataclass
class CaseResult:
    """One row of the table, and everything behind it."""

    fault: str
    description: str
    office: str
    recovered_in: float | None = None
    not_recovered_because: str = ""
    findings: Findings = field(default_factory=Findings)
    runner_error: str | None = None
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    commands: int = 0
    unavailable: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    phases: dict[str, float] = field(default_factory=dict)
    log_dir: str = ""

    @property
    def all_problems(self) -> list[str]:
        return [*self.problems, *self.findings.problems]

    @property
    def passed(self) -> bool:
        return not self.all_problems


async def run_case(where: Site, fault: Fault | None, baseline: dict[str, int] | None) -> CaseResult:
    """Play `small` on a fresh office of `where` with `fault` (None: the run without fault)."""
    began = time.monotonic()
    office = where.take_office()
    result = CaseResult(
        fault.name if fault else "none",
        fault.description if fault else "the same scenario without fault",
        office,
        log_dir=str(where.log_dir),
    )
    sick = await where.well_within(WELL_BEFORE_CASE_S)
    if sick:
        result.notes.append(f"services restarted by the harness before this case: {sick}")
        await where.restart_services()
    programme = script.build(scenario.load("small"), date.today())
    offices = [office, where.decoy]
    events, dead = await asyncio.to_thread(topics_of, where.bootstrap, offices)
    result.phases["waiting for a well platform"] = time.monotonic() - began
    with Tail(where.bootstrap, [*events, *dead]) as tail:
        context = FaultContext(where, office, where.decoy, tail)
        step = time.monotonic()
        struck_at = await _play(where, programme, fault, context, result)
        result.phases["scenario"], step = time.monotonic() - step, time.monotonic()
        await _settle(where, offices, context, result)
        result.phases["settling"], step = time.monotonic() - step, time.monotonic()
        result.problems.extend(context.problems)
        result.notes.extend(context.notes)
        if fault is not None and struck_at is None:
            result.problems.append("the fault never struck (the scenario ended before it)")
    try:
        await _judge(where, programme, offices, context, baseline, result)
    except Exception as error:  # the case fails with its row, rather than vanish
        result.problems.append(f"the audit could not be made: {type(error).__name__}: {error}")
    result.phases["audit"] = time.monotonic() - step
    result.seconds = time.monotonic() - began
    return result


async def _play(
    where: Site,
    programme: script.Script,
    fault: Fault | None,
    context: FaultContext,
    result: CaseResult,
) -> float | None:
    """The scenario with the fault struck during it; returns when the fault ended."""
    threshold = math.ceil((fault.at if fault else 1.0) * programme.commands)
    trigger = asyncio.Event()
    accepted = 0

    def on_accepted() -> None:
        nonlocal accepted
        accepted += 1
        if accepted >= threshold:
            trigger.set()

    ended: float | None = None
    recovery: asyncio.Task[None] | None = None
    async with Platform(
        where.urls,
        context.office,
        concurrency=8,
        patience_seconds=PATIENCE_S,
        on_accepted=on_accepted,
    ) as api:
        if fault is not None and fault.at == 0:
            # Before the first command, so before any relay's first publish to the office.
            await _or_problem(fault.inject(context), context, "inject the fault")
        runner = asyncio.create_task(
            asyncio.wait_for(Runner(programme, api).play(SETTLE_LIMIT_S), SCENARIO_LIMIT_S)
        )
        try:
            if fault is not None:
                ended = await _strike(fault, context, trigger, runner)
                if ended is not None:
                    recovery = asyncio.create_task(_watch_recovery(where, context, ended, result))
            try:
                outcome = await runner
                result.commands, result.unavailable = outcome.commands, api.timings.unavailable
            except Exception as error:
                result.runner_error = f"{type(error).__name__}: {error}"[:1500]
                result.problems.append(f"the scenario failed: {result.runner_error[:300]}")
            if recovery is not None:
                await recovery
        finally:
            for task in (runner, recovery):
                if task is not None and not task.done():
                    task.cancel()
                    with contextlib.suppress(BaseException):
                        await task
    return ended


async def _or_problem(step: Awaitable[T], context: FaultContext, what: str) -> T | None:
    """A fault that cannot be struck is a failed case, not a crash of the harness."""
    try:
        return await step
    except Exception as error:
        context.problems.append(f"could not {what}: {type(error).__name__}: {error}")
        return None


async def _strike(
    fault: Fault, context: FaultContext, trigger: asyncio.Event, runner: "asyncio.Task[Any]"
) -> float | None:
    """Wait for the trigger, inject, hold, restore; when the fault ended (None: never struck).

    A restore always follows an injection, even a failed one: a broker left down would fail
    every later case on the site."""
    if fault.at > 0:
        waiting = asyncio.create_task(trigger.wait())
        await asyncio.wait({waiting, runner}, return_when=asyncio.FIRST_COMPLETED)
        if not trigger.is_set():
            waiting.cancel()
            return None
        await _or_problem(fault.inject(context), context, "inject the fault")
    await asyncio.sleep(fault.hold)
    await _or_problem(fault.restore(context), context, "end the fault")
    return time.monotonic()


async def _watch_recovery(
    where: Site, context: FaultContext, ended: float, result: CaseResult
) -> None:
    """Seconds from the fault's end until the platform is well again, by itself."""
    stored = await where.stored_when_answering([context.office, context.decoy])
    backlog = {e.event_id for e in stored}
    deadline = ended + RECOVERY_WATCH_S
    while True:
        why = await _unwell(where, context, backlog)
        now = time.monotonic()
        if not why:
            result.recovered_in = now - ended
            return
        if now > deadline:
            result.not_recovered_because = why
            result.problems.append(f"not recovered {RECOVERY_WATCH_S:.0f} s after the fault: {why}")
            return
        await asyncio.sleep(0.25)


async def _unwell(where: Site, context: FaultContext, must_be_published: set[str]) -> str:
    """Why the platform is not well yet ("" when it is)."""
    if context.tail.error is not None:
        return f"the independent reader failed: {context.tail.error!r}"
    reasons = []
    sick = await where.not_ready()
    if sick:
        reasons.append("not ready: " + "; ".join(f"{n} {w}" for n, w in sick.items()))
    unpublished = must_be_published - context.tail.event_ids()
    if unpublished:
        reasons.append(f"{len(unpublished)} stored events not on Kafka")
    undelivered = _missing_dead_letters(context)
    if undelivered:
        reasons.append("not dead-lettered yet: " + ", ".join(undelivered))
    return "; ".join(reasons)


def _missing_dead_letters(context: FaultContext) -> list[str]:
    expected = consumers()
    have: dict[tuple[str, int, int], set[str]] = {}
    for record in context.tail.dead_letters():
        origin = (
            record.text("dlq_original_topic") or "",
            int(record.text("dlq_original_partition") or -1),
            int(record.text("dlq_original_offset") or -1),
        )
        have.setdefault(origin, set()).add(record.text("dlq_consumer") or "")
    missing = []
    for item in context.injected:
        if not item.poison.dead_letter:
            continue
        wanted = {c.name for c in expected if c.must_dead_letter(item.poison)}
        absent = wanted - have.get(item.coordinates, set())
        if absent:
            missing.append(f"{item.poison.kind} by {','.join(sorted(absent))}")
    return missing


async def _settle(
    where: Site, offices: Sequence[str], context: FaultContext, result: CaseResult
) -> None:
    """After the scenario: wait (bounded) until everything stored is published."""
    limit = SETTLE_AFTER_NO_RECOVERY_S if result.not_recovered_because else SETTLE_LIMIT_S
    deadline = time.monotonic() + limit
    why = "not checked"
    while time.monotonic() < deadline:
        stored = {e.event_id for e in await where.stored_when_answering(offices)}
        why = await _unwell(where, context, stored)
        if not why:
            return
        await asyncio.sleep(0.5)
    result.problems.append(f"not settled {limit:.0f} s after the scenario: {why}")


async def _judge(
    where: Site,
    programme: script.Script,
    offices: Sequence[str],
    context: FaultContext,
    baseline: dict[str, int] | None,
    result: CaseResult,
) -> None:
    events, dead = await asyncio.to_thread(topics_of, where.bootstrap, offices)
    stored = await where.stored_when_answering(offices)
    expected = [e.event_id for e in stored]
    published = await asyncio.to_thread(read_all, where.bootstrap, events, 60.0, expected)
    dead_letters = await asyncio.to_thread(read_all, where.bootstrap, dead)
    inboxes = await where.inboxes(SERVICES)
    observed: list[FunnelRow] | None = None
    async with Platform(where.urls, context.office, patience_seconds=20) as api:
        with contextlib.suppress(Exception):
            observed = await read_funnel(api)
    result.counts = event_counts(stored, context.office)
    result.findings = judge(
        Evidence(
            office=context.office,
            offices=tuple(offices),
            stored=stored,
            published=published,
            dead_letters=dead_letters,
            inboxes=inboxes,
            consumers=consumers(),
            injected=context.injected,
            expected_funnel=programme.expected_funnel(),
            observed_funnel=observed,
            baseline=baseline,
            scenario_completed=result.runner_error is None,
        )
    )
    if observed is None:
        result.problems.append("monitoring's funnel could not be read")
    if result.recovered_in is not None and result.recovered_in > RECOVERY_LIMIT_S:
        result.problems.append(
            f"recovered in {result.recovered_in:.1f} s, more than {RECOVERY_LIMIT_S:.0f} s"
        )
