"""The verdict can fail: each defect the suite looks for, planted in otherwise clean evidence."""

import dataclasses
import uuid
from typing import Any

import pytest

from chaos.audit import Consumer, Evidence, Injected, StoredEvent, event_counts, judge
from chaos.kafka_reader import KafkaRecord
from chaos.malformed import Poison
from reintegration_scenarios.script import FunnelRow

pytestmark = pytest.mark.unit

OFFICE = "ml"
INTAKE, PROCUREMENT = "reintegration.ml.intake", "reintegration.ml.procurement"
MONITORING = Consumer(
    "monitoring",
    frozenset({"intake", "procurement"}),
    frozenset({"ReturneeRegistered", "KitOrdered"}),
)
PROCUREMENT_INBOX = Consumer("procurement", frozenset({"committee"}), frozenset({"PlanApproved"}))


def stored(
    service: str, stream: str, version: int, name: str, domain: str, **extra: Any
) -> StoredEvent:
    return StoredEvent(
        service,
        str(uuid.uuid4()),
        stream,
        version,
        name,
        domain,
        OFFICE,
        extra.pop("causation_id", None),
        extra,
    )


def on_kafka(event: StoredEvent, offset: int, partition: int = 0) -> KafkaRecord:
    topic = f"reintegration.{event.office}.{event.domain}"
    headers = (("ce_id", event.event_id.encode()), ("ce_type", f"x.{event.event_name}".encode()))
    return KafkaRecord(topic, partition, offset, event.stream_id.encode(), headers, b"{}", 2)


def dead_letter(origin: tuple[str, int, int], consumer: str, reason: str = "bad") -> KafkaRecord:
    topic, partition, offset = origin
    headers = (
        ("dlq_reason", reason.encode()),
        ("dlq_original_topic", topic.encode()),
        ("dlq_original_partition", str(partition).encode()),
        ("dlq_original_offset", str(offset).encode()),
        ("dlq_consumer", consumer.encode()),
    )
    return KafkaRecord(topic + ".dlq", 0, offset, None, headers, b"", 0)


REGISTERED = stored("intake", "returnee-1", 1, "ReturneeRegistered", "intake")
CONSENTED = stored("intake", "returnee-1", 2, "ConsentRecorded", "intake")
ORDERED = stored(
    "procurement",
    "order-1",
    1,
    "KitOrdered",
    "procurement",
    plan_id="p-1",
    causation_id="approval-1",
)
FUNNEL = [FunnelRow("registered", 1, 0), FunnelRow("kit delivered", 0, 1)]


def clean(**changes: Any) -> Evidence:
    events = [REGISTERED, CONSENTED, ORDERED]
    evidence = Evidence(
        office=OFFICE,
        offices=(OFFICE,),
        stored=events,
        published=[on_kafka(REGISTERED, 0), on_kafka(CONSENTED, 1), on_kafka(ORDERED, 0)],
        dead_letters=[],
        inboxes={"monitoring": {REGISTERED.event_id, ORDERED.event_id}, "procurement": set()},
        consumers=[MONITORING, PROCUREMENT_INBOX],
        expected_funnel=FUNNEL,
        observed_funnel=FUNNEL,
        baseline=event_counts(events, OFFICE),
    )
    return dataclasses.replace(evidence, **changes)


def test_clean_evidence_has_no_finding() -> None:
    findings = judge(clean())
    assert findings.problems == []
    assert (findings.total_lost, findings.total_duplicated, findings.to_dead_letter) == (0, 0, 0)


def test_a_stored_event_missing_from_its_topic_is_lost() -> None:
    findings = judge(clean(published=[on_kafka(REGISTERED, 0), on_kafka(ORDERED, 0)]))
    assert findings.lost == {"stored but never published": 1}
    assert CONSENTED.event_id in findings.problems[0]


def test_an_event_published_twice_is_a_duplicate() -> None:
    twice = [
        on_kafka(REGISTERED, 0),
        on_kafka(CONSENTED, 1),
        on_kafka(REGISTERED, 2),
        on_kafka(ORDERED, 0),
    ]
    findings = judge(clean(published=twice))
    assert findings.duplicated == {"published more than once": 1}


def test_a_stream_published_out_of_version_order_is_found() -> None:
    swapped = [on_kafka(CONSENTED, 0), on_kafka(REGISTERED, 1), on_kafka(ORDERED, 0)]
    findings = judge(clean(published=swapped))
    assert any("out of version order" in p for p in findings.problems)


def test_a_stream_split_over_partitions_is_found() -> None:
    split = [on_kafka(REGISTERED, 0), on_kafka(CONSENTED, 0, partition=2), on_kafka(ORDERED, 0)]
    assert any("several partitions" in p for p in judge(clean(published=split)).problems)


def test_an_event_a_consumer_handles_but_never_applied_is_lost() -> None:
    findings = judge(clean(inboxes={"monitoring": {REGISTERED.event_id}}))
    assert findings.lost == {"published but not applied by monitoring": 1}


def with_extra(event: StoredEvent) -> Evidence:
    """Clean evidence plus one more stored, published and applied event (no count baseline)."""
    base = clean()
    return clean(
        stored=[*base.stored, event],
        published=[*base.published, on_kafka(event, 5)],
        inboxes={"monitoring": {*base.inboxes["monitoring"], event.event_id}},
        baseline=None,
    )


def test_a_second_kit_order_for_one_approved_plan_is_a_duplicated_effect() -> None:
    # A new order id minted on redelivery: another stream, so only the plan tells.
    again = stored(
        "procurement",
        "order-2",
        1,
        "KitOrdered",
        "procurement",
        plan_id="p-1",
        causation_id="approval-1",
    )
    findings = judge(with_extra(again))
    assert findings.duplicated == {"kit orders for one approved plan": 1}


def test_a_reaction_appended_twice_in_its_stream_for_one_cause_is_a_duplicated_effect() -> None:
    again = stored(
        "procurement",
        "order-1",
        2,
        "KitOrdered",
        "procurement",
        plan_id="p-2",
        causation_id="approval-1",
    )
    findings = judge(with_extra(again))
    assert findings.duplicated == {"a reaction appended twice for one cause": 1}


def test_a_second_follow_up_schedule_for_one_delivery_is_a_duplicated_effect() -> None:
    first = stored(
        "monitoring",
        "follow-ups-r1",
        1,
        "FollowUpsScheduled",
        "monitoring",
        returnee_id="r1",
        order_id="o1",
        causation_id="delivery-1",
    )
    second = stored(
        "monitoring",
        "follow-ups-r1-b",
        1,
        "FollowUpsScheduled",
        "monitoring",
        returnee_id="r1",
        order_id="o1",
        causation_id="delivery-1-again",
    )
    base = with_extra(first)
    findings = judge(
        dataclasses.replace(
            base, stored=[*base.stored, second], published=[*base.published, on_kafka(second, 6)]
        )
    )
    assert findings.duplicated == {"follow-up schedules for one delivery": 1}


def test_more_or_fewer_events_than_the_run_without_fault_are_duplicates_or_losses() -> None:
    more = judge(
        clean(baseline={**event_counts(clean().stored, OFFICE), "intake/ConsentRecorded": 0})
    )
    assert more.duplicated == {"more events than the run without fault": 1}
    fewer = judge(clean(baseline={**event_counts(clean().stored, OFFICE), "training/X": 2}))
    assert fewer.lost == {"fewer events than the run without fault": 2}


def test_counts_are_not_compared_when_the_scenario_did_not_finish() -> None:
    assert judge(clean(baseline={"training/X": 2}, scenario_completed=False)).problems == []


def test_a_funnel_above_or_below_the_scenario_is_found_and_counted() -> None:
    above = judge(clean(observed_funnel=[FunnelRow("registered", 2, 0), FUNNEL[1]]))
    assert above.duplicated == {"funnel counts above the scenario's": 1}
    below = judge(clean(observed_funnel=[FUNNEL[0], FunnelRow("kit delivered", 0, 0)]))
    assert below.lost == {"funnel counts below the scenario's": 1}
    assert "registered 2/0 for 1/0" in above.problems[0]


def poison(kind: str, event_name: str | None, dead: bool = True, fresh: bool = True) -> Poison:
    return Poison(kind, INTAKE, b"k", b"x", (), event_name, str(uuid.uuid4()), dead, fresh)


def test_a_poison_is_dead_lettered_only_once_every_consumer_of_its_type_did_it() -> None:
    bad = Injected(poison("non_json", "ReturneeRegistered"), 0, 7)
    pending = judge(clean(injected=[bad]))
    assert (pending.dead_lettered, pending.to_dead_letter) == (0, 1)
    assert any("not by monitoring" in p for p in pending.problems)
    done = judge(clean(injected=[bad], dead_letters=[dead_letter(bad.coordinates, "monitoring")]))
    assert (done.dead_lettered, done.to_dead_letter, done.problems) == (1, 1, [])


def test_a_dead_letter_without_a_reason_does_not_count() -> None:
    bad = Injected(poison("non_json", "ReturneeRegistered"), 0, 7)
    copy = dead_letter(bad.coordinates, "monitoring", reason=" ")
    assert judge(clean(injected=[bad], dead_letters=[copy])).dead_lettered == 0


def test_a_poison_of_a_type_nobody_handles_needs_no_dead_letter_unless_its_type_is_unknown() -> (
    None
):
    unread = Injected(poison("non_json", "TrainingEnrolled"), 0, 8)
    untyped = Injected(poison("missing_headers", None), 0, 9)
    findings = judge(clean(injected=[unread, untyped]))
    assert findings.to_dead_letter == 2 and findings.dead_lettered == 1  # unread: nobody owes it
    assert any("missing_headers (not by monitoring)" in p for p in findings.problems)


def test_a_good_record_in_a_dead_letter_topic_is_lost() -> None:
    findings = judge(clean(dead_letters=[dead_letter((INTAKE, 0, 0), "monitoring", "timeout")]))
    assert findings.lost == {"good records dead-lettered": 1}


def test_a_plain_redelivery_must_not_be_dead_lettered() -> None:
    again = Injected(poison("redelivery", "ReturneeRegistered", dead=False, fresh=False), 0, 10)
    assert judge(clean(injected=[again])).problems == []
    copy = dead_letter(again.coordinates, "monitoring")
    assert any(
        "redelivery" in p for p in judge(clean(injected=[again], dead_letters=[copy])).problems
    )


def test_a_poison_whose_id_reached_an_inbox_was_applied() -> None:
    bad = Injected(poison("wrong_office", "ReturneeRegistered"), 0, 11)
    inboxes = {"monitoring": {REGISTERED.event_id, ORDERED.event_id, bad.poison.event_id or ""}}
    findings = judge(
        clean(
            injected=[bad],
            inboxes=inboxes,
            dead_letters=[dead_letter(bad.coordinates, "monitoring")],
        )
    )
    assert any("poison records applied: 1" in p for p in findings.problems)


def test_injected_records_are_not_mistaken_for_published_events() -> None:
    reused = Injected(poison("reused_id", "ReturneeRegistered", fresh=False), 0, 12)
    copy = dataclasses.replace(on_kafka(REGISTERED, 12), topic=INTAKE)
    findings = judge(
        clean(
            injected=[reused],
            published=[*clean().published, copy],
            dead_letters=[dead_letter(reused.coordinates, "monitoring")],
        )
    )
    assert findings.problems == [] and findings.total_duplicated == 0


@pytest.mark.parametrize(
    ("consumer", "kind", "name", "owed"),
    [
        (MONITORING, "non_json", "ReturneeRegistered", True),
        (MONITORING, "non_json", "TrainingEnrolled", False),
        (MONITORING, "missing_headers", None, True),
        (PROCUREMENT_INBOX, "missing_headers", None, False),  # it does not read intake
    ],
)
def test_who_owes_a_dead_letter(
    consumer: Consumer, kind: str, name: str | None, owed: bool
) -> None:
    assert consumer.must_dead_letter(poison(kind, name)) is owed
