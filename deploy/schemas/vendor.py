"""Re-extract the vendored validation schemas from pinned registry artifacts.

    uv run python deploy/schemas/vendor.py          # rewrites kubernetes/, crds/, compose/
                                                    # and PROVENANCE.md beside this file

Sources (nothing else is used; every artifact comes from a package registry by name):
- Kubernetes: the `kubernetes-validate` wheel from PyPI, which bundles JSON schemas generated
  from Kubernetes' OpenAPI documents. Kept: one version's strict, non-standalone set (the
  resource kinds plus their shared `_definitions.json`), with references made file-relative
  and `$id`s dropped, so kubeconform resolves them on disk and never tries the network.
- CloudNativePG, its Barman Cloud plugin and KEDA: their Go modules' source zips from the Go
  module proxy, which carry `config/crd/bases/*.yaml`.
- Strimzi: Maven Central publishes no CRD files, only the `io.strimzi:api` model classes and
  `io.strimzi:crd-generator`. Strimzi's own build (api/pom.xml, `generate-crd-co-install-v1`)
  renders the CRDs by running that generator over those classes; this script runs the same
  generator, same arguments, on the pinned jars (it needs Java 21+ and Maven).
- Compose: compose-go's module zip (the Go module proxy), whose `schema/compose-spec.json` is
  the schema Docker Compose itself validates against.

CRDs become JSON schemas in kubeconform's layout, `crds/<group>/<kind>_<version>.json`, and
strict as `kubeconform -strict` expects: every object that lists properties refuses others
unless the CRD says `x-kubernetes-preserve-unknown-fields` or gives `additionalProperties`.
`metadata` is checked against Kubernetes' own ObjectMeta instead of the CRDs' bare `object`.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]

KUBERNETES_VALIDATE = "1.37.0"  # PyPI kubernetes-validate
KUBERNETES_VERSION = "1.34.0"  # the Kubernetes minor the manifests are checked against
GO_MODULES = {
    "cloudnative-pg": ("github.com/cloudnative-pg/cloudnative-pg", "v1.30.1", "config/crd/bases/"),
    "plugin-barman-cloud": (
        "github.com/cloudnative-pg/plugin-barman-cloud",
        "v0.15.0",
        "config/crd/bases/",
    ),
    "keda": ("github.com/kedacore/keda/v2", "v2.21.0", "config/crd/bases/"),
}
COMPOSE_GO = ("github.com/compose-spec/compose-go/v2", "v2.16.2", "schema/compose-spec.json")
STRIMZI = "1.2.0"
# Exactly the classes and output names of Strimzi's api/pom.xml (generate-crd-co-install-v1).
STRIMZI_CRDS = {
    "io.strimzi.api.kafka.model.kafka.Kafka": "040-Crd-kafka.yaml",
    "io.strimzi.api.kafka.model.connect.KafkaConnect": "041-Crd-kafkaconnect.yaml",
    "io.strimzi.api.kafka.model.podset.StrimziPodSet": "042-Crd-strimzipodset.yaml",
    "io.strimzi.api.kafka.model.topic.KafkaTopic": "043-Crd-kafkatopic.yaml",
    "io.strimzi.api.kafka.model.user.KafkaUser": "044-Crd-kafkauser.yaml",
    "io.strimzi.api.kafka.model.nodepool.KafkaNodePool": "045-Crd-kafkanodepool.yaml",
    "io.strimzi.api.kafka.model.bridge.KafkaBridge": "046-Crd-kafkabridge.yaml",
    "io.strimzi.api.kafka.model.connector.KafkaConnector": "047-Crd-kafkaconnector.yaml",
    "io.strimzi.api.kafka.model.mirrormaker2.KafkaMirrorMaker2": "048-Crd-kafkamirrormaker2.yaml",
    "io.strimzi.api.kafka.model.rebalance.KafkaRebalance": "049-Crd-kafkarebalance.yaml",
}
STRIMZI_ARGS = [
    "--label", "app:strimzi",
    "--label", "strimzi.io/crd-install:true",
    "--target-kube", "1.16+",
    "--crd-api-version", "v1",
    "--api-versions", "v1",
    "--storage-version", "v1",
    "--yaml",
]  # fmt: skip

K8S_DIR = f"v{KUBERNETES_VERSION}-local-strict"
OBJECT_META = (
    f"../../kubernetes/{K8S_DIR}/_definitions.json"
    "#/$defs/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_json(path: Path, document: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=1, sort_keys=True) + "\n")


# ------------------------------------------------------------------ Kubernetes


def vendor_kubernetes(work: Path) -> dict[str, str]:
    subprocess.run(
        [*pip(), "download", "--no-deps", "--quiet", "-d", str(work),
         f"kubernetes-validate=={KUBERNETES_VALIDATE}"],
        check=True,
    )  # fmt: skip
    wheel = next(work.glob(f"kubernetes_validate-{KUBERNETES_VALIDATE}-*.whl"))
    prefix = f"kubernetes_validate/kubernetes-json-schema/{K8S_DIR}/"
    target = HERE / "kubernetes" / K8S_DIR
    shutil.rmtree(HERE / "kubernetes", ignore_errors=True)
    kinds = 0
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            if not name.startswith(prefix) or not name.endswith(".json"):
                continue
            filename = name[len(prefix) :]
            document = json.loads(archive.read(name))
            if filename == "_definitions.json":
                document.pop("$id", None)
            elif "x-kubernetes-group-version-kind" in document:
                document.pop("$id", None)
                document = _relative_refs(document)
                kinds += 1
            else:
                continue  # a sub-definition: already inside _definitions.json
            write_json(target / filename, document)
    return {
        "artifact": f"PyPI kubernetes-validate=={KUBERNETES_VALIDATE} ({wheel.name})",
        "sha256": sha256(wheel),
        "taken": f"kubernetes-json-schema/{K8S_DIR}/: _definitions.json and {kinds} resource kinds",
    }


def pip() -> list[str]:
    """pip of this interpreter, else the machine's (a uv virtualenv has none of its own)."""
    for python in (sys.executable, shutil.which("python3") or "python3"):
        probe = subprocess.run([python, "-m", "pip", "--version"], capture_output=True)
        if probe.returncode == 0:
            return [python, "-m", "pip"]
    raise SystemExit("pip is needed to download kubernetes-validate from PyPI")


def _relative_refs(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            k: (v.replace("/api/_definitions.json#", "_definitions.json#") if k == "$ref" else
                _relative_refs(v))
            for k, v in node.items()
        }  # fmt: skip
    if isinstance(node, list):
        return [_relative_refs(v) for v in node]
    return node


# ------------------------------------------------------------------------ CRDs


def crd_schemas(crd: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(relative path, strict JSON schema) for every served version of a CRD."""
    group = crd["spec"]["group"]
    kind = crd["spec"]["names"]["kind"]
    for version in crd["spec"]["versions"]:
        if not version.get("served", True):
            continue
        schema = copy.deepcopy(version["schema"]["openAPIV3Schema"])
        schema = _strict(schema)
        properties = schema.setdefault("properties", {})
        properties["metadata"] = {"$ref": OBJECT_META}
        properties["apiVersion"] = {"type": "string", "enum": [f"{group}/{version['name']}"]}
        properties["kind"] = {"type": "string", "enum": [kind]}
        schema["additionalProperties"] = False
        required = set(schema.get("required", [])) | {"apiVersion", "kind", "metadata"}
        schema["required"] = sorted(required)
        yield f"{group}/{kind.lower()}_{version['name']}.json", schema


_COMBINATORS = ("allOf", "anyOf", "oneOf", "not")


def _strict(node: Any, in_combinator: bool = False) -> Any:
    """OpenAPI v3 (structural CRD schema) to JSON schema, refusing unknown fields.

    Inside `oneOf`/`anyOf`/`allOf`/`not` a structural schema only adds constraints on fields
    declared beside it (e.g. "either `certificate` or `pattern`"); closing those branches
    would refuse the fields declared outside them, so they stay open.
    """
    if isinstance(node, list):
        return [_strict(v, in_combinator) for v in node]
    if not isinstance(node, dict):
        return node
    node = {k: _strict(v, in_combinator or k in _COMBINATORS) for k, v in node.items()}
    if node.pop("x-kubernetes-int-or-string", False):
        node.pop("type", None)
        node["anyOf"] = [{"type": "integer"}, {"type": "string"}]
    if node.pop("nullable", False) and isinstance(node.get("type"), str):
        node["type"] = [node["type"], "null"]
    preserve = node.get("x-kubernetes-preserve-unknown-fields") is True
    closed = "properties" in node and "additionalProperties" not in node
    if closed and not preserve and not in_combinator:
        node["additionalProperties"] = False
    return node


def go_module_zip(module: str, version: str) -> Path:
    env = {**os.environ, "GOFLAGS": "-mod=mod", "GOTOOLCHAIN": "local"}
    result = subprocess.run(
        ["go", "mod", "download", "-json", f"{module}@{version}"],
        capture_output=True, text=True, env=env, cwd=tempfile.gettempdir(), check=False,
    )  # fmt: skip
    info = json.loads(result.stdout or "{}")
    if not info.get("Zip") or not Path(info["Zip"]).exists():
        raise SystemExit(f"go mod download {module}@{version} failed: {result.stderr}{info}")
    return Path(info["Zip"])


def vendor_go_crds() -> list[dict[str, str]]:
    provenance = []
    for label, (module, version, folder) in GO_MODULES.items():
        archive_path = go_module_zip(module, version)
        prefix = f"{module}@{version}/{folder}"
        taken = []
        with zipfile.ZipFile(archive_path) as archive:
            for name in sorted(archive.namelist()):
                if name.startswith(prefix) and name.endswith(".yaml"):
                    for crd in yaml.safe_load_all(archive.read(name)):
                        if crd and crd.get("kind") == "CustomResourceDefinition":
                            taken += _write_crd(crd)
        provenance.append(
            {
                "artifact": f"Go module {module}@{version} ({label}), {folder}*.yaml",
                "sha256": sha256(archive_path),
                "taken": ", ".join(taken),
            }
        )
    return provenance


def _write_crd(crd: dict[str, Any]) -> list[str]:
    written = []
    for relative, schema in crd_schemas(crd):
        write_json(HERE / "crds" / relative, schema)
        written.append(relative)
    return written


def java_21() -> str:
    """A java of release 21 or newer (Strimzi 1.x's generator is built for it)."""
    candidates = [
        os.environ.get("JAVA_HOME", ""),
        *sorted(map(str, Path("/usr/lib/jvm").glob("*"))),
    ]
    for home in candidates:
        java = Path(home) / "bin" / "java"
        if not java.exists():
            continue
        out = subprocess.run([str(java), "-version"], capture_output=True, text=True).stderr
        match = re.search(r'version "(\d+)', out)
        if match and int(match.group(1)) >= 21:
            return str(java)
    raise SystemExit("Strimzi's CRD generator needs Java 21+ (set JAVA_HOME)")


def vendor_strimzi(work: Path) -> dict[str, str]:
    libs = work / "strimzi-libs"
    subprocess.run(
        ["mvn", "-q", "-B", "-f", str(HERE / "strimzi" / "pom.xml"),
         "dependency:copy-dependencies", "-DincludeScope=runtime", f"-DoutputDirectory={libs}"],
        check=True,
    )  # fmt: skip
    out = work / "strimzi-crds"
    out.mkdir()
    targets = [f"{cls}={out / name}" for cls, name in STRIMZI_CRDS.items()]
    subprocess.run(
        [java_21(), "-cp", f"{libs}/*", "io.strimzi.crdgenerator.CrdGenerator",
         *STRIMZI_ARGS, *targets],
        check=True,
    )  # fmt: skip
    taken = []
    for name in STRIMZI_CRDS.values():
        taken += _write_crd(yaml.safe_load((out / name).read_text()))
    jars = {jar: sha256(libs / f"{jar}-{STRIMZI}.jar") for jar in ("api", "crd-generator")}
    return {
        "artifact": (
            f"Maven Central io.strimzi:api:{STRIMZI} and io.strimzi:crd-generator:{STRIMZI}, "
            "rendered by io.strimzi.crdgenerator.CrdGenerator " + " ".join(STRIMZI_ARGS)
        ),
        "sha256": ", ".join(f"{jar} {digest}" for jar, digest in jars.items()),
        "taken": ", ".join(taken),
    }


# --------------------------------------------------------------------- Compose


def vendor_compose() -> dict[str, str]:
    module, version, member = COMPOSE_GO
    archive_path = go_module_zip(module, version)
    with zipfile.ZipFile(archive_path) as archive:
        document = json.loads(archive.read(f"{module}@{version}/{member}"))
    write_json(HERE / "compose" / "compose-spec.json", document)
    return {
        "artifact": f"Go module {module}@{version}, {member}",
        "sha256": sha256(archive_path),
        "taken": "compose/compose-spec.json (JSON Schema draft 2020-12)",
    }


# ------------------------------------------------------------------------ main


def main() -> int:
    shutil.rmtree(HERE / "crds", ignore_errors=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        sources = {
            "Kubernetes": [vendor_kubernetes(work)],
            "CloudNativePG, Barman Cloud plugin, KEDA": vendor_go_crds(),
            "Strimzi": [vendor_strimzi(work)],
            "Compose Specification": [vendor_compose()],
        }
    lines = [
        "# Vendored schemas: where each file comes from",
        "",
        "Written by `uv run python deploy/schemas/vendor.py`, which re-extracts every file below",
        "from the pinned registry artifacts (see its docstring for the conversion). Do not edit",
        "the JSON by hand; change a pin in vendor.py and run it again. All sources are",
        "Apache-2.0 licensed projects (Kubernetes' OpenAPI via kubernetes-validate, Strimzi,",
        "CloudNativePG, KEDA, the Compose Specification).",
        "",
        f"Kubernetes version checked against: {KUBERNETES_VERSION}",
        f"(`kubeconform -kubernetes-version {KUBERNETES_VERSION}`).",
        "",
    ]
    for title, entries in sources.items():
        lines += [f"## {title}", ""]
        for entry in entries:
            lines += [
                f"- artifact: {entry['artifact']}",
                f"  - sha256: {entry['sha256']}",
                f"  - taken: {entry['taken']}",
            ]
        lines.append("")
    (HERE / "PROVENANCE.md").write_text("\n".join(lines))
    print((HERE / "PROVENANCE.md").read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
