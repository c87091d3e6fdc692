"""Check deploy/compose/compose.yaml against the Compose Specification's JSON schema, offline.

    uv run python deploy/compose/validate.py     # exit 1 and a line per problem if invalid

The schema is the one Docker Compose itself validates with (compose-go's
schema/compose-spec.json, vendored in deploy/schemas/compose by deploy/schemas/vendor.py).
Like Compose, the file is checked as written, before `${VAR}` interpolation; YAML anchors and
`<<` merge keys are resolved first, as Compose's loader does.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

HERE = Path(__file__).resolve().parent
COMPOSE_FILE = HERE / "compose.yaml"
SCHEMA = HERE.parent / "schemas" / "compose" / "compose-spec.json"


def load_compose(path: Path = COMPOSE_FILE) -> dict[str, Any]:
    document = yaml.safe_load(path.read_text())
    if not isinstance(document, dict):
        raise ValueError(f"{path}: not a mapping")
    return document


def problems(document: dict[str, Any]) -> list[str]:
    """Every schema violation, as `path: message` (empty when the file is valid)."""
    schema = json.loads(SCHEMA.read_text())
    validator = Draft202012Validator(schema)
    found = []
    for error in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(p) for p in error.absolute_path) or "(top)"
        found.append(f"{where}: {error.message}")
    return found


def main() -> int:
    found = problems(load_compose())
    for problem in found:
        print(problem)
    services = len(load_compose().get("services", {}))
    print(f"{COMPOSE_FILE.name}: {services} services, {len(found)} problems")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
