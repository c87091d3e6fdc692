"""Generate the checked-in JSON Schemas and AsyncAPI document, and check them.

python -m reintegration_contracts.schemas write   # after an intended contract change
python -m reintegration_contracts.schemas check   # CI: stale or incompatible -> exit 1

A country mission keeps the schemas of its own domain beside its code, with the same checks:

python -m reintegration_contracts.schemas check --module visits_desk.contract \
    --dir sdk/examples/visits_desk/schemas
"""

import argparse
import importlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reintegration_contracts import events  # noqa: F401  (importing registers payloads)
from reintegration_contracts.asyncapi import asyncapi_document
from reintegration_contracts.compatibility import compatibility_problems
from reintegration_contracts.registry import EventKind, all_kinds
from reintegration_contracts.subscriptions import consumes, publisher_of
from reintegration_contracts.topics import platform_domains, registered_domains

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "schemas"
PLATFORM_DOMAINS: tuple[str, ...] = platform_domains()


def schema_file_name(kind: EventKind) -> str:
    return f"{kind.domain}/{kind.name}.v{kind.version}.json"


def current_schemas(domains: Sequence[str] = PLATFORM_DOMAINS) -> dict[str, dict[str, Any]]:
    """Schema file name -> JSON Schema, for every registered event version of `domains`."""
    return {
        schema_file_name(k): k.model.model_json_schema() for k in all_kinds() if k.domain in domains
    }


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def write(directory: Path = DEFAULT_DIR, domains: Sequence[str] = PLATFORM_DOMAINS) -> list[Path]:
    written = []
    for name, schema in current_schemas(domains).items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(schema))
        written.append(path)
    asyncapi = directory.parent / "asyncapi.json"
    asyncapi.write_text(render(asyncapi_document(document_domains(domains), own=domains)))
    return [*written, asyncapi]


def check(directory: Path = DEFAULT_DIR, domains: Sequence[str] = PLATFORM_DOMAINS) -> list[str]:
    """Problems: incompatible changes first, then stale or missing files."""
    problems: list[str] = []
    current = current_schemas(domains)
    checked_in = {
        str(path.relative_to(directory)): json.loads(path.read_text())
        for path in sorted(directory.glob("*/*.json"))
    }
    for name, old in checked_in.items():
        if name not in current:
            problems.append(f"{name}: a published version is no longer known to the contracts")
            continue
        problems += [f"{name}: {p}" for p in compatibility_problems(old, current[name])]
    for name, schema in current.items():
        if name not in checked_in:
            problems.append(f"{name}: not checked in (run `make schemas`)")
        elif render(schema) != render(checked_in[name]) and not any(
            p.startswith(name) for p in problems
        ):
            problems.append(f"{name}: checked-in schema is stale (run `make schemas`)")
    asyncapi = directory.parent / "asyncapi.json"
    document = render(asyncapi_document(document_domains(domains), own=domains))
    if not asyncapi.exists() or asyncapi.read_text() != document:
        problems.append("asyncapi.json: stale (run `make schemas`)")
    return problems


def document_domains(domains: Sequence[str]) -> tuple[str, ...]:
    """The domains an AsyncAPI document shows: its own, and those its publishers read."""
    read = [d for own in domains if (p := publisher_of(own)) for d in consumes(p)]
    return tuple(dict.fromkeys([*domains, *read]))


def mission_domains(module: str) -> tuple[str, ...]:
    """Import a mission's contract module; the domains it registered are its own."""
    before = set(registered_domains())
    importlib.import_module(module)
    added = tuple(d for d in registered_domains() if d not in before)
    if not added:
        raise SystemExit(f"{module} registered no domain (call topics.register_domain)")
    return added


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n")[0] if __doc__ else None,
        epilog="Without --module: the platform's own domains, in contracts/schemas.",
    )
    parser.add_argument("command", choices=["write", "check"])
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="schema folder")
    parser.add_argument(
        "--module", help="a mission's contract module (importable), e.g. visits_desk.contract"
    )
    args = parser.parse_args(argv)
    domains = mission_domains(args.module) if args.module else PLATFORM_DOMAINS
    if args.command == "write":
        paths = write(args.dir, domains)
        print(f"wrote {len(paths)} files under {args.dir.parent}")
        return 0
    problems = check(args.dir, domains)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(problems)} contract problem(s)" if problems else "contracts: schemas up to date")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
