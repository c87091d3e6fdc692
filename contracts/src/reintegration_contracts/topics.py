"""Topic names: `reintegration.<cc>.<domain>`, and their dead-letter twins.

Prefixing by country office lets each mission hold its own Kafka ACL prefix while HQ reads
every office with one pattern subscription.
"""

import re
from enum import StrEnum
from typing import Final

from reintegration_contracts.countries import is_country_code

TOPIC_ROOT: Final = "reintegration"
DLQ_SUFFIX: Final = ".dlq"


class Domain(StrEnum):
    """The platform's own domains. A country mission's service adds domains of its own with
    `register_domain`: the set of domains is open, these five are only the first."""

    INTAKE = "intake"
    TRAINING = "training"
    COMMITTEE = "committee"
    PROCUREMENT = "procurement"
    MONITORING = "monitoring"


class TopicError(ValueError):
    """A topic name or country office that does not follow the naming rule."""


DomainName = str
_DOMAIN_NAME = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
_owners: dict[str, str] = {domain.value: "platform" for domain in Domain}


def register_domain(name: str, owner: str) -> str:
    """Register the domain a service publishes under `reintegration.<cc>.<name>`.

    `owner` names who publishes it (a mission's package, say), so two packages cannot claim
    one domain by accident. Registering again for the same owner is harmless."""
    if not _DOMAIN_NAME.match(name):
        raise TopicError(f"{name!r} is not a domain name (lower case, digits, underscores)")
    if name.endswith("_dlq"):
        raise TopicError(f"{name!r}: a domain name must not look like a dead-letter topic")
    known = _owners.setdefault(name, owner)
    if known != owner:
        raise TopicError(f"domain {name!r} is already registered by {known}")
    return name


def registered_domains() -> tuple[str, ...]:
    """Every domain known to this process: the platform's, then the missions' in order."""
    return tuple(_owners)


def platform_domains() -> tuple[str, ...]:
    """The domains the platform itself publishes: the five, and those it registered since
    (programme), whose schemas are checked in under contracts/schemas."""
    return tuple(name for name, owner in _owners.items() if owner == "platform")


def domain_name(domain: Domain | str) -> str:
    """The registered domain's name; TopicError for a domain nobody registered."""
    name = str(domain.value if isinstance(domain, Domain) else domain)
    if name not in _owners:
        raise TopicError(f"{name!r} is not a registered domain")
    return name


def topic_for(country_office: str, domain: Domain | str) -> str:
    """The event topic of one domain in one country office."""
    if not is_country_code(country_office):
        raise TopicError(f"{country_office!r} is not a lower-case ISO 3166-1 alpha-2 code")
    return f"{TOPIC_ROOT}.{country_office}.{domain_name(domain)}"


def dead_letter_topic(topic: str) -> str:
    """Where messages from `topic` that cannot be read or applied are parked, with a reason."""
    return topic + DLQ_SUFFIX


def domain_pattern(domain: Domain | str) -> str:
    """A regex matching the event topics of one domain across every country office."""
    return rf"^{TOPIC_ROOT}\.[a-z]{{2}}\.{re.escape(domain_name(domain))}$"


def all_domains_pattern() -> str:
    """A regex matching every event topic of every office, missions' domains included, and
    no dead-letter topic (what HQ subscribes to)."""
    return rf"^{TOPIC_ROOT}\.[a-z]{{2}}\.[a-z][a-z0-9_]*$"


_TOPIC = re.compile(rf"^{TOPIC_ROOT}\.([a-z]{{2}})\.([a-z][a-z0-9_]*)$")


def parse_topic(topic: str) -> tuple[str, str]:
    """Split an event topic into its country office and domain (registered here or not)."""
    match = _TOPIC.match(topic)
    if match is None or not is_country_code(match.group(1)):
        raise TopicError(f"{topic!r} is not an event topic")
    return match.group(1), match.group(2)
