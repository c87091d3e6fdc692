"""The bus description (deploy/bus.toml) expanded into each cluster's topics and ACLs.

Standard library only: the local stack script runs before any virtualenv exists, and the SASL
set-up of the local broker applies the same expansion as the Kubernetes generator. One reader
of one file keeps the two from drifting apart.

Rules (issue 17):
- a service writes only its own domain's topics and the dead letters of what it consumes, and
  reads only what it consumes;
- a country mission writes only its own domains' topics under `reintegration.<cc>.` (and the
  dead letters of its office's topics) and reads its office's prefix;
- a partner reads only `partners.<id>.`;
- HQ reads `reintegration.` (on the HQ cluster: the mirrored `<alias>.reintegration.`), never a
  partner's feed;
- every principal's consumer groups are its name or start with `<name>.`;
- a service's relay commits through the shared checkpoint topic under transactional ids that
  start with `<service>.` (so one service can never fence another's relay).

    python3 deploy/bus.py check                      # validate, print counts per cluster
    python3 deploy/bus.py show --cluster local [--offices bf,ml]   # JSON: topics, principals
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import json
import re
import sys
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_PATH = HERE / "bus.toml"
COUNTRIES_MODULE = HERE.parent / "contracts/src/reintegration_contracts/countries.py"

# Same shape as contracts' topic names: a domain is lower-case letters only.
_DOMAIN = re.compile(r"^[a-z]+$")
# Principals and partner ids become Kubernetes names (KafkaUser, Secret): DNS labels, no dots,
# so that the group prefix `<name>.` of one principal can never match another's groups.
_NAME = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
CLUSTER_KINDS = ("single", "country", "hq")

# Kafka grants Describe with Read, Write, Delete or Alter, and DescribeConfigs with AlterConfigs.
IMPLIED_BY = {"Describe": {"Read", "Write", "Delete", "Alter"}, "DescribeConfigs": {"AlterConfigs"}}
READ = ("Describe", "Read")
WRITE = ("Describe", "Write")
CREATE = ("Create", "Describe")


class BusError(ValueError):
    """The description contradicts itself or the naming rules; the message lists every problem."""


@dataclass(frozen=True, order=True)
class Resource:
    """A Kafka ACL resource: a topic, a consumer group or the cluster, by name or by prefix."""

    type: str
    name: str
    pattern: str = "literal"


@dataclass(frozen=True)
class Acl:
    """Operations allowed on one resource (Kafka's names: Read, Write, Create, Describe, ...)."""

    resource: Resource
    operations: tuple[str, ...]


@dataclass(frozen=True)
class Principal:
    """A SCRAM user and what it may do; `kind` is service, mission, partner, hq or mirror."""

    name: str
    kind: str
    acls: tuple[Acl, ...]

    def allows(self, operation: str, resource_type: str, name: str) -> bool:
        """Would Kafka's StandardAuthorizer allow this with these (allow-only) ACLs?"""
        for acl in self.acls:
            resource = acl.resource
            if resource.type != resource_type:
                continue
            if resource.pattern == "prefix":
                matches = name.startswith(resource.name)
            else:
                matches = name == resource.name or resource.name == "*"
            granted = set(acl.operations)
            implied = IMPLIED_BY.get(operation, set())
            if matches and ("All" in granted or operation in granted or granted & implied):
                return True
        return False


@dataclass(frozen=True)
class Topic:
    """A topic the platform creates itself; `kind` is event, dlq, partner-feed or mirrored."""

    name: str
    kind: str
    partitions: int
    replication_factor: int
    config: Mapping[str, str]


@dataclass(frozen=True)
class ClusterBus:
    """Everything one cluster needs: its offices, topics, principals and super users."""

    name: str
    kind: str
    offices: tuple[str, ...]
    partitions: int
    replication_factor: int
    topics: tuple[Topic, ...]
    principals: tuple[Principal, ...]
    superusers: tuple[str, ...] = ()
    precreate_topics: bool = True
    mirrors: tuple[str, ...] = ()

    def principal(self, name: str) -> Principal:
        """The principal called `name` on this cluster (KeyError if it has none)."""
        for principal in self.principals:
            if principal.name == name:
                return principal
        raise KeyError(name)


@dataclass(frozen=True)
class Service:
    name: str
    domain: str
    consumes: tuple[str, ...]
    port: int
    deployed: bool = True
    writes_partner_feeds: bool = False


@dataclass(frozen=True)
class Mission:
    office: str
    domains: tuple[str, ...]
    consumed_by: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def principal(self) -> str:
        return f"mission-{self.office}"


@dataclass(frozen=True)
class Partner:
    id: str
    offices: tuple[str, ...]

    @property
    def principal(self) -> str:
        return f"partner-{self.id}"


@dataclass(frozen=True)
class Cluster:
    name: str
    kind: str
    offices: tuple[str, ...] | None  # None: every ISO 3166-1 code
    partitions: int
    replication_factor: int
    mirrors: tuple[str, ...] = ()
    services_create_topics: bool = False
    precreate_topics: bool = True
    superusers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Description:
    """deploy/bus.toml, parsed and checked; `cluster(name)` expands one cluster."""

    root: str
    dlq_suffix: str
    partner_feed: str
    event_config: Mapping[str, str]
    dlq_config: Mapping[str, str]
    partner_config: Mapping[str, str]
    offices: Mapping[str, str]
    services: tuple[Service, ...]
    missions: tuple[Mission, ...]
    partners: tuple[Partner, ...]
    hq_principal: str
    mirror_principal: str
    connect_group: str
    connect_topics: tuple[str, ...]
    offset_syncs_prefix: str
    clusters: Mapping[str, Cluster]
    checkpoint_topic: str = "platform-relay-checkpoints"

    # ------------------------------------------------------------------ names

    def topic(self, office: str, domain: str) -> str:
        return f"{self.root}.{office}.{domain}"

    def dlq(self, topic: str) -> str:
        return topic + self.dlq_suffix

    def feed(self, partner: Partner) -> str:
        return self.partner_feed.format(partner=partner.id)

    def feed_prefix(self, partner: Partner) -> str:
        return self.partner_feed.split("{partner}")[0] + partner.id + "."

    @property
    def platform_domains(self) -> tuple[str, ...]:
        return tuple(s.domain for s in self.services)

    def mission_of(self, office: str) -> Mission | None:
        return next((m for m in self.missions if m.office == office), None)

    def domains_of(self, office: str) -> tuple[str, ...]:
        """The domains with a topic in `office`: the platform's, then its mission's own."""
        mission = self.mission_of(office)
        return self.platform_domains + (mission.domains if mission else ())

    def offices_of(self, cluster: Cluster) -> tuple[str, ...]:
        if cluster.kind == "hq":
            return tuple(
                sorted({o for m in cluster.mirrors for o in self.offices_of(self.clusters[m])})
            )
        return cluster.offices if cluster.offices is not None else all_country_codes()

    # -------------------------------------------------------------- expansion

    def cluster(self, name: str, offices: Sequence[str] | None = None) -> ClusterBus:
        """Topics and principals of cluster `name` (`offices` narrows a "*" cluster)."""
        try:
            cluster = self.clusters[name]
        except KeyError:
            raise BusError(f"no cluster {name!r}; known: {', '.join(self.clusters)}") from None
        if offices is not None:
            if cluster.kind == "hq":
                raise BusError("an hq cluster's offices are those of the clusters it mirrors")
            unknown = sorted(set(offices) - set(self.offices_of(cluster)))
            if unknown:
                raise BusError(f"cluster {name!r} does not host {', '.join(unknown)}")
            cluster = Cluster(**{**asdict(cluster), "offices": tuple(sorted(offices))})
        if cluster.kind == "hq":
            return self._hq_cluster(cluster)
        return self._office_cluster(cluster)

    def _office_cluster(self, cluster: Cluster) -> ClusterBus:
        offices = self.offices_of(cluster)
        topics: list[Topic] = []
        for office in offices:
            for domain in self.domains_of(office):
                event = self.topic(office, domain)
                topics.append(self._topic(cluster, event, "event", self.event_config))
                topics.append(self._topic(cluster, self.dlq(event), "dlq", self.dlq_config))
        partners = [p for p in self.partners if set(p.offices) & set(offices)]
        topics += [self._topic(cluster, self.feed(p), "partner-feed", self.partner_config)
                   for p in partners]  # fmt: skip
        principals = [self._service(cluster, s, offices) for s in self.services]
        principals += [self._mission(cluster, m) for m in self.missions if m.office in offices]
        principals += [self._partner(p) for p in partners]
        if cluster.kind == "single":
            principals.append(self._hq([self.root + "."]))
        if cluster.kind == "country":
            principals.append(self._mirror_source(topics))
        return ClusterBus(
            name=cluster.name,
            kind=cluster.kind,
            offices=offices,
            partitions=cluster.partitions,
            replication_factor=cluster.replication_factor,
            topics=tuple(topics),
            principals=tuple(principals),
            superusers=cluster.superusers,
            precreate_topics=cluster.precreate_topics,
        )

    def _hq_cluster(self, cluster: Cluster) -> ClusterBus:
        topics: list[Topic] = []
        for source in cluster.mirrors:
            for topic in self.cluster(source).topics:
                if topic.kind == "event":
                    mirrored = f"{source}.{topic.name}"
                    topics.append(self._topic(cluster, mirrored, "mirrored", self.event_config))
        principals = [
            self._hq([f"{source}.{self.root}." for source in cluster.mirrors]),
            self._mirror_target(cluster),
        ]
        return ClusterBus(
            name=cluster.name,
            kind=cluster.kind,
            offices=self.offices_of(cluster),
            partitions=cluster.partitions,
            replication_factor=cluster.replication_factor,
            topics=tuple(topics),
            principals=tuple(principals),
            superusers=cluster.superusers,
            precreate_topics=cluster.precreate_topics,
            mirrors=cluster.mirrors,
        )

    def _topic(self, cluster: Cluster, name: str, kind: str, config: Mapping[str, str]) -> Topic:
        config = dict(config)
        if cluster.replication_factor > 1:
            # acks=all then survives one broker down without accepting writes on one copy only.
            config["min.insync.replicas"] = str(min(2, cluster.replication_factor))
        return Topic(name, kind, cluster.partitions, cluster.replication_factor, config)

    def _service(self, cluster: Cluster, service: Service, offices: Sequence[str]) -> Principal:
        grants = _Grants()
        consumed = [self.topic(o, d) for o in offices for d in service.consumes]
        for office in offices:
            mission = self.mission_of(office)
            if mission:
                consumed += [
                    self.topic(office, d)
                    for d in mission.domains
                    if service.name in mission.consumed_by.get(d, ())
                ]
        own = [self.topic(o, service.domain) for o in offices]
        grants.topics(own, WRITE)
        grants.topics(consumed, READ)
        grants.topics([self.dlq(t) for t in consumed], WRITE)
        # The relay resumes from its last checkpoint (read) and commits the next one in the
        # transaction of the events it publishes (write), under ids only this service holds.
        grants.topics([self.checkpoint_topic], (*READ, "Write"))
        grants.add(Resource("transactionalId", service.name + ".", "prefix"), WRITE)
        if service.writes_partner_feeds:
            partners = [p for p in self.partners if set(p.offices) & set(offices)]
            grants.topics([self.feed(p) for p in partners], WRITE)
        if cluster.services_create_topics:
            created = [*own, *consumed, *(self.dlq(t) for t in consumed), self.checkpoint_topic]
            grants.topics(created, CREATE)
        grants.groups(service.name)
        return grants.principal(service.name, "service")

    def _mission(self, cluster: Cluster, mission: Mission) -> Principal:
        grants = _Grants()
        own = [self.topic(mission.office, d) for d in mission.domains]
        office_topics = [self.topic(mission.office, d) for d in self.domains_of(mission.office)]
        grants.topics(own, WRITE)
        grants.topics([self.dlq(t) for t in office_topics], WRITE)
        grants.prefix(f"{self.root}.{mission.office}.", READ)
        if cluster.services_create_topics:
            grants.topics([*own, *(self.dlq(t) for t in office_topics)], CREATE)
        grants.groups(mission.principal)
        return grants.principal(mission.principal, "mission")

    def _partner(self, partner: Partner) -> Principal:
        grants = _Grants()
        grants.prefix(self.feed_prefix(partner), READ)
        grants.groups(partner.principal)
        return grants.principal(partner.principal, "partner")

    def _hq(self, prefixes: Iterable[str]) -> Principal:
        grants = _Grants()
        for prefix in prefixes:
            grants.prefix(prefix, READ)
        grants.groups(self.hq_principal)
        return grants.principal(self.hq_principal, "hq")

    def _mirror_source(self, topics: Sequence[Topic]) -> Principal:
        # Read-only on a country cluster: event topics by name (never a dead letter or a
        # partner's feed), their configs, and the services' groups for offset translation.
        grants = _Grants()
        grants.topics([t.name for t in topics if t.kind == "event"], (*READ, "DescribeConfigs"))
        for service in self.services:
            grants.add(Resource("group", service.name), ("Describe",))
            grants.add(Resource("group", service.name + ".", "prefix"), ("Describe",))
        return grants.principal(self.mirror_principal, "mirror")

    def _mirror_target(self, cluster: Cluster) -> Principal:
        grants = _Grants()
        remote = ("Create", "Describe", "DescribeConfigs", "Write")
        for source in cluster.mirrors:
            # `<alias>.` covers the mirrored topics and `<alias>.checkpoints.internal`.
            grants.prefix(f"{source}.", (*remote, "Read"))
        grants.prefix(self.offset_syncs_prefix, ("Create", "Describe", "Read", "Write"))
        grants.topics(
            self.connect_topics, ("Create", "Describe", "DescribeConfigs", "Read", "Write")
        )
        grants.add(Resource("group", self.connect_group), ("Describe", "Read"))
        return grants.principal(self.mirror_principal, "mirror")


class _Grants:
    """Collects operations per resource so each resource appears once, operations sorted."""

    def __init__(self) -> None:
        self._ops: dict[Resource, set[str]] = defaultdict(set)

    def add(self, resource: Resource, operations: Iterable[str]) -> None:
        self._ops[resource].update(operations)

    def topics(self, names: Iterable[str], operations: Iterable[str]) -> None:
        ops = tuple(operations)
        for name in names:
            self.add(Resource("topic", name), ops)

    def prefix(self, prefix: str, operations: Iterable[str]) -> None:
        self.add(Resource("topic", prefix, "prefix"), operations)

    def groups(self, principal: str) -> None:
        self.add(Resource("group", principal), ("Read",))
        self.add(Resource("group", principal + ".", "prefix"), ("Read",))

    def principal(self, name: str, kind: str) -> Principal:
        acls = tuple(Acl(r, tuple(sorted(self._ops[r]))) for r in sorted(self._ops))
        return Principal(name, kind, acls)


# ---------------------------------------------------------------------- loading


@functools.cache
def all_country_codes() -> tuple[str, ...]:
    """Every ISO 3166-1 alpha-2 code, from contracts (loaded by path: no virtualenv needed)."""
    spec = importlib.util.spec_from_file_location("_bus_countries", COUNTRIES_MODULE)
    if spec is None or spec.loader is None:  # pragma: no cover - the file is in the repo
        raise BusError(f"cannot load {COUNTRIES_MODULE}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return tuple(sorted(module.COUNTRY_CODES))


def load(path: Path = DEFAULT_PATH) -> Description:
    """Parse and check the description; BusError lists every problem found."""
    with path.open("rb") as handle:
        raw = tomllib.load(handle)
    return parse(raw)


def parse(raw: Mapping[str, Any]) -> Description:
    """Build a Description from parsed TOML (tests pass dicts of their own)."""
    problems: list[str] = []
    if raw.get("version") != 1:
        problems.append(f"version must be 1, not {raw.get('version')!r}")
    topics = raw.get("topics", {})
    services = tuple(
        Service(
            name=name,
            domain=entry["domain"],
            consumes=tuple(entry.get("consumes", ())),
            port=int(entry["port"]),
            deployed=bool(entry.get("deployed", True)),
            writes_partner_feeds=bool(entry.get("writes_partner_feeds", False)),
        )
        for name, entry in raw.get("services", {}).items()
    )
    missions = tuple(
        Mission(
            office=office,
            domains=tuple(entry.get("domains", ())),
            consumed_by={d: tuple(s) for d, s in entry.get("consumed_by", {}).items()},
        )
        for office, entry in raw.get("missions", {}).items()
    )
    partners = tuple(
        Partner(id=pid, offices=tuple(entry.get("offices", ())))
        for pid, entry in raw.get("partners", {}).items()
    )
    clusters = {
        name: Cluster(
            name=name,
            kind=entry.get("kind", ""),
            offices=None if entry.get("offices") == "*" else tuple(entry.get("offices", ())),
            partitions=int(entry.get("partitions", 3)),
            replication_factor=int(entry.get("replication_factor", 1)),
            mirrors=tuple(entry.get("mirrors", ())),
            services_create_topics=bool(entry.get("services_create_topics", False)),
            precreate_topics=bool(entry.get("precreate_topics", True)),
            superusers=tuple(entry.get("superusers", ())),
        )
        for name, entry in raw.get("clusters", {}).items()
    }
    mirror = raw.get("mirror", {})
    description = Description(
        root=topics.get("root", "reintegration"),
        dlq_suffix=topics.get("dlq_suffix", ".dlq"),
        partner_feed=topics.get("partner_feed", "partners.{partner}.events"),
        event_config=dict(topics.get("event_config", {})),
        dlq_config=dict(topics.get("dlq_config", {})),
        partner_config=dict(topics.get("partner_config", {})),
        offices=dict(raw.get("offices", {})),
        services=services,
        missions=missions,
        partners=partners,
        hq_principal=raw.get("hq", {}).get("principal", "hq"),
        mirror_principal=mirror.get("principal", "mirrormaker"),
        connect_group=mirror.get("connect_group", "mirrormaker2-cluster"),
        connect_topics=tuple(mirror.get("connect_topics", ())),
        offset_syncs_prefix=mirror.get("offset_syncs_prefix", "mm2-offset-syncs."),
        clusters=clusters,
        checkpoint_topic=raw.get("relay", {}).get("checkpoint_topic", "platform-relay-checkpoints"),
    )
    problems += _problems(description)
    if problems:
        raise BusError("deploy/bus.toml: " + "; ".join(problems))
    return description


def _problems(d: Description) -> list[str]:
    problems: list[str] = []
    codes = set(all_country_codes())
    for office in d.offices:
        if office not in codes:
            problems.append(f"office {office!r} is not a lower-case ISO 3166-1 alpha-2 code")
    domains = d.platform_domains
    if len(set(domains)) != len(domains):
        problems.append("two services write the same domain")
    for service in d.services:
        for domain in (service.domain, *service.consumes):
            if not _DOMAIN.match(domain):
                problems.append(f"service {service.name}: domain {domain!r} is not [a-z]+")
        unknown = sorted(set(service.consumes) - set(domains))
        if unknown:
            problems.append(f"service {service.name} consumes unknown domains {unknown}")
    for mission in d.missions:
        if mission.office not in d.offices:
            problems.append(f"mission {mission.office!r} is not an office listed in [offices]")
        for domain in mission.domains:
            if not _DOMAIN.match(domain) or domain in domains:
                problems.append(
                    f"mission {mission.office}: domain {domain!r} is taken or not [a-z]+"
                )
        for domain, readers in mission.consumed_by.items():
            if domain not in mission.domains:
                problems.append(f"mission {mission.office}: consumed_by names {domain!r}")
            unknown = sorted(set(readers) - {s.name for s in d.services})
            if unknown:
                problems.append(f"mission {mission.office}: {domain} read by unknown {unknown}")
    for partner in d.partners:
        unknown = sorted(set(partner.offices) - set(d.offices))
        if unknown:
            problems.append(f"partner {partner.id} works with unlisted offices {unknown}")
    names = [s.name for s in d.services] + [m.principal for m in d.missions]
    names += [p.principal for p in d.partners] + [d.hq_principal, d.mirror_principal]
    for name in names:
        if not _NAME.match(name):
            problems.append(f"principal {name!r} is not a DNS label (a-z, 0-9, '-')")
    if len(set(names)) != len(names):
        problems.append(f"principal names repeat: {sorted(n for n in names if names.count(n) > 1)}")
    hosted: dict[str, str] = {}
    for cluster in d.clusters.values():
        problems += _cluster_problems(d, cluster, hosted)
    return problems


def _cluster_problems(d: Description, cluster: Cluster, hosted: dict[str, str]) -> list[str]:
    problems: list[str] = []
    if cluster.kind not in CLUSTER_KINDS:
        problems.append(f"cluster {cluster.name}: kind must be one of {CLUSTER_KINDS}")
    if not _NAME.match(cluster.name):
        problems.append(f"cluster name {cluster.name!r} is not a DNS label")
    if cluster.partitions < 1 or cluster.replication_factor < 1:
        problems.append(f"cluster {cluster.name}: partitions and replication_factor must be >= 1")
    if cluster.kind == "hq":
        for source in cluster.mirrors:
            if d.clusters.get(source) is None or d.clusters[source].kind != "country":
                problems.append(f"cluster {cluster.name} mirrors {source!r}, not a country cluster")
    elif cluster.offices is not None:
        unknown = sorted(set(cluster.offices) - set(d.offices))
        if unknown:
            problems.append(f"cluster {cluster.name} hosts unlisted offices {unknown}")
    if cluster.kind == "country":
        for office in cluster.offices or ():
            if office in hosted:
                problems.append(
                    f"office {office} is in clusters {hosted[office]} and {cluster.name}"
                )
            hosted[office] = cluster.name
    return problems


# ------------------------------------------------------------------------- CLI


def as_json(bus: ClusterBus) -> dict[str, Any]:
    """The expansion as plain JSON: what an apply step (kafka-acls, AdminClient) needs."""
    return {
        "cluster": bus.name,
        "kind": bus.kind,
        "offices": list(bus.offices),
        "precreate_topics": bus.precreate_topics,
        "superusers": list(bus.superusers),
        "topics": [asdict(t) | {"config": dict(t.config)} for t in bus.topics],
        "principals": [
            {
                "name": p.name,
                "kind": p.kind,
                "acls": [
                    {
                        "resource_type": a.resource.type,
                        "name": a.resource.name,
                        "pattern": a.resource.pattern,
                        "operations": list(a.operations),
                    }
                    for a in p.acls
                ],
            }
            for p in bus.principals
        ],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--file", type=Path, default=DEFAULT_PATH)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="validate and print counts per cluster")
    show = commands.add_parser("show", help="one cluster's topics and principals as JSON")
    show.add_argument("--cluster", required=True)
    show.add_argument("--offices", help="comma list narrowing a cluster with offices = '*'")
    args = parser.parse_args(argv)
    try:
        description = load(args.file)
        if args.command == "check":
            for name in description.clusters:
                bus = description.cluster(name)
                acls = sum(len(p.acls) for p in bus.principals)
                print(
                    f"{name:12} {bus.kind:8} offices={len(bus.offices):3} "
                    f"topics={len(bus.topics):5} principals={len(bus.principals):2} acls={acls}"
                )
            return 0
        offices = args.offices.split(",") if args.offices else None
        json.dump(as_json(description.cluster(args.cluster, offices)), sys.stdout, indent=2)
        print()
        return 0
    except BusError as error:
        print(error, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
