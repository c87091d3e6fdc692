"""Render every overlay with kustomize and check it with kubeconform, offline and strict.

    python3 deploy/kubernetes/validate.py     # a line per overlay; exit 1 on any problem

Strict means: `kubeconform -strict` (unknown fields and duplicate keys are errors) against
the vendored schemas only (deploy/schemas: Kubernetes, Strimzi, CloudNativePG, its Barman
Cloud plugin, KEDA), so nothing is fetched. A resource whose schema is missing is an error,
never a skip, and any skipped resource fails the check too. Standard library only.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCHEMAS = HERE.parent / "schemas"
sys.path.insert(0, str(HERE.parent))
import tools  # noqa: E402  (deploy/tools.py, a sibling script)

KUBERNETES_VERSION = "1.34.0"  # deploy/schemas/vendor.py vendors this version's schemas
SCHEMA_LOCATIONS = (
    str(SCHEMAS / "kubernetes")
    + "/{{ .NormalizedKubernetesVersion }}-local{{ .StrictSuffix }}/"
    + "{{ .ResourceKind }}{{ .KindSuffix }}.json",
    str(SCHEMAS / "crds") + "/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json",
)


@dataclass
class Report:
    """kubeconform's verdict on one rendered overlay."""

    overlay: str
    kinds: Counter[str] = field(default_factory=Counter)
    valid: int = 0
    invalid: int = 0
    errors: int = 0
    skipped: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def resources(self) -> int:
        return self.valid + self.invalid + self.errors + self.skipped

    @property
    def ok(self) -> bool:
        return self.resources > 0 and self.valid == self.resources and not self.problems


def overlays() -> list[Path]:
    return sorted(p for p in (HERE / "overlays").iterdir() if (p / "kustomization.yaml").exists())


def render(overlay: Path) -> str:
    result = subprocess.run(
        [str(tools.ensure("kustomize")), "build", str(overlay)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"kustomize build {overlay}: {result.stderr}")
    return result.stdout


STATUS_FIELDS = {
    "statusValid": "valid",
    "statusInvalid": "invalid",
    "statusError": "errors",
    "statusSkipped": "skipped",
}


def check_many(manifests: Mapping[str, str]) -> dict[str, Report]:
    """kubeconform once over several rendered streams (name -> YAML), a Report for each.

    One process compiles each kind's schema once for all of them; on a busy two-core
    machine that is most of the time. `-n 1`: parallel workers would compile the same
    schemas side by side before the first lands in the cache.
    """
    reports = {name: Report(name) for name in manifests}
    with tempfile.TemporaryDirectory() as folder:
        files = {}
        for name, text in manifests.items():
            path = Path(folder) / f"{name}.yaml"
            path.write_text(text)
            files[str(path)] = name
        args = [str(tools.ensure("kubeconform")), "-strict", "-summary", "-verbose", "-n", "1"]
        args += ["-output", "json", "-kubernetes-version", KUBERNETES_VERSION]
        for location in SCHEMA_LOCATIONS:
            args += ["-schema-location", location]
        result = subprocess.run([*args, *files], capture_output=True, text=True, check=False)
    try:
        output = json.loads(result.stdout)
    except json.JSONDecodeError:
        raise RuntimeError(f"kubeconform gave no JSON: {result.stdout}{result.stderr}") from None
    for resource in output.get("resources", []):
        report = reports[files[resource["filename"]]]
        status = resource.get("status", "")
        report.kinds[resource.get("kind", "?")] += 1
        if status in STATUS_FIELDS:
            field_name = STATUS_FIELDS[status]
            setattr(report, field_name, getattr(report, field_name) + 1)
        if status != "statusValid":
            report.problems.append(
                f"{resource.get('kind')} {resource.get('name')}: {status} {resource.get('msg', '')}"
            )
    for report in reports.values():
        if report.skipped:
            report.problems.append(f"{report.skipped} resource(s) skipped: all must be checked")
    return reports


def check(manifests: str, name: str) -> Report:
    """kubeconform on one stream of manifests."""
    return check_many({name: manifests})[name]


def validate_all() -> dict[str, Report]:
    return check_many({overlay.name: render(overlay) for overlay in overlays()})


def main() -> int:
    failed = False
    for report in validate_all().values():
        kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(report.kinds.items()))
        print(
            f"{report.overlay:12} {report.resources:3} resources: valid {report.valid}, "
            f"invalid {report.invalid}, errors {report.errors}, skipped {report.skipped}  ({kinds})"
        )
        for problem in report.problems:
            print("   ", problem)
        failed |= not report.ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
