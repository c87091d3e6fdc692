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
    INTAKE = "intake"
    TRAINING = "training"
    COMMITTEE = "committee"
    PROCUREMENT = "procurement"
    MONITORING = "monitoring"


class TopicError(ValueError):
    """A topic name or country office that does not follow the naming rule."""


def topic_for(country_office: str, domain: Domain | str) -> str:
    """The event topic of one domain in one country office."""
    if not is_country_code(country_office):
        raise TopicError(f"{country_office!r} is not a lower-case ISO 3166-1 alpha-2 code")
    return f"{TOPIC_ROOT}.{country_office}.{Domain(domain).value}"


def dead_letter_topic(topic: str) -> str:
    """Where messages from `topic` that cannot be read or applied are parked, with a reason."""
    return topic + DLQ_SUFFIX


def domain_pattern(domain: Domain | str) -> str:
    """A regex matching the event topics of one domain across every country office."""
    return rf"^{TOPIC_ROOT}\.[a-z]{{2}}\.{re.escape(Domain(domain).value)}$"


def all_domains_pattern() -> str:
    """A regex matching every event topic of every office (what HQ subscribes to)."""
    names = "|".join(d.value for d in Domain)
    return rf"^{TOPIC_ROOT}\.[a-z]{{2}}\.({names})$"


_TOPIC = re.compile(rf"^{TOPIC_ROOT}\.([a-z]{{2}})\.([a-z]+)$")


def parse_topic(topic: str) -> tuple[str, Domain]:
    """Split an event topic into its country office and domain."""
    match = _TOPIC.match(topic)
    if match is None or match.group(2) not in Domain.__members__.values():
        raise TopicError(f"{topic!r} is not an event topic")
    return match.group(1), Domain(match.group(2))
