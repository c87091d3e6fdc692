"""deploy/kubernetes: generated from the description, rendered by kustomize, checked offline.

Every overlay is built with kustomize and validated by kubeconform in strict mode against the
vendored schemas (Kubernetes, Strimzi, CloudNativePG and its Barman Cloud plugin, KEDA):
0 errors, nothing skipped. Then the rendered resources are read back and held to the
description: one KafkaTopic per topic and one KafkaUser per principal with exactly its ACLs,
per service probes, sizes, lag autoscaling capped at the partition count, secrets by
reference only. Both tools are built from their pinned Go modules on first use.
"""

import json
import re
import shutil
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from reintegration_sdk.testing.infrastructure import load_script

# The first run on a fresh machine builds kustomize and kubeconform from source.
pytestmark = [pytest.mark.deploy, pytest.mark.timeout(1200)]

REPO = Path(__file__).resolve().parents[1]
KUBE = REPO / "deploy" / "kubernetes"
bus = load_script(REPO / "deploy" / "bus.py", "deploy_bus")
generate = load_script(KUBE / "generate.py", "deploy_kubernetes_generate")
validate = load_script(KUBE / "validate.py", "deploy_kubernetes_validate")
DESCRIPTION = bus.load()
PLATFORM = tomllib.loads((KUBE / "platform.toml").read_text())
OVERLAYS = [p.name for p in validate.overlays()]
DEPLOYED = [s for s in DESCRIPTION.services if s.deployed]


@pytest.fixture(scope="module")
def rendered() -> dict[str, str]:
    return {name: validate.render(KUBE / "overlays" / name) for name in OVERLAYS}


@pytest.fixture(scope="module")
def reports(rendered: dict[str, str]) -> dict[str, Any]:
    return validate.check_many(rendered)


@pytest.fixture(scope="module")
def resources(rendered: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    return {name: [d for d in yaml.safe_load_all(text) if d] for name, text in rendered.items()}


def of_kind(documents: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [d for d in documents if d["kind"] == kind]


def by_name(documents: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in of_kind(documents, kind)}


def test_an_overlay_per_kubernetes_cluster_of_the_description() -> None:
    assert sorted(n for n in DESCRIPTION.clusters if n != "local") == OVERLAYS
    assert {"country-bf", "hq"} <= set(OVERLAYS)


def test_the_checked_in_manifests_are_what_the_generator_writes() -> None:
    assert generate.stale_paths(generate.render(*generate.load_inputs())) == []


def test_a_stale_checked_in_file_is_caught(tmp_path: Path) -> None:
    for folder in generate.GENERATED:
        shutil.copytree(KUBE / folder, tmp_path / folder)
    files = generate.render(*generate.load_inputs())
    assert generate.stale_paths(files, tmp_path) == []
    edited = tmp_path / "overlays/country-bf/bus.yaml"
    edited.write_text(edited.read_text().replace("partitions: 3", "partitions: 1", 1))
    (tmp_path / "components/intake/resources.yaml").unlink()
    (tmp_path / "overlays/hq/leftover.yaml").write_text("kind: ConfigMap\n")
    assert generate.stale_paths(files, tmp_path) == [
        "components/intake/resources.yaml",
        "overlays/country-bf/bus.yaml",
        "overlays/hq/leftover.yaml",
    ]


def test_a_change_to_the_description_makes_the_checked_in_output_stale() -> None:
    raw = tomllib.loads((REPO / "deploy" / "bus.toml").read_text())
    raw["partners"]["burkina-microfinance"] = {"offices": ["bf"]}
    files = generate.render(bus.parse(raw), PLATFORM)
    assert generate.stale_paths(files) == ["overlays/country-bf/bus.yaml"]
    assert "partners.burkina-microfinance.events" in files["overlays/country-bf/bus.yaml"]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_kubeconform_strict_finds_every_resource_valid_and_skips_none(
    overlay: str, rendered: dict[str, str], reports: dict[str, Any]
) -> None:
    report = reports[overlay]
    assert report.problems == []
    assert report.skipped == 0
    assert report.invalid == 0
    assert report.errors == 0
    assert report.valid == report.resources == len(yaml_documents(rendered[overlay])) > 30
    cluster = DESCRIPTION.cluster(overlay)
    assert report.kinds["KafkaTopic"] == len(cluster.topics)
    assert report.kinds["KafkaUser"] == len(cluster.principals)
    expected_services = 1 if cluster.kind == "hq" else len(DEPLOYED)
    for kind in ("ScaledObject", "TriggerAuthentication", "Cluster", "ObjectStore"):
        assert report.kinds[kind] == expected_services, kind
    assert report.kinds["Kafka"] == 1
    assert report.kinds["KafkaNodePool"] == 2
    assert report.kinds["Ingress"] == 1
    assert report.kinds["KafkaMirrorMaker2"] == (1 if cluster.kind == "hq" else 0)


def yaml_documents(text: str) -> list[Any]:
    return [d for d in yaml.safe_load_all(text) if d]


def test_the_strict_check_refuses_unknown_fields_and_unknown_kinds() -> None:
    typo = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: intake}
spec:
  selector: {matchLabels: {app: intake}}
  template:
    metadata: {labels: {app: intake}}
    spec:
      containers: [{name: intake, image: reintegration/platform:0.1.0, imagePullPolicyy: Always}]
---
apiVersion: kafka.strimzi.io/v1
kind: KafkaTopic
metadata: {name: reintegration.bf.intake}
spec: {partitions: 3, replicas: 3, retention: -1}
---
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {name: intake}
spec: {scaleTargetRef: {name: intake}, maxReplicas: 3, triggers: []}
"""
    report = validate.check(typo, "typos")
    assert report.invalid == 3
    assert not report.ok
    joined = "\n".join(report.problems)
    for field in ("imagePullPolicyy", "retention", "maxReplicas"):
        assert field in joined
    unknown = validate.check("apiVersion: example.org/v1\nkind: Gadget\nmetadata: {name: g}\n", "x")
    assert unknown.errors == 1
    assert unknown.skipped == 0
    assert not unknown.ok


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_kafka_users_carry_exactly_the_described_acls(
    overlay: str, resources: dict[str, list[dict[str, Any]]]
) -> None:
    users = by_name(resources[overlay], "KafkaUser")
    cluster = DESCRIPTION.cluster(overlay)
    assert set(users) == {p.name for p in cluster.principals}
    for principal in cluster.principals:
        spec = users[principal.name]["spec"]
        assert spec["authentication"] == {"type": "scram-sha-512"}
        rendered_acls = {
            (a["resource"]["type"], a["resource"]["name"], a["resource"]["patternType"],
             tuple(a["operations"]))
            for a in spec["authorization"]["acls"]
        }  # fmt: skip
        described = {
            (a.resource.type, a.resource.name, a.resource.pattern, a.operations)
            for a in principal.acls
        }
        assert rendered_acls == described, principal.name
        assert all(a["type"] == "allow" for a in spec["authorization"]["acls"])


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_topics_keep_every_event_for_ever(
    overlay: str, resources: dict[str, list[dict[str, Any]]]
) -> None:
    topics = by_name(resources[overlay], "KafkaTopic")
    cluster = DESCRIPTION.cluster(overlay)
    assert set(topics) == {t.name for t in cluster.topics}
    for topic in topics.values():
        assert topic["spec"]["topicName"] == topic["metadata"]["name"]
        assert topic["spec"]["config"]["retention.ms"] == "-1"
        assert topic["spec"]["config"]["cleanup.policy"] == "delete"
        assert topic["spec"]["partitions"] == cluster.partitions
        assert topic["spec"]["replicas"] == 3
        assert topic["metadata"]["labels"]["strimzi.io/cluster"] == "reintegration"
    kafka = of_kind(resources[overlay], "Kafka")[0]["spec"]["kafka"]
    assert kafka["config"]["auto.create.topics.enable"] is False
    assert kafka["authorization"] == {"type": "simple"}
    assert all(lst["authentication"]["type"] == "scram-sha-512" for lst in kafka["listeners"])
    pools = {p["spec"]["roles"][0]: p["spec"] for p in of_kind(resources[overlay], "KafkaNodePool")}
    assert set(pools) == {"controller", "broker"}  # KRaft: controllers of their own


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_each_service_has_probes_measured_sizes_and_lag_scaling_capped_at_partitions(
    overlay: str, resources: dict[str, list[dict[str, Any]]]
) -> None:
    documents = resources[overlay]
    cluster = DESCRIPTION.cluster(overlay)
    deployments = by_name(documents, "Deployment")
    scaled = by_name(documents, "ScaledObject")
    services = by_name(documents, "Service")
    databases = by_name(documents, "Cluster")
    backups = {b["spec"]["cluster"]["name"]: b for b in of_kind(documents, "ScheduledBackup")}
    stores = by_name(documents, "ObjectStore")
    names = ["monitoring"] if cluster.kind == "hq" else [s.name for s in DEPLOYED]
    for name in names:
        container = deployments[name]["spec"]["template"]["spec"]["containers"][0]
        assert container["livenessProbe"]["httpGet"]["path"] == "/health"
        assert container["startupProbe"]["httpGet"]["path"] == "/health"
        assert container["readinessProbe"]["httpGet"]["path"] == "/ready"
        peak = PLATFORM["services"][name]["peak_rss_mib"]
        memory = container["resources"]["requests"]["memory"]
        assert memory == f"{generate.memory_request(peak)}Mi"
        assert peak * 1.25 <= int(memory.removesuffix("Mi")) < peak * 1.25 + 16
        env = {e["name"]: e for e in container["env"]}
        group = env["CONSUMER_GROUP"]["value"]
        assert group == env["KAFKA_SASL_USERNAME"]["value"]
        assert group in {p.name for p in cluster.principals}
        assert container["command"] == ["python", "-m", name]
        trigger = scaled[name]["spec"]["triggers"][0]
        assert trigger["type"] == "kafka"
        assert trigger["metadata"]["consumerGroup"] == group
        assert scaled[name]["spec"]["maxReplicaCount"] == cluster.partitions
        assert scaled[name]["spec"]["minReplicaCount"] == 1
        assert scaled[name]["spec"]["scaleTargetRef"]["name"] == name
        assert services[name]["spec"]["selector"] == {"app.kubernetes.io/name": name}
        database = databases[f"{name}-db"]["spec"]
        assert database["bootstrap"]["initdb"] == {"database": name, "owner": name}
        assert database["plugins"][0]["isWALArchiver"] is True
        store = stores[database["plugins"][0]["parameters"]["barmanObjectName"]]["spec"]
        assert store["configuration"]["destinationPath"].endswith(f"/{overlay}/{name}")
        assert backups[f"{name}-db"]["spec"]["method"] == "plugin"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_secrets_by_reference_only_and_images_by_name_and_tag(
    overlay: str, resources: dict[str, list[dict[str, Any]]]
) -> None:
    documents = resources[overlay]
    assert of_kind(documents, "Secret") == []
    text = json.dumps(documents)
    assert "@sha256:" not in text
    for deployment in of_kind(documents, "Deployment"):
        for container in deployment["spec"]["template"]["spec"]["containers"]:
            assert re.fullmatch(r"reintegration/[a-z-]+:\d+\.\d+\.\d+", container["image"])
            for variable in container.get("env", []):
                if re.search("PASSWORD|SECRET|DATABASE_URL", variable["name"]):
                    assert "value" not in variable, variable["name"]
                    assert "secretKeyRef" in variable["valueFrom"]
    for document in documents:
        if document["kind"] != "Namespace":
            assert document["metadata"]["namespace"] == f"reintegration-{overlay}"


def test_one_ingress_sends_the_app_the_dashboard_and_each_service_api(
    resources: dict[str, list[dict[str, Any]]],
) -> None:
    for overlay, documents in resources.items():
        (ingress,) = of_kind(documents, "Ingress")
        paths = {
            p["path"]: p["backend"]["service"]["name"]
            for p in ingress["spec"]["rules"][0]["http"]["paths"]
        }
        services = set(by_name(documents, "Service"))
        assert set(paths.values()) <= services
        assert paths["/(dashboard.*)"] == "monitoring"
        if DESCRIPTION.clusters[overlay].kind == "hq":
            assert paths == {"/api/monitoring/(.*)": "monitoring", "/(dashboard.*)": "monitoring"}
        else:
            assert paths["/(.*)"] == "staff-app"
            for service in DEPLOYED:
                assert paths[f"/api/{service.name}/(.*)"] == service.name
        rewrite = ingress["metadata"]["annotations"]["nginx.ingress.kubernetes.io/rewrite-target"]
        assert rewrite == "/$1"
        assert all(p.count("(") == 1 for p in paths)  # one capture group: what $1 keeps


def test_mirror_maker_copies_event_topics_only_into_the_declared_hq_topics(
    resources: dict[str, list[dict[str, Any]]],
) -> None:
    (mirror,) = of_kind(resources["hq"], "KafkaMirrorMaker2")
    hq_topics = set(by_name(resources["hq"], "KafkaTopic"))
    sources = {m["source"]["alias"]: m for m in mirror["spec"]["mirrors"]}
    assert set(sources) == set(DESCRIPTION.clusters["hq"].mirrors)
    for alias, entry in sources.items():
        pattern = re.compile(entry["topicsPattern"])
        for topic in DESCRIPTION.cluster(alias).topics:
            mirrored = pattern.fullmatch(topic.name) is not None
            assert mirrored == (topic.kind == "event"), topic.name
            assert (f"{alias}.{topic.name}" in hq_topics) == mirrored
        config = entry["sourceConnector"]["config"]
        assert config["offset-syncs.topic.location"] == "target"
        assert entry["source"]["authentication"]["username"] == "mirrormaker"
    assert mirror["spec"]["target"]["authentication"]["username"] == "mirrormaker"
    country = of_kind(resources["country-bf"], "Kafka")[0]["spec"]["kafka"]["listeners"]
    assert [lst["name"] for lst in country] == ["tls", "external"]
    hq = of_kind(resources["hq"], "Kafka")[0]["spec"]["kafka"]["listeners"]
    assert [lst["name"] for lst in hq] == ["tls"]


def test_the_vendored_schemas_name_their_sources() -> None:
    schemas = REPO / "deploy" / "schemas"
    provenance = (schemas / "PROVENANCE.md").read_text()
    crds = sorted(str(p.relative_to(schemas / "crds")) for p in (schemas / "crds").rglob("*.json"))
    assert crds
    for crd in crds:
        assert crd in provenance
    for source in (
        "kubernetes-validate==1.37.0",
        "github.com/cloudnative-pg/cloudnative-pg@v1.30.1",
        "github.com/cloudnative-pg/plugin-barman-cloud@v0.15.0",
        "github.com/kedacore/keda/v2@v2.21.0",
        "io.strimzi:api:1.2.0",
        "github.com/compose-spec/compose-go/v2@v2.16.2",
    ):
        assert source in provenance
    kinds = Counter(p.parent.name for p in (schemas / "crds").rglob("*.json"))
    assert kinds["kafka.strimzi.io"] >= 9
    assert kinds["postgresql.cnpg.io"] >= 10
    assert kinds["keda.sh"] >= 4
