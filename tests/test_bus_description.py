"""deploy/bus.toml expanded by deploy/bus.py: the topics and the ACLs issue 17 asks for.

The ACL checks read the expansion through `Principal.allows`, which applies Kafka's own
matching rules (literal or prefix resource, Describe implied by Read and Write). The broker
itself refusing the same requests is the SASL work's test; here the description is held to
the rules before any broker sees it.
"""

import json
import subprocess
import sys
from itertools import permutations
from pathlib import Path
from typing import Any

import pytest

from reintegration_contracts import Domain
from reintegration_sdk.testing.infrastructure import load_script

pytestmark = pytest.mark.deploy

REPO = Path(__file__).resolve().parents[1]
bus = load_script(REPO / "deploy" / "bus.py", "deploy_bus")
DESCRIPTION = bus.load()
BF = DESCRIPTION.cluster("country-bf")
ML = DESCRIPTION.cluster("country-ml")
HQ = DESCRIPTION.cluster("hq")
LOCAL = DESCRIPTION.cluster("local", offices=["bf", "ml", "ne"])


def topics_of(cluster: Any, kind: str | None = None) -> list[str]:
    return [t.name for t in cluster.topics if kind is None or t.kind == kind]


def all_names(cluster: Any) -> list[str]:
    return [*topics_of(cluster), "reintegration.zz.intake", "partners.other.events"]


def test_every_cluster_of_the_checked_in_description_expands() -> None:
    for name in DESCRIPTION.clusters:
        cluster = DESCRIPTION.cluster(name)
        assert cluster.topics or not cluster.precreate_topics
        assert cluster.principals


def test_the_description_consumes_what_the_services_code_consumes() -> None:
    from committee.app import definition as committee
    from intake.app import definition as intake
    from monitoring.app import definition as monitoring
    from procurement.app import definition as procurement
    from training.app import definition as training

    described = {s.name: set(s.consumes) for s in DESCRIPTION.services if s.deployed}
    in_code = {
        d.name: {str(x) for x in d.consumes}
        for d in (intake, training, committee, procurement, monitoring)
    }
    assert described == in_code
    assert {s.name: s.domain for s in DESCRIPTION.services if s.deployed} == {
        d.name: d.domain.value for d in (intake, training, committee, procurement, monitoring)
    }


def test_event_topics_keep_everything_and_each_has_its_dead_letter_twin() -> None:
    events = [t for t in BF.topics if t.kind == "event"]
    assert {t.name for t in events} >= {f"reintegration.bf.{d}" for d in Domain}
    for topic in events:
        assert topic.config["retention.ms"] == "-1"
        assert topic.config["cleanup.policy"] == "delete"
        assert topic.partitions == 3
        assert topic.replication_factor == 3
        assert topic.config["min.insync.replicas"] == "2"
        assert topic.name + ".dlq" in topics_of(BF, "dlq")
    assert "partners.sahel-sante.events" in topics_of(BF, "partner-feed")
    assert "partners.agadez-artisans.events" not in topics_of(BF)


def test_a_mission_domain_has_topics_in_its_own_office_only() -> None:
    assert "reintegration.ml.visits" in topics_of(ML, "event")
    assert "reintegration.ml.visits.dlq" in topics_of(ML, "dlq")
    assert not [t for t in topics_of(BF) if t.endswith(".visits")]


@pytest.mark.parametrize("service", DESCRIPTION.services, ids=lambda s: s.name)
def test_a_service_reads_only_what_it_consumes_and_writes_only_its_domain(service: Any) -> None:
    principal = BF.principal(service.name)
    consumed = {f"reintegration.bf.{d}" for d in service.consumes}
    own = {f"reintegration.bf.{service.domain}"}
    dead_letters = {t + ".dlq" for t in consumed}
    feeds = set(topics_of(BF, "partner-feed")) if service.writes_partner_feeds else set()
    for name in all_names(BF):
        assert principal.allows("Read", "topic", name) == (name in consumed), name
        assert principal.allows("Write", "topic", name) == (name in own | dead_letters | feeds)
        # Topics belong to the operator on Kubernetes: no service creates or deletes one.
        assert not principal.allows("Create", "topic", name)
        assert not principal.allows("Delete", "topic", name)


def test_training_may_not_read_committee_nor_intake_write_training() -> None:
    assert not BF.principal("training").allows("Read", "topic", "reintegration.bf.committee")
    assert not BF.principal("intake").allows("Write", "topic", "reintegration.bf.training")
    assert BF.principal("intake").allows("Write", "topic", "reintegration.bf.training.dlq")


def test_monitoring_reads_the_mission_domain_it_is_named_for() -> None:
    assert ML.principal("monitoring").allows("Read", "topic", "reintegration.ml.visits")
    assert not ML.principal("intake").allows("Read", "topic", "reintegration.ml.visits")


def test_a_mission_writes_only_its_own_domains_under_its_office_and_reads_its_prefix() -> None:
    mission = ML.principal("mission-ml")
    assert mission.allows("Write", "topic", "reintegration.ml.visits")
    assert mission.allows("Write", "topic", "reintegration.ml.intake.dlq")
    assert mission.allows("Read", "topic", "reintegration.ml.intake")
    assert mission.allows("Read", "topic", "reintegration.ml.visits")
    for foreign in ("reintegration.bf.intake", "reintegration.bf.visits", "partners.x.events"):
        assert not mission.allows("Write", "topic", foreign)
        assert not mission.allows("Read", "topic", foreign)
    # Under its own prefix, the platform's topics stay the platform services' to write.
    assert not mission.allows("Write", "topic", "reintegration.ml.intake")
    on_local = LOCAL.principal("mission-ml")
    assert not on_local.allows("Write", "topic", "reintegration.bf.visits")
    assert not on_local.allows("Read", "topic", "reintegration.bf.intake")


def test_a_partner_reads_only_its_own_feed_and_writes_nothing() -> None:
    partner = BF.principal("partner-sahel-sante")
    assert partner.allows("Read", "topic", "partners.sahel-sante.events")
    for name in [*all_names(BF), "partners.agadez-artisans.events", "partners.sahel-santex.events"]:
        if name != "partners.sahel-sante.events":
            assert not partner.allows("Read", "topic", name), name
        assert not partner.allows("Write", "topic", name)
    assert "partner-agadez-artisans" not in [p.name for p in BF.principals]


def test_hq_reads_every_office_and_never_a_partner_feed() -> None:
    hq = LOCAL.principal("hq")
    for name in topics_of(LOCAL, "event"):
        assert hq.allows("Read", "topic", name)
        assert not hq.allows("Write", "topic", name)
    for name in topics_of(LOCAL, "partner-feed"):
        assert not hq.allows("Read", "topic", name)
        assert not hq.allows("Describe", "topic", name)


def test_on_the_hq_cluster_hq_reads_the_mirrored_topics_only() -> None:
    hq = HQ.principal("hq")
    mirrored = topics_of(HQ, "mirrored")
    assert "country-bf.reintegration.bf.intake" in mirrored
    assert "country-ml.reintegration.ml.visits" in mirrored
    assert not [t for t in mirrored if t.endswith(".dlq") or "partners." in t.split(".", 1)[1]]
    for name in mirrored:
        assert hq.allows("Read", "topic", name)
        assert not hq.allows("Write", "topic", name)
    assert not hq.allows("Read", "topic", "mirrormaker2-cluster-offsets")


def test_the_mirror_only_reads_a_country_cluster_and_never_its_dead_letters_or_feeds() -> None:
    mirror = BF.principal("mirrormaker")
    for name in all_names(BF):
        assert mirror.allows("Read", "topic", name) == (name in topics_of(BF, "event")), name
        assert not mirror.allows("Write", "topic", name)
        assert not mirror.allows("Create", "topic", name)
    target = HQ.principal("mirrormaker")
    assert target.allows("Create", "topic", "country-bf.reintegration.bf.intake")
    assert target.allows("Write", "topic", "country-bf.checkpoints.internal")
    assert target.allows("Write", "topic", "mm2-offset-syncs.country-bf.internal")
    assert not target.allows("Write", "topic", "reintegration.bf.intake")


def test_consumer_groups_are_prefixed_per_principal_and_never_shared() -> None:
    for cluster in (BF, ML, HQ, LOCAL):
        for owner, other in permutations(cluster.principals, 2):
            if owner.kind != "mirror":
                assert owner.allows("Read", "group", owner.name)
                assert owner.allows("Read", "group", f"{owner.name}.replay-2026")
            assert not owner.allows("Read", "group", other.name), (owner.name, other.name)
            assert not owner.allows("Read", "group", f"{other.name}.x")


def test_the_local_cluster_lets_services_create_their_own_topics_only() -> None:
    intake = LOCAL.principal("intake")
    assert intake.allows("Create", "topic", "reintegration.ne.intake")
    assert intake.allows("Create", "topic", "reintegration.ne.training.dlq")
    assert not intake.allows("Create", "topic", "reintegration.ne.committee.dlq.dlq")
    assert not intake.allows("Create", "topic", "partners.sahel-sante.events")
    assert LOCAL.superusers == ("admin",)
    assert not LOCAL.precreate_topics
    assert len(DESCRIPTION.cluster("local").offices) == 249


def test_a_broken_description_names_every_problem() -> None:
    raw = {
        "version": 1,
        "offices": {"bf": "Burkina Faso", "xx": "Nowhere"},
        "services": {
            "intake": {"domain": "intake", "consumes": ["trainnig"], "port": 8101},
        },
        "missions": {"bf": {"domains": ["intake", "Visits"]}},
        "partners": {"Bad.Id": {"offices": ["ml"]}},
        "clusters": {
            "a": {"kind": "country", "offices": ["bf"]},
            "b": {"kind": "country", "offices": ["bf"]},
            "h": {"kind": "hq", "mirrors": ["nowhere"]},
        },
    }
    with pytest.raises(bus.BusError) as raised:
        bus.parse(raw)
    message = str(raised.value)
    for expected in (
        "'xx' is not a lower-case ISO 3166-1 alpha-2 code",
        "consumes unknown domains ['trainnig']",
        "domain 'intake' is taken",
        "domain 'Visits' is taken or not [a-z]+",
        "partner Bad.Id works with unlisted offices ['ml']",
        "principal 'partner-Bad.Id' is not a DNS label",
        "office bf is in clusters a and b",
        "mirrors 'nowhere', not a country cluster",
    ):
        assert expected in message


def test_the_cli_runs_on_the_standard_library_alone() -> None:
    # -S: no site-packages, as when the local stack applies the description before any venv.
    shown = subprocess.run(
        [sys.executable, "-S", str(REPO / "deploy" / "bus.py"), "show", "--cluster", "local",
         "--offices", "bf,ml"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    document = json.loads(shown.stdout)
    assert document["offices"] == ["bf", "ml"]
    assert document["superusers"] == ["admin"]
    intake = next(p for p in document["principals"] if p["name"] == "intake")
    assert {
        "resource_type": "topic",
        "name": "reintegration.ml.intake",
        "pattern": "literal",
        "operations": ["Create", "Describe", "Write"],
    } in intake["acls"]
    checked = subprocess.run(
        [sys.executable, "-S", str(REPO / "deploy" / "bus.py"), "check"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "country-bf" in checked.stdout
    refused = subprocess.run(
        [sys.executable, "-S", str(REPO / "deploy" / "bus.py"), "show", "--cluster", "country-bf",
         "--offices", "ml"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert refused.returncode == 2
    assert "does not host ml" in refused.stderr


def test_each_relay_commits_its_checkpoint_under_transactional_ids_of_its_own() -> None:
    for service in DESCRIPTION.services:
        principal = BF.principal(service.name)
        for operation in ("Read", "Write"):
            assert principal.allows(operation, "topic", "platform-relay-checkpoints")
        own_id = f"{service.name}.relay-0f8fad5b-d9cb-469f-a165-70867728950e-relay"
        assert principal.allows("Write", "transactionalId", own_id)
        for other in DESCRIPTION.services:
            if other.name != service.name:
                assert not principal.allows("Write", "transactionalId", f"{other.name}.relay-x")
    for name in ("partner-sahel-sante", "mirrormaker"):
        assert not BF.principal(name).allows("Write", "topic", "platform-relay-checkpoints")
