"""Play a script through the services' public HTTP APIs, as the office's staff would.

Nothing here writes an event or touches a database: every fact enters through a command, and
the services carry it to each other over Kafka. Steps that must wait for another service's
facts (training for counselling, the committee for training, procurement for approvals,
monitoring for deliveries) retry the refusals that mean "not yet" until their deadline.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from reintegration_scenarios import bodies
from reintegration_scenarios.client import CommandRefused, Platform, Waits
from reintegration_scenarios.scenario import programme_configuration
from reintegration_scenarios.script import CertifiedKit, Cohort, Decision, FunnelRow, Script
from reintegration_sdk.auth import Role

# Refusals that mean another service has not heard of the fact yet.
# Training hears of the registration and the counselling from intake, over Kafka.
UNTIL_COUNSELLED = Waits.on((409, "returnee_not_registered"), (409, "returnee_not_counselled"))
UNTIL_TRAINED = Waits.on((409, "beneficiary_not_trained"))
UNTIL_REVIEWED = Waits.on((409, "budget_not_reviewed"))
UNTIL_MONITORED = Waits.on((404, "not_found"), (409, "no_kit_delivered"))
# Procurement hears of a certified trade from training.
UNTIL_CERTIFIED = Waits.on((409, "trade_not_certified"))

Progress = Callable[[str], None]


@dataclass
class Ids:
    """What the services called each thing the script numbered."""

    returnees: dict[int, str] = field(default_factory=dict)
    centres: dict[int, str] = field(default_factory=dict)
    cohorts: dict[int, str] = field(default_factory=dict)
    plans: dict[int, str] = field(default_factory=dict)
    committee_sessions: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    expected: list[FunnelRow]
    observed: list[FunnelRow]
    seconds: float
    settle_seconds: float
    commands: int
    retries: int
    latencies: list[float]
    phases: dict[str, float]
    unavailable: int = 0  # attempts that got no answer or a 503, tried again

    @property
    def matches(self) -> bool:
        return self.expected == self.observed


class Runner:
    def __init__(self, script: Script, platform: Platform, phase: Progress | None = None) -> None:
        self.script = script
        self.s = script.scenario
        self.api = platform
        self.office = platform.office
        self.ids = Ids()
        self._phase = phase or (lambda _: None)

    async def play(self, settle_timeout: float = 120.0) -> Outcome:
        started = time.perf_counter()
        steps: list[tuple[str, Callable[[], Awaitable[None]]]] = [
            ("setting up the office", self.set_up),
            ("registering returnees", self.register),
            ("counselling", self.counsel),
            ("training", self.train),
            ("submitting business plans", self.submit_plans),
            ("holding committees", self.hold_committees),
            ("delivering kits", self.deliver_kits),
            ("following up", self.follow_up),
        ]
        phases: dict[str, float] = {}
        for label, step in steps:
            self._phase(label)
            began = time.perf_counter()
            await step()
            phases[label] = time.perf_counter() - began
        played = time.perf_counter()
        self._phase("waiting for monitoring")
        observed = await self.settled_funnel(settle_timeout)
        finished = time.perf_counter()
        return Outcome(
            expected=self.script.expected_funnel(),
            observed=observed,
            seconds=finished - started,
            settle_seconds=finished - played,
            commands=self.api.timings.accepted,
            retries=self.api.timings.retries,
            latencies=list(self.api.timings.latencies),
            phases=phases,
            unavailable=self.api.timings.unavailable,
        )

    # Setup --------------------------------------------------------------------------------

    async def set_up(self) -> None:
        s, cc = self.s, self.office
        start = s.period.start
        if s.programme is not None:
            # The office's programme first: training keeps the rules it sets.
            await self.api.send(
                "programme",
                "PUT",
                f"/offices/{cc}/configuration",
                Role.OFFICE_MANAGER,
                {**programme_configuration(s.programme), "configured_on": str(start)},
            )
        await self.api.send(
            "training",
            "POST",
            f"/offices/{cc}/daily-allowance",
            Role.OFFICE_MANAGER,
            bodies.daily_allowance(s, start - timedelta(days=30)),
        )
        for index, centre in enumerate(s.training.centres):
            answer = await self.api.send(
                "training",
                "POST",
                f"/offices/{cc}/centres",
                Role.TRAINING_OFFICER,
                bodies.centre(centre),
            )
            centre_id = self.ids.centres[index] = answer["id"]
            inspected = bodies.inspection(start - timedelta(days=60))
            await self.api.send(
                "training",
                "POST",
                f"/offices/{cc}/centres/{centre_id}/inspections",
                Role.TRAINING_OFFICER,
                inspected,
            )
            contract = bodies.contract(cc, index, start - timedelta(days=30), date.today())
            await self.api.send(
                "training",
                "POST",
                f"/offices/{cc}/centres/{centre_id}/contracts",
                Role.TRAINING_OFFICER,
                contract,
            )
        for item, price in s.catalogue.items():  # the catalogue is one stream: in turn
            await self.api.send(
                "procurement",
                "POST",
                f"/offices/{cc}/prices",
                Role.PROCUREMENT_OFFICER,
                bodies.price(item, price, s.currency),
            )
        await self.api.send(
            "procurement",
            "PUT",
            f"/offices/{cc}/price-tolerance",
            Role.PROCUREMENT_OFFICER,
            {"tolerance_percent": s.price_tolerance_percent},
        )
        for trade, lines in s.kits.contents.items():
            # Set with trainers, then endorsed by returnee representatives.
            kit = await self.api.send(
                "procurement",
                "POST",
                f"/offices/{cc}/kits/{trade}",
                Role.PROCUREMENT_OFFICER,
                bodies.kit(lines),
            )
            await self.api.send(
                "procurement",
                "POST",
                f"/offices/{cc}/kits/{trade}/versions/{kit['kit_version']}/returnee-reviews",
                Role.PROCUREMENT_OFFICER,
                bodies.kit_endorsement(start - timedelta(days=20)),
            )
        if s.committee is not None:
            await self.api.send(
                "committee",
                "PUT",
                f"/offices/{cc}/convening-threshold",
                Role.OFFICE_MANAGER,
                {"threshold": s.committee.plans_per_session},
            )
        await self.api.send(
            "monitoring",
            "PUT",
            f"/offices/{cc}/follow-up-schedule",
            Role.OFFICE_MANAGER,
            {"offsets_days": s.follow_ups.schedule_days},
        )

    # Intake -------------------------------------------------------------------------------

    async def register(self) -> None:
        async def one(key: int) -> None:
            returnee = self.script.returnees[key]
            path = f"/offices/{self.office}/returnees"
            body = bodies.registration(returnee)
            try:
                answer = await self.api.send("intake", "POST", path, Role.CASEWORKER, body)
            except CommandRefused as refused:
                # Namesakes born the same day do happen; the caseworker checks and goes on.
                if refused.status != 409 or "likely_duplicate" not in refused.body:
                    raise
                body["duplicate_override"] = bodies.namesake_override()
                answer = await self.api.send("intake", "POST", path, Role.CASEWORKER, body)
            returnee_id = self.ids.returnees[key] = answer["returnee_id"]
            for purpose, partner in self.s.counselling.consents:
                await self.api.send(
                    "intake",
                    "POST",
                    f"{path}/{returnee_id}/consents",
                    Role.CASEWORKER,
                    {"purpose": purpose, "partner_category": partner, "on": str(returnee.arrival)},
                )

        await _all(one(r.key) for r in self.script.returnees)

    async def counsel(self) -> None:
        cc = self.office
        await _all(
            self.api.send(
                "intake",
                "POST",
                f"/offices/{cc}/counselling-sessions",
                Role.CASEWORKER,
                bodies.counselling_session(self.s, session, self.ids.returnees),
            )
            for session in self.script.counselling
        )
        await _all(
            self.api.send(
                "intake",
                "POST",
                f"/offices/{cc}/returnees/{self.ids.returnees[r.key]}/interviews",
                Role.CASEWORKER,
                bodies.interview(r),
            )
            for r in self.script.returnees
            if r.interviewed_on
        )

    # Training -----------------------------------------------------------------------------

    async def train(self) -> None:
        await _all(self.run_cohort(cohort) for cohort in self.script.cohorts)

    async def run_cohort(self, cohort: Cohort) -> None:
        # One cohort is one stream: its commands go one after another, cohorts side by side.
        cc, officer = self.office, Role.TRAINING_OFFICER
        centre_id = self.ids.centres.get(cohort.centre) if cohort.centre is not None else None
        answer = await self.api.send(
            "training", "POST", f"/offices/{cc}/cohorts", officer, bodies.cohort(cohort, centre_id)
        )
        cohort_id = self.ids.cohorts[cohort.key] = answer["id"]
        path = f"/offices/{cc}/cohorts/{cohort_id}"
        enrolled_on = str(cohort.enrolled_on)
        for member in cohort.members:
            body = {"returnee_id": self.ids.returnees[member], "enrolled_on": enrolled_on}
            await self.api.send(
                "training", "POST", f"{path}/enrolments", officer, body, UNTIL_COUNSELLED
            )
        daycare = self.s.training.daycare
        for member in sorted(cohort.daycare):
            if daycare is not None:
                body = bodies.daycare(cohort, daycare, self.ids.returnees[member])
                await self.api.send("training", "POST", f"{path}/daycare", officer, body)
        for day in cohort.days:
            sheet = bodies.attendance(cohort, day, self.ids.returnees)
            await self.api.send("training", "POST", f"{path}/attendance", officer, sheet)
        for member in cohort.members:
            body = bodies.completion(cohort, member, self.ids.returnees[member])
            await self.api.send("training", "POST", f"{path}/completions", officer, body)

    # Committee ----------------------------------------------------------------------------

    async def submit_plans(self) -> None:
        async def one(key: int) -> None:
            plan = self.script.plans[key]
            body = bodies.plan(self.s, plan, self.ids.returnees)
            answer = await self.api.send(
                "committee",
                "POST",
                f"/offices/{self.office}/plans",
                Role.CASEWORKER,
                body,
                UNTIL_TRAINED,
            )
            self.ids.plans[key] = answer["plan_id"]

        await _all(one(p.key) for p in self.script.plans)

    async def hold_committees(self) -> None:
        secretary = Role.COMMITTEE_SECRETARY
        decisions: dict[int, list[Decision]] = {}
        for decision in self.script.decisions:
            decisions.setdefault(decision.session, []).append(decision)

        async def one(key: int) -> None:
            session = self.script.committee_sessions[key]
            answer = await self.api.send(
                "committee",
                "POST",
                f"/offices/{self.office}/sessions",
                secretary,
                bodies.committee_session(self.s, session),
            )
            session_id = self.ids.committee_sessions[key] = answer["session_id"]
            for decision in decisions.get(key, []):
                kind, body = bodies.decision(decision, session_id)
                plan_id = self.ids.plans[decision.plan]
                await self.api.send(
                    "committee",
                    "POST",
                    f"/offices/{self.office}/plans/{plan_id}/{kind}",
                    secretary,
                    body,
                    UNTIL_REVIEWED,
                )

        await _all(one(s.key) for s in self.script.committee_sessions)

    # Procurement --------------------------------------------------------------------------

    async def deliver_kits(self) -> None:
        await self.deliver_plan_kits()
        await _all(self.certified_kit(kit) for kit in self.script.certified_kits)

    async def certified_kit(self, kit: CertifiedKit) -> None:
        """A certified trade's kit (Mali): ordered once procurement knows the certificate."""
        officer = Role.PROCUREMENT_OFFICER
        path = f"/offices/{self.office}/certifications/{self.ids.returnees[kit.returnee]}"
        order = await self.api.send(
            "procurement",
            "POST",
            f"{path}/{kit.trade}/kit-order",
            officer,
            {"ordered_on": str(kit.ordered_on)},
            UNTIL_CERTIFIED,
        )
        body = bodies.delivery(order, kit.delivered_on)
        await self.api.send(
            "procurement", "POST", f"{path}/{kit.trade}/kit-delivery", officer, body
        )

    async def deliver_plan_kits(self) -> None:
        wanted = {self.ids.plans[d.plan]: d for d in self.script.deliveries}
        orders = await self.kit_orders_for(set(wanted))
        await _all(
            self.api.send(
                "procurement",
                "POST",
                f"/offices/{self.office}/plans/{plan_id}/kit-delivery",
                Role.PROCUREMENT_OFFICER,
                bodies.delivery(orders[plan_id], delivery.delivered_on),
            )
            for plan_id, delivery in wanted.items()
        )

    async def kit_orders_for(self, plan_ids: set[str]) -> dict[str, dict[str, Any]]:
        """Procurement orders an approved plan's kit itself; wait until every order is there."""
        deadline = time.monotonic() + self.api.patience
        while True:
            rows = await self.api.read(
                "procurement",
                f"/offices/{self.office}/kit-orders",
                Role.PROCUREMENT_OFFICER,
                delivered="false",
            )
            found = {str(r["plan_id"]): r for r in rows if str(r.get("plan_id")) in plan_ids}
            if len(found) == len(plan_ids) or time.monotonic() > deadline:
                missing = plan_ids - set(found)
                if missing:
                    raise TimeoutError(f"procurement never ordered kits for {len(missing)} plans")
                return found
            await asyncio.sleep(0.2)

    # Monitoring ---------------------------------------------------------------------------

    async def follow_up(self) -> None:
        by_returnee: dict[int, list[Any]] = {}
        for visit in self.script.visits:
            by_returnee.setdefault(visit.returnee, []).append(visit)
        for survey in self.script.surveys:
            by_returnee.setdefault(survey.returnee, []).append(survey)

        async def one(key: int, actions: list[Any]) -> None:
            path = f"/offices/{self.office}/returnees/{self.ids.returnees[key]}"
            for action in actions:  # one returnee's file: visits, then the survey
                kind, body = bodies.follow_up(action)
                await self.api.send(
                    "monitoring",
                    "POST",
                    f"{path}/{kind}",
                    Role.MONITORING_OFFICER,
                    body,
                    UNTIL_MONITORED,
                )

        await _all(one(key, actions) for key, actions in by_returnee.items())

    async def settled_funnel(self, timeout: float) -> list[FunnelRow]:
        """Monitoring's funnel once it stops changing and matches, or at the deadline."""
        expected = self.script.expected_funnel()
        deadline = time.monotonic() + timeout
        while True:
            observed = await self.funnel()
            if observed == expected or time.monotonic() > deadline:
                return observed
            await asyncio.sleep(0.25)

    async def funnel(self) -> list[FunnelRow]:
        return await read_funnel(self.api)


async def read_funnel(api: Platform) -> list[FunnelRow]:
    """The office's funnel as monitoring's read model has it now."""
    report = await api.read("monitoring", f"/offices/{api.office}/report", Role.MONITORING_OFFICER)
    return [FunnelRow(s["stage"], s["returnees"], s["plans"]) for s in report["funnel"]]


async def _all(commands: Iterable[Awaitable[Any]]) -> None:
    """Run side by side; on the first failure the others are cancelled, not left running."""
    tasks = [asyncio.ensure_future(command) for command in commands]
    try:
        await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
