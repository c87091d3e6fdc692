"""Generate the checked-in JSON Schemas and AsyncAPI document, and check them.

python -m reintegration_contracts.schemas write   # after an intended contract change
python -m reintegration_contracts.schemas check   # CI: stale or incompatible -> exit 1
"""

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from reintegration_contracts import events as _events  # noqa: F401  (registers payloads)
from reintegration_contracts.asyncapi import asyncapi_document
from reintegration_contracts.compatibility import compatibility_problems
from reintegration_contracts.registry import EventKind, all_kinds

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "schemas"


def schema_file_name(kind: EventKind) -> str:
    return f"{kind.domain}/{kind.name}.v{kind.version}.json"


def current_schemas() -> dict[str, dict[str, Any]]:
    """Schema file name -> JSON Schema, for every registered event version."""
    return {schema_file_name(k): k.model.model_json_schema() for k in all_kinds()}


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def write(directory: Path = DEFAULT_DIR) -> list[Path]:
    written = []
    for name, schema in current_schemas().items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(schema))
        written.append(path)
    asyncapi = directory.parent / "asyncapi.json"
    asyncapi.write_text(render(asyncapi_document()))
    return [*written, asyncapi]


def check(directory: Path = DEFAULT_DIR) -> list[str]:
    """Problems: incompatible changes first, then stale or missing files."""
    problems: list[str] = []
    current = current_schemas()
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
    if not asyncapi.exists() or asyncapi.read_text() != render(asyncapi_document()):
        problems.append("asyncapi.json: stale (run `make schemas`)")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("command", choices=["write", "check"])
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="schema folder")
    args = parser.parse_args(argv)
    if args.command == "write":
        paths = write(args.dir)
        print(f"wrote {len(paths)} files under {args.dir.parent}")
        return 0
    problems = check(args.dir)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(problems)} contract problem(s)" if problems else "contracts: schemas up to date")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
