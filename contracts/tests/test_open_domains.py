"""A country mission publishes under a domain of its own, on the same naming rule."""

import pytest

from reintegration_contracts import topics
from reintegration_contracts.topics import (
    TopicError,
    all_domains_pattern,
    domain_pattern,
    parse_topic,
    register_domain,
    registered_domains,
    topic_for,
)

pytestmark = pytest.mark.unit


@pytest.fixture(autouse=True)
def _registrations_stay_in_the_test(monkeypatch: pytest.MonkeyPatch) -> None:
    # The registry is process-wide; another test reading the platform's contract (the
    # checked-in AsyncAPI document) must not see these missions' domains.
    monkeypatch.setattr(topics, "_owners", dict(topics._owners))


def test_a_registered_domain_gets_topics_like_the_platforms() -> None:
    register_domain("water_points", owner="ml-mission")
    assert "water_points" in registered_domains()
    assert topic_for("ml", "water_points") == "reintegration.ml.water_points"
    assert parse_topic("reintegration.ml.water_points") == ("ml", "water_points")


def test_an_unregistered_domain_has_no_topic() -> None:
    with pytest.raises(TopicError, match="not a registered domain"):
        topic_for("ml", "nobody_registered_this")


def test_two_owners_cannot_claim_one_domain() -> None:
    register_domain("radio_spots", owner="sn-mission")
    register_domain("radio_spots", owner="sn-mission")  # again, same owner: harmless
    with pytest.raises(TopicError, match="already registered by sn-mission"):
        register_domain("radio_spots", owner="gm-mission")
    with pytest.raises(TopicError, match="already registered by platform"):
        register_domain("intake", owner="gm-mission")


@pytest.mark.parametrize("name", ["Visits", "1visits", "v", "visits-desk", "visits_dlq"])
def test_a_domain_name_follows_the_topic_rule(name: str) -> None:
    with pytest.raises(TopicError):
        register_domain(name, owner="someone")


def test_hq_reads_every_domain_but_no_dead_letters() -> None:
    import re

    everything = re.compile(all_domains_pattern())
    assert everything.match("reintegration.bf.intake")
    assert everything.match("reintegration.ml.water_points")
    assert not everything.match("reintegration.bf.intake.dlq")
    assert not everything.match("partners.ngo1.events")
    assert re.match(domain_pattern("intake"), "reintegration.ne.intake")
