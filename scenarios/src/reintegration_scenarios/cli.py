"""`python -m reintegration_scenarios`: list, show and run programme scenarios; the demo."""

import argparse
import asyncio
import json
import sys
from datetime import date
from pathlib import Path

from tqdm import tqdm

from reintegration_scenarios import partner_demo, report, scenario, script
from reintegration_scenarios.client import (
    SERVICES,
    CommandRefused,
    Platform,
    ServiceUnavailable,
    default_urls,
)
from reintegration_scenarios.runner import Outcome, Runner, read_funnel
from reintegration_sdk.auth import AuthSettings, Role, mint_token

DEMO_SCENARIO = "burkina-faso"


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except (
        CommandRefused,
        ServiceUnavailable,
        TimeoutError,
        FileNotFoundError,
        ValueError,
    ) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m reintegration_scenarios",
        description="Run a programme through the services over HTTP, as an office would.",
    )
    commands = parser.add_subparsers(required=True, metavar="command")
    listing = commands.add_parser("list", help="bundled scenarios")
    listing.set_defaults(handler=_list)
    show = commands.add_parser("show", help="what a scenario does and the funnel it must give")
    show.add_argument("scenario", help="a bundled name or a YAML file")
    show.set_defaults(handler=_show)
    run = commands.add_parser("run", help="play a scenario against running services")
    run.add_argument("scenario", help="a bundled name or a YAML file")
    _platform_options(run)
    run.set_defaults(handler=_run)
    demo = commands.add_parser(
        "demo",
        help=f"play a bundled programme once (default {DEMO_SCENARIO!r}), then print "
        "the funnel and the dashboard",
    )
    demo.add_argument(
        "--programme",
        default=DEMO_SCENARIO,
        help=f"a bundled scenario or a YAML file (default {DEMO_SCENARIO}; make demo PROGRAMME=)",
    )
    _platform_options(demo)
    demo.add_argument(
        "--app-url",
        default="http://127.0.0.1:8100",
        help="where the staff app answers (default http://127.0.0.1:8100)",
    )
    demo.add_argument(
        "--no-partner", action="store_true",
        help="skip the partner's side (an agency's webhook receiver and Kafka reader)",
    )  # fmt: skip
    demo.set_defaults(handler=_demo)
    return parser


def _platform_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--office", help="country office code (default: the scenario's)")
    parser.add_argument(
        "--url",
        action="append",
        default=[],
        metavar="SERVICE=URL",
        help="where a service answers (default http://127.0.0.1:8101..8105)",
    )
    parser.add_argument("--concurrency", type=int, default=16, help="commands in flight")
    parser.add_argument("--json", type=Path, help="also write the outcome to this file")


def _urls(pairs: list[str]) -> dict[str, str]:
    urls = default_urls()
    for pair in pairs:
        name, _, url = pair.partition("=")
        known = (*SERVICES, "partners")  # partners: only the demo's partner side calls it
        if name not in known or not url:
            raise ValueError(f"--url wants SERVICE=URL with SERVICE one of {', '.join(known)}")
        urls[name] = url
    return urls


def _list(_: argparse.Namespace) -> int:
    for name in scenario.bundled():
        print(f"{name:20} {scenario.load(name).name}")
    return 0


def _show(args: argparse.Namespace) -> int:
    s = scenario.load(args.scenario)
    plan = script.build(s, date.today())
    print(f"{s.name} (office {s.country_office}, seed {s.seed})")
    print(
        f"{len(plan.returnees)} returnees, {len(plan.counselling)} counselling sessions, "
        f"{len(plan.cohorts)} cohorts, {len(plan.plans)} business plans, "
        f"{len(plan.committee_sessions)} committee sessions, "
        f"{len(plan.deliveries) + len(plan.certified_kits)} kits, "
        f"{len(plan.visits)} follow-up visits: {plan.commands} commands\n"
    )
    print(report.funnel_table(plan.expected_funnel()))
    return 0


def _run(args: argparse.Namespace) -> int:
    outcome = play(args.scenario, args.office, _urls(args.url), args.concurrency)
    _print_outcome(outcome)
    if args.json:
        _write_json(args.json, outcome)
    return 0 if outcome.matches else 1


def _demo(args: argparse.Namespace) -> int:
    s = scenario.load(args.programme)
    office = args.office or s.country_office
    urls = _urls(args.url)
    current = asyncio.run(_current_funnel(urls, office))
    if current and current[0].returnees:
        print(f"Office {office} already holds {current[0].returnees} returnees: not loading again.")
        print(report.funnel_table(current))
        code = 0
    else:
        outcome = play(args.programme, office, urls, args.concurrency)
        _print_outcome(outcome)
        code = 0 if outcome.matches else 1
    if not args.no_partner:
        code = _partner(urls.get("partners", partner_demo.PARTNERS_URL), office) or code
    token = mint_token(AuthSettings(), f"demo-manager-{office}", [Role.OFFICE_MANAGER], [office])
    dashboard = urls["monitoring"] + "/dashboard"
    print(
        f"\nDashboard: {dashboard}  (sign in with the token below, an office manager of {office})"
    )
    print(f"Staff app: {args.app_url}/  (the same token; forms, work lists, offline, import)")
    print(token)
    print("The services keep running; `make down` stops them and the stack.")
    return code


def _partner(url: str, office: str) -> int:
    """The partner's side: an agency receiving the consent-gated feed by webhook and Kafka."""
    try:
        outcome = asyncio.run(partner_demo.run(office, url))
    except (OSError, RuntimeError) as error:
        print(f"\nThe partner demo could not run: {error}")
        return 1
    print(partner_demo.report(outcome))
    return 0 if outcome.complete else 1


def play(name: str, office: str | None, urls: dict[str, str], concurrency: int) -> Outcome:
    s = scenario.load(name)
    plan = script.build(s, date.today())
    office = office or s.country_office
    print(f"Playing {s.name} as office {office}: {plan.commands} commands over HTTP")
    with tqdm(total=plan.commands, unit="cmd", dynamic_ncols=True) as bar:
        return asyncio.run(_play(plan, office, urls, concurrency, bar))


async def _play(
    plan: script.Script, office: str, urls: dict[str, str], concurrency: int, bar: tqdm
) -> Outcome:
    async with Platform(urls, office, concurrency, on_accepted=lambda: bar.update()) as api:
        return await Runner(plan, api, bar.set_description).play()


async def _current_funnel(urls: dict[str, str], office: str) -> list[script.FunnelRow]:
    async with Platform(urls, office) as api:
        return await read_funnel(api)


def _print_outcome(outcome: Outcome) -> None:
    print()
    print(report.funnel_table(outcome.observed, outcome.expected))
    p50 = report.percentile(outcome.latencies, 0.5) * 1000
    p99 = report.percentile(outcome.latencies, 0.99) * 1000
    print(
        f"\n{outcome.commands} commands accepted in {outcome.seconds:.1f} s "
        f"({outcome.commands / outcome.seconds:.0f}/s; {outcome.retries} retries while facts "
        f"travelled; HTTP p50 {p50:.0f} ms, p99 {p99:.0f} ms); monitoring settled "
        f"{outcome.settle_seconds:.1f} s after the last command."
    )
    if outcome.unavailable:
        print(f"{outcome.unavailable} attempts got no answer or a 503 and were tried again.")
    print("Phases: " + ", ".join(f"{k} {v:.1f} s" for k, v in outcome.phases.items()))
    verdict = "matches" if outcome.matches else "DOES NOT match"
    print(f"The monitoring funnel {verdict} the scenario's expected counts.")


def _write_json(path: Path, outcome: Outcome) -> None:
    path.write_text(
        json.dumps(
            {
                "matches": outcome.matches,
                "seconds": outcome.seconds,
                "commands": outcome.commands,
                "retries": outcome.retries,
                "unavailable": outcome.unavailable,
                "observed": [r.__dict__ for r in outcome.observed],
                "expected": [r.__dict__ for r in outcome.expected],
            },
            indent=2,
        )
    )
