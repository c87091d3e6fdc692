"""From a scenario to a dated script of what the office does, and the funnel it must yield.

Pure and deterministic: one seeded random generator, no clock but the `today` given, no I/O.
Returnees, sessions, cohorts and plans are numbered here; the services give them their ids when
the runner plays the script.
"""

import random
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum
from itertools import count
from typing import TypeVar

from reintegration_contracts.types import Locality, ReturnType, Sex, Track, Vulnerability
from reintegration_scenarios.names import person_name
from reintegration_scenarios.scenario import (
    BudgetItem,
    RejectedFor,
    Scenario,
    SetCondition,
    Survey,
)

# Monitoring's stages, in funnel order (the read model's own names).
STAGES = (
    "registered",
    "counselled",
    "trained",
    "certified",
    "plan_submitted",
    "plan_reviewed",
    "plan_examined",
    "plan_approved",
    "kit_delivered",
    "followed_up",
    "sustainable",
)
PLAN_STAGES = ("plan_submitted", "plan_reviewed", "plan_examined", "plan_approved")
ENTREPRENEURSHIP_DAYS = 5
PASSING_DAYS = 4  # of five: the service's 80% attendance rule
PASS_MARK = 50
# Training certifies a passed exam only with the programme's attendance threshold met (80% in
# the configurations that ship with the platform).
ATTENDANCE_THRESHOLD_PERCENT = 80

T = TypeVar("T")


class Fate(StrEnum):
    """What becomes of a business plan by the end of the scenario."""

    UNREVIEWED = "unreviewed"  # a line the catalogue cannot price: waits for an officer
    WAITING = "waiting"  # reviewed, no committee decision yet
    REJECTED = "rejected"
    APPROVED = "approved"
    AMENDED = "amended"  # approved with conditions

    @property
    def reviewed(self) -> bool:
        return self is not Fate.UNREVIEWED

    @property
    def approved(self) -> bool:
        return self in (Fate.APPROVED, Fate.AMENDED)

    @property
    def decided(self) -> bool:
        return self in (Fate.REJECTED, Fate.APPROVED, Fate.AMENDED)


@dataclass(frozen=True)
class Returnee:
    key: int
    arrival: date
    locality: Locality
    sex: Sex
    given_names: str
    family_name: str
    birth_date: date
    phone: str
    document: str
    return_type: ReturnType
    vulnerabilities: tuple[Vulnerability, ...]
    household_size: int
    declared_trade: str | None
    track: Track
    interviewed_on: date | None


@dataclass(frozen=True)
class CounsellingSession:
    key: int
    locality: Locality
    held_on: date
    participants: tuple[int, ...]


@dataclass(frozen=True)
class Cohort:
    key: int
    trade: str | None  # None: entrepreneurship
    centre: int | None
    locality: Locality
    start: date
    duration_days: int
    members: tuple[int, ...]
    present: dict[int, frozenset[date]]
    exam_scores: dict[int, int] = field(default_factory=dict)
    daycare: frozenset[int] = frozenset()  # mothers whose day-care the programme covers

    @property
    def enrolled_on(self) -> date:
        return self.start - timedelta(days=3)

    @property
    def end(self) -> date:
        return self.start + timedelta(days=self.duration_days - 1)

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=d) for d in range(self.duration_days)]

    def passed(self, member: int) -> bool:
        if self.trade is None:
            return len(self.present[member]) >= PASSING_DAYS
        attended = len(self.present[member]) >= _days_required(self.duration_days)
        return attended and self.exam_scores[member] >= PASS_MARK


@dataclass(frozen=True)
class Line:
    item: str
    quantity: int
    unit_cost: int
    specification: str | None


@dataclass(frozen=True)
class Plan:
    key: int
    members: tuple[int, ...]
    trade: str
    sector: str
    activity: str
    locality: Locality
    submitted_on: date
    lines: tuple[Line, ...]
    in_kind: tuple[str, int]
    fate: Fate


@dataclass(frozen=True)
class CommitteeSession:
    key: int
    locality: Locality
    held_on: date
    plans: tuple[int, ...]


@dataclass(frozen=True)
class Decision:
    plan: int
    session: int
    fate: Fate
    reasons: tuple[RejectedFor, ...] = ()
    conditions: tuple[SetCondition, ...] = ()


@dataclass(frozen=True)
class Delivery:
    plan: int
    delivered_on: date


@dataclass(frozen=True)
class CertifiedKit:
    """A certified trade's starting kit, with no business plan (Mali): ordered, handed over."""

    returnee: int
    trade: str
    certified_on: date
    ordered_on: date
    delivered_on: date


@dataclass(frozen=True)
class Visit:
    returnee: int
    visited_on: date
    activity_running: bool


@dataclass(frozen=True)
class SurveyTaken:
    returnee: int
    scored_on: date
    survey: Survey


@dataclass(frozen=True)
class FunnelRow:
    stage: str
    returnees: int
    plans: int | None


@dataclass(frozen=True)
class Script:
    scenario: Scenario
    returnees: list[Returnee]
    counselling: list[CounsellingSession]
    cohorts: list[Cohort]
    plans: list[Plan]
    committee_sessions: list[CommitteeSession]
    decisions: list[Decision]
    deliveries: list[Delivery]
    visits: list[Visit]
    surveys: list[SurveyTaken]
    certified_kits: list[CertifiedKit] = field(default_factory=list)

    @property
    def commands(self) -> int:
        """HTTP commands the runner sends to play this script (setup included)."""
        s = self.scenario
        attendance = sum(c.duration_days for c in self.cohorts)
        setup = 1 + 3 * len(s.training.centres) + len(s.catalogue) + 1 + 1
        setup += 1 if s.programme is not None else 0
        setup += 1 if s.committee is not None else 0
        setup += 2 * len(s.kits.contents)
        consents = len(s.counselling.consents) * len(self.returnees)
        return (
            setup
            + len(self.returnees)
            + consents
            + sum(1 for r in self.returnees if r.interviewed_on)
            + len(self.counselling)
            + len(self.cohorts)
            + 2 * sum(len(c.members) for c in self.cohorts)
            + sum(len(c.daycare) for c in self.cohorts)
            + attendance
            + len(self.plans)
            + len(self.committee_sessions)
            + len(self.decisions)
            + len(self.deliveries)
            + 2 * len(self.certified_kits)
            + len(self.visits)
            + len(self.surveys)
        )

    def expected_funnel(self) -> list[FunnelRow]:
        """What monitoring's funnel must show once the script has been played."""
        counselled = {p for s in self.counselling for p in s.participants}
        counselled |= {r.key for r in self.returnees if r.interviewed_on}
        # Trained: passed a course; who completed and failed is counted apart.
        trained = {m for c in self.cohorts for m in c.members if c.passed(m)}
        certified = {m for c in self.cohorts if c.trade for m in c.members if c.passed(m)}
        plans_at = {
            "plan_submitted": self.plans,
            "plan_reviewed": [p for p in self.plans if p.fate.reviewed],
            "plan_examined": [p for p in self.plans if p.fate.decided],
            "plan_approved": [p for p in self.plans if p.fate.approved],
        }
        delivered = {m for d in self.deliveries for m in self.plans[d.plan].members}
        delivered |= {k.returnee for k in self.certified_kits}
        followed = {v.returnee for v in self.visits}
        latest: dict[int, SurveyTaken] = {}
        for survey in sorted(self.surveys, key=lambda s: s.scored_on):
            latest[survey.returnee] = survey
        sustainable = {r for r, s in latest.items() if s.survey.sustainable}
        reached = {
            "registered": len(self.returnees),
            "counselled": len(counselled),
            "trained": len(trained),
            "certified": len(certified),
            **{
                stage: len({m for p in plans for m in p.members})
                for stage, plans in plans_at.items()
            },
            "kit_delivered": len(delivered),
            "followed_up": len(followed),
            "sustainable": len(sustainable),
        }
        return [
            FunnelRow(stage, reached[stage], len(plans_at[stage]) if stage in plans_at else None)
            for stage in STAGES
        ]


def build(scenario: Scenario, today: date) -> Script:
    """The whole programme, dated; nothing is dated after `today`."""
    return _Builder(scenario, today).build()


class _Builder:
    def __init__(self, scenario: Scenario, today: date) -> None:
        self.s = scenario
        self.today = today
        self.rng = random.Random(scenario.seed)

    def days(self, bounds: tuple[int, int]) -> timedelta:
        return timedelta(days=self.rng.randint(*bounds))

    def build(self) -> Script:
        returnees = self.arrivals()
        sessions, counselled_on = self.counselling(returnees)
        entrepreneurs, vocational = self.tracks(returnees, counselled_on)
        tracks = {
            **dict.fromkeys(entrepreneurs, Track.ENTREPRENEURSHIP),
            **dict.fromkeys(vocational, Track.VOCATIONAL_TRAINING),
        }
        returnees = [self.with_interview(r, counselled_on, tracks) for r in returnees]
        cohorts = self.entrepreneurship_cohorts(entrepreneurs, counselled_on, returnees)
        cohorts += self.vocational_cohorts(vocational, counselled_on, returnees, len(cohorts))
        plans = self.plans(cohorts, returnees)
        committee_sessions, decisions = self.committees(plans)
        deliveries = self.deliveries(plans, decisions, committee_sessions)
        certified_kits = self.certified_kits(cohorts)
        handed_over = [(plans[d.plan].members, d.delivered_on) for d in deliveries]
        handed_over += [((k.returnee,), k.delivered_on) for k in certified_kits]
        visits, surveys = self.follow_ups(handed_over)
        return Script(
            self.s,
            returnees,
            sessions,
            cohorts,
            plans,
            committee_sessions,
            decisions,
            deliveries,
            visits,
            surveys,
            certified_kits,
        )

    # Arrivals and counselling ------------------------------------------------------------

    def arrivals(self) -> list[Returnee]:
        a = self.s.arrivals
        last = self.s.period.end - timedelta(days=a.within_days_before_end)
        span = max((last - self.s.period.start).days, 1)
        places = [p.locality for p in self.s.localities]
        weights = [p.weight for p in self.s.localities]
        return_types = list(a.return_types)
        birth_offsets = self.distinct_birth_offsets(a.returnees)
        returnees = []
        for key in range(a.returnees):
            arrival = self.s.period.start + timedelta(days=self.rng.randrange(span))
            sex = Sex.FEMALE if self.rng.random() < a.female_share else Sex.MALE
            age_years = a.age[0] + birth_offsets[key] // 365
            birth = arrival - timedelta(days=age_years * 365 + birth_offsets[key] % 365 + 1)
            given, family = person_name(self.rng, sex)
            trade = self.rng.choice(self.declarable_trades())
            returnees.append(
                Returnee(
                    key=key,
                    arrival=arrival,
                    locality=self.rng.choices(places, weights)[0],
                    sex=sex,
                    given_names=given,
                    family_name=family,
                    birth_date=birth,
                    phone=_phone(self.s.country_office, self.s.seed, key),
                    document=f"B{(key * 104_729 + self.s.seed) % 10**9:09d}",
                    return_type=self.rng.choices(return_types, list(a.return_types.values()))[0],
                    vulnerabilities=tuple(
                        v for v, share in a.vulnerabilities.items() if self.rng.random() < share
                    ),
                    household_size=self.rng.randint(*a.household_size),
                    declared_trade=trade if self.rng.random() < a.declared_trade_share else None,
                    track=Track.OTHER,
                    interviewed_on=None,
                )
            )
        return returnees

    def declarable_trades(self) -> list[str]:
        if self.s.business_plans is not None:
            return list(self.s.business_plans.trades)
        return list(self.s.training.vocational.trades) or ["other"]

    def distinct_birth_offsets(self, n: int) -> list[int]:
        # Distinct birth dates keep the duplicate check (same birth date, similar name) quiet.
        low, high = self.s.arrivals.age
        span = max((high - low) * 365, 1)
        if n <= span:
            return self.rng.sample(range(span), n)
        return [self.rng.randrange(span) for _ in range(n)]

    def counselling(
        self, returnees: list[Returnee]
    ) -> tuple[list[CounsellingSession], dict[int, date]]:
        c = self.s.counselling
        no_shows = set(self.rng.sample([r.key for r in returnees], c.no_show))
        if c.by == "individual_interview":
            # Each returnee's interview is the counselling: no group session.
            interviewed = {
                r.key: min(r.arrival + self.days(c.days_after_arrival), self.today)
                for r in returnees
                if r.key not in no_shows
            }
            return [], interviewed
        by_place: dict[Locality, list[Returnee]] = defaultdict(list)
        for r in sorted(returnees, key=lambda r: (r.arrival, r.key)):
            if r.key not in no_shows:
                by_place[r.locality].append(r)
        sessions: list[CounsellingSession] = []
        counselled_on: dict[int, date] = {}
        for place, people in by_place.items():
            for group in _windows(people, c.session_size, lambda r: r.arrival, 30):
                held_on = min(
                    max(r.arrival for r in group) + self.days(c.days_after_arrival), self.today
                )
                sessions.append(
                    CounsellingSession(len(sessions), place, held_on, tuple(r.key for r in group))
                )
                counselled_on.update({r.key: held_on for r in group})
        sessions.sort(key=lambda s: (s.held_on, s.key))
        return [replace(s, key=i) for i, s in enumerate(sessions)], counselled_on

    def tracks(
        self, returnees: list[Returnee], counselled_on: dict[int, date]
    ) -> tuple[list[int], list[int]]:
        t = self.s.training
        counselled = sorted(counselled_on)
        chosen = self.rng.sample(
            counselled, t.entrepreneurship.participants + t.vocational.participants
        )
        return chosen[: t.entrepreneurship.participants], chosen[t.entrepreneurship.participants :]

    def with_interview(
        self,
        r: Returnee,
        counselled_on: dict[int, date],
        trainees: dict[int, Track],
    ) -> Returnee:
        if r.key not in counselled_on:
            return r
        track = trainees.get(r.key) or self.rng.choice([Track.EMPLOYMENT, Track.OTHER])
        if self.s.counselling.by == "individual_interview":
            return replace(r, track=track, interviewed_on=counselled_on[r.key])
        interviewed = min(counselled_on[r.key] + timedelta(days=self.rng.randint(0, 7)), self.today)
        return replace(r, track=track, interviewed_on=interviewed)

    # Training ---------------------------------------------------------------------------

    def entrepreneurship_cohorts(
        self, members: list[int], counselled_on: dict[int, date], returnees: list[Returnee]
    ) -> list[Cohort]:
        e = self.s.training.entrepreneurship
        failing = set(self.rng.sample(members, e.failing))
        ordered = sorted(members, key=lambda m: (counselled_on[m], m))
        cohorts: list[Cohort] = []
        for group in _chunks(ordered, e.cohort_size):
            start = max(counselled_on[m] for m in group) + self.days(e.days_after_counselling)
            start = min(start, self.today - timedelta(days=ENTREPRENEURSHIP_DAYS))
            days = [start + timedelta(days=d) for d in range(ENTREPRENEURSHIP_DAYS)]
            present = {
                m: frozenset(self.rng.sample(days, 2 if m in failing else self.rng.choice([4, 5])))
                for m in group
            }
            place = _most_common(returnees[m].locality for m in group)
            cohorts.append(
                Cohort(
                    len(cohorts),
                    None,
                    None,
                    place,
                    start,
                    ENTREPRENEURSHIP_DAYS,
                    tuple(group),
                    present,
                )
            )
        return cohorts

    def vocational_cohorts(
        self,
        members: list[int],
        counselled_on: dict[int, date],
        returnees: list[Returnee],
        first_key: int,
    ) -> list[Cohort]:
        v = self.s.training.vocational
        if not members:
            return []
        failing = set(self.rng.sample(members, v.failing))
        by_trade = self.trades_of(members, failing, counselled_on)
        centres = self.s.training.centres
        daycare = self.s.training.daycare
        cohorts: list[Cohort] = []
        for trade, people in sorted(by_trade.items()):
            # A trade's cohorts go to the centres teaching it in turn.
            teaching = [i for i, c in enumerate(centres) if trade in c.trades]
            chunks = _chunks_for(people, v.cohort_size, [centres[i].capacity for i in teaching])
            for turn, group in enumerate(chunks):
                centre = teaching[turn % len(teaching)]
                start = max(counselled_on[m] for m in group) + self.days(v.days_after_counselling)
                start = min(start, self.today - timedelta(days=v.duration_days))
                days = [start + timedelta(days=d) for d in range(v.duration_days)]
                drawn = {m: frozenset(d for d in days if self.rng.random() < 0.9) for m in group}
                present = {
                    m: drawn[m] if m in failing else _attending_enough(drawn[m], days)
                    for m in group
                }
                scores = {
                    m: self.rng.randint(20, 45) if m in failing else self.rng.randint(55, 95)
                    for m in group
                }
                place = _most_common(returnees[m].locality for m in group)
                mothers = frozenset(
                    m
                    for m in group
                    if daycare is not None
                    and returnees[m].sex is Sex.FEMALE
                    and self.rng.random() < daycare.mothers_share
                )
                cohorts.append(
                    Cohort(
                        first_key + len(cohorts),
                        trade,
                        centre,
                        place,
                        start,
                        v.duration_days,
                        tuple(group),
                        present,
                        scores,
                        mothers,
                    )
                )
        return cohorts

    def trades_of(
        self, members: list[int], failing: set[int], counselled_on: dict[int, date]
    ) -> dict[str, list[int]]:
        v = self.s.training.vocational
        by_trade: dict[str, list[int]] = defaultdict(list)
        ordered = sorted(members, key=lambda m: (counselled_on[m], m))
        if not v.completions:
            for m in ordered:
                by_trade[self.rng.choice(v.trades)].append(m)
            return by_trade
        # The office's completions per trade exactly; those who fail are spread over trades.
        passing = [m for m in members if m not in failing]
        start = 0
        for trade, completed in v.completions.items():
            by_trade[trade] += passing[start : start + completed]
            start += completed
        for m in sorted(failing):
            by_trade[self.rng.choice(v.trades)].append(m)
        return {
            t: sorted(people, key=lambda m: (counselled_on[m], m))
            for t, people in by_trade.items()
            if people
        }

    # Business plans and the committee ---------------------------------------------------

    def plans(self, cohorts: list[Cohort], returnees: list[Returnee]) -> list[Plan]:
        bp = self.s.business_plans
        if bp is None:
            return []
        stages = bp.stages
        completed_on = {
            m: c.end for c in cohorts if c.trade is None for m in c.members if c.passed(m)
        }
        groups = [
            (
                Fate.UNREVIEWED,
                stages.submitted.plans - stages.reviewed.plans,
                stages.submitted.beneficiaries - stages.reviewed.beneficiaries,
            ),
            (
                Fate.WAITING,
                stages.reviewed.plans - stages.approved.plans,
                stages.reviewed.beneficiaries - stages.approved.beneficiaries,
            ),
            (Fate.APPROVED, stages.approved.plans, stages.approved.beneficiaries),
        ]
        sized: list[tuple[Fate, int]] = []
        for fate, how_many, beneficiaries in groups:
            sized += [(fate, size) for size in self.sizes(how_many, beneficiaries, bp.max_group)]
        self.rng.shuffle(sized)
        sized = self.decide_fates(sized)
        # Neighbours plan together: members are taken in order of place and training.
        pool = sorted(
            self.rng.sample(sorted(completed_on), stages.submitted.beneficiaries),
            key=lambda m: (
                returnees[m].locality.region,
                returnees[m].locality.commune,
                completed_on[m],
                m,
            ),
        )
        taken = iter(pool)
        drafts: list[tuple[Fate, tuple[int, ...]]] = []
        for fate, size in sized:
            members = tuple(next(taken) for _ in range(size))
            drafts.append((fate, members))
        self.rng.shuffle(drafts)
        plans: list[Plan] = []
        for fate, members in drafts:
            trade = self.rng.choice(sorted(bp.trades))
            submitted = max(completed_on[m] for m in members) + self.days(bp.days_after_training)
            plans.append(
                Plan(
                    key=0,
                    members=members,
                    trade=trade,
                    sector=bp.trades[trade].sector,
                    activity=bp.trades[trade].activity,
                    locality=returnees[members[0]].locality,
                    submitted_on=min(submitted, self.s.period.end, self.today),
                    lines=self.budget(trade, len(members), fate),
                    in_kind=(bp.trades[trade].in_kind, self.rng.randrange(20, 200) * 1000),
                    fate=fate,
                )
            )
        plans.sort(key=lambda p: (p.submitted_on, p.members))
        return [replace(p, key=i) for i, p in enumerate(plans)]

    def sizes(self, plans: int, beneficiaries: int, largest: int) -> list[int]:
        """`plans` group sizes of 1 to `largest` adding up to `beneficiaries`."""
        if plans == 0:
            return []
        if beneficiaries > plans * largest:
            raise ValueError(f"{beneficiaries} beneficiaries do not fit {plans} plans")
        sizes = [1] * plans
        for _ in range(beneficiaries - plans):
            open_plans = [i for i, s in enumerate(sizes) if s < largest]
            # Groups grow from pairs: favour plans that are already collective.
            weights = [3 if sizes[i] > 1 else 1 for i in open_plans]
            sizes[self.rng.choices(open_plans, weights)[0]] += 1
        return sizes

    def decide_fates(self, sized: list[tuple[Fate, int]]) -> list[tuple[Fate, int]]:
        bp = self.s.business_plans
        assert bp is not None
        decided = []
        for fate, size in sized:
            if fate is Fate.WAITING and self.rng.random() < bp.rejected_share:
                fate = Fate.REJECTED
            elif fate is Fate.APPROVED and self.rng.random() < bp.amended_share:
                fate = Fate.AMENDED
            decided.append((fate, size))
        return decided

    def budget(self, trade: str, members: int, fate: Fate) -> tuple[Line, ...]:
        bp = self.s.business_plans
        assert bp is not None
        plan = bp.trades[trade]
        items: list[BudgetItem] = list(plan.budget)
        if fate is Fate.UNREVIEWED:
            items.append(bp.unpriced_item)
        lines = []
        for item in items:
            price = self.s.catalogue.get(item.item)
            # Quotes stay within the catalogue's tolerance; procurement settles them itself.
            base = price.unit_price if price else self.rng.randrange(100, 400) * 1000
            cost = round(base * self.rng.uniform(0.95, 1.05), -2)
            quantity = item.quantity * (members if item.item in plan.per_member else 1)
            lines.append(Line(item.item, quantity, int(cost), item.specification))
        return tuple(lines)

    def committees(self, plans: list[Plan]) -> tuple[list[CommitteeSession], list[Decision]]:
        c = self.s.committee
        bp = self.s.business_plans
        if c is None or bp is None:
            return [], []
        by_place: dict[Locality, list[Plan]] = defaultdict(list)
        for plan in plans:
            if plan.fate.decided:
                by_place[plan.locality].append(plan)
        sessions: list[CommitteeSession] = []
        for place, waiting in by_place.items():
            for group in _chunks(waiting, c.plans_per_session):
                held = max(p.submitted_on for p in group) + self.days(c.days_after_review)
                sessions.append(
                    CommitteeSession(0, place, min(held, self.today), tuple(p.key for p in group))
                )
        sessions.sort(key=lambda s: (s.held_on, s.plans))
        sessions = [replace(s, key=i) for i, s in enumerate(sessions)]
        decisions = []
        for session in sessions:
            for key in session.plans:
                fate = plans[key].fate
                decisions.append(
                    Decision(
                        key,
                        session.key,
                        fate,
                        reasons=(self.rng.choice(bp.rejection_reasons),)
                        if fate is Fate.REJECTED
                        else (),
                        conditions=(self.rng.choice(bp.conditions),)
                        if fate is Fate.AMENDED
                        else (),
                    )
                )
        return sessions, decisions

    # Kits and follow-up -----------------------------------------------------------------

    def deliveries(
        self, plans: list[Plan], decisions: list[Decision], sessions: list[CommitteeSession]
    ) -> list[Delivery]:
        deliveries = []
        for d in decisions:
            if d.fate.approved:
                on = sessions[d.session].held_on + self.days(
                    self.s.kits.delivery_days_after_approval
                )
                deliveries.append(Delivery(d.plan, min(on, self.today)))
        return sorted(deliveries, key=lambda d: (d.delivered_on, d.plan))

    def certified_kits(self, cohorts: list[Cohort]) -> list[CertifiedKit]:
        """Every trainee passing a course that leads straight to a kit gets it, then others
        certified in a trade, drawn, up to the scenario's count."""
        k = self.s.kits
        if not k.certified:
            return []
        passed = [
            (m, c.trade, c.end)
            for c in cohorts
            if c.trade is not None
            for m in c.members
            if c.passed(m)
        ]
        first = [p for p in passed if p[1] in k.straight_after]
        others = [p for p in passed if p[1] not in k.straight_after]
        if len(first) > k.certified:
            raise ValueError(f"{len(first)} pass a course leading straight to a kit")
        chosen = first + self.rng.sample(others, k.certified - len(first))
        kits = []
        for returnee, trade, certified_on in chosen:
            ordered = min(certified_on + self.days(k.days_after_certification), self.today)
            delivered = min(ordered + self.days(k.delivery_days_after_order), self.today)
            kits.append(CertifiedKit(returnee, trade, certified_on, ordered, delivered))
        return sorted(kits, key=lambda k: (k.delivered_on, k.returnee))

    def follow_ups(
        self, handed_over: list[tuple[tuple[int, ...], date]]
    ) -> tuple[list[Visit], list[SurveyTaken]]:
        f = self.s.follow_ups
        visits, surveys = [], []
        profiles = iter(_cycle(f.surveys))
        for members, delivered_on in handed_over:
            for member in members:
                for offset in f.schedule_days:
                    on = delivered_on + timedelta(days=offset) + self.days(f.visit_late_days)
                    if on <= self.today and self.rng.random() >= f.missed_share:
                        running = self.rng.random() < f.activity_running_share
                        visits.append(Visit(member, on, running))
                scored_on = delivered_on + timedelta(days=f.survey_after_days)
                if scored_on <= self.today and self.rng.random() < f.surveyed_share:
                    surveys.append(SurveyTaken(member, scored_on, next(profiles)))
        visits.sort(key=lambda v: (v.visited_on, v.returnee))
        surveys.sort(key=lambda s: (s.scored_on, s.returnee))
        return visits, surveys


_CALLING_CODES = {"bf": 226, "ml": 223, "ne": 227}


def _phone(office: str, seed: int, key: int) -> str:
    # A multiplier coprime with 10**8 gives every key its own eight digits.
    digits = f"{(key * 7_919 + seed * 104_729) % 10**8:08d}"
    code = _CALLING_CODES.get(office, 226)
    return f"+{code} {digits[:2]} {digits[2:4]} {digits[4:6]} {digits[6:]}"


def _chunks(items: Sequence[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def _chunks_for(items: Sequence[T], size: int, capacities: list[int]) -> list[list[T]]:
    """Consecutive cohorts of at most `size`, the n-th within its centre's capacity (the
    centres taking the cohorts in turn)."""
    chunks: list[list[T]] = []
    start = 0
    while start < len(items):
        room = min(size, capacities[len(chunks) % len(capacities)])
        chunks.append(list(items[start : start + room]))
        start += room
    return chunks


def _windows(
    items: Sequence[T], size: int, day_of: Callable[[T], date], days: int
) -> Iterator[list[T]]:
    """Consecutive groups of at most `size`, each spanning at most `days` days."""
    group: list[T] = []
    for item in items:
        if group and (len(group) >= size or (day_of(item) - day_of(group[0])).days > days):
            yield group
            group = []
        group.append(item)
    if group:
        yield group


def _most_common(places: Iterator[Locality]) -> Locality:
    tally: dict[Locality, int] = defaultdict(int)
    for place in places:
        tally[place] += 1
    return max(tally.items(), key=lambda kv: (kv[1], kv[0].commune))[0]


def _cycle(items: Sequence[T]) -> Iterator[T]:
    for i in count():
        yield items[i % len(items)]


def _days_required(duration_days: int) -> int:
    return -(-ATTENDANCE_THRESHOLD_PERCENT * duration_days // 100)


def _attending_enough(drawn: frozenset[date], days: list[date]) -> frozenset[date]:
    """A trainee meant to pass attends at least the threshold: the first days missed are
    made up (no draw, so the rest of the seeded script stays as it was)."""
    missing = _days_required(len(days)) - len(drawn)
    if missing <= 0:
        return drawn
    return drawn | frozenset([d for d in days if d not in drawn][:missing])
