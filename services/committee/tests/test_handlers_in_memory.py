"""The middle tier: committee's handlers and its budget-review policy on the real deciders and
the SDK's command path, with the event store in memory and Kafka replaced by FastStream's
TestKafkaBroker. Each test compares the very payloads the stream holds afterwards."""

import pytest
from faststream.kafka import TestKafkaBroker

from committee import handlers, policies
from committee.domain import plan_stream, plans, session_stream
from reintegration_sdk import ConcurrencyError, RuleViolation
from reintegration_sdk.testing.memory import (
    InMemoryEventStore,
    deliver,
    in_memory_work,
    reaction_broker,
)
from reintegration_sdk.testing.service import upstream_event

from .domain_builders import (
    PLAN_ID,
    REVIEWED,
    a_holding,
    a_review,
    a_session,
    approve_in,
    plan_approved,
    plan_submitted,
    review_noted,
)

pytestmark = pytest.mark.middle

OFFICE, OTHER_OFFICE = "bf", "ml"


async def test_holding_a_session_appends_the_session_held() -> None:
    store = InMemoryEventStore()

    events = await handlers.hold_session(in_memory_work(store, OFFICE), a_holding())

    assert events == [a_session()]
    assert store.payloads(session_stream(a_session().session_id)) == [a_session()]
    assert [e.country_office for e in store.events()] == [OFFICE]


async def test_a_decision_finds_the_session_this_office_held() -> None:
    store = InMemoryEventStore()
    await store.given(plan_stream(PLAN_ID), REVIEWED, OFFICE)
    await store.given(session_stream(a_session().session_id), [a_session()], OFFICE)

    events = await handlers.decide_plan(in_memory_work(store, OFFICE), approve_in(None))

    assert events == [plan_approved()]
    assert store.payloads(plan_stream(PLAN_ID)) == [*REVIEWED, plan_approved()]


async def test_a_session_of_another_office_is_no_session_held() -> None:
    store = InMemoryEventStore()
    await store.given(plan_stream(PLAN_ID), REVIEWED, OFFICE)
    await store.given(session_stream(a_session().session_id), [a_session()], OTHER_OFFICE)

    with pytest.raises(RuleViolation) as refusal:
        await handlers.decide_plan(in_memory_work(store, OFFICE), approve_in(None))

    assert refusal.value.rule == "session_not_held"
    assert store.payloads(plan_stream(PLAN_ID)) == REVIEWED


async def test_a_stream_moved_on_since_it_was_read_refuses_the_append() -> None:
    store = InMemoryEventStore()
    await store.given(plan_stream(PLAN_ID), [plan_submitted()], OFFICE)
    work = in_memory_work(store, OFFICE)
    loaded = await work.load(plans, plan_stream(PLAN_ID))
    await store.given(plan_stream(PLAN_ID), [review_noted()], OFFICE)

    with pytest.raises(ConcurrencyError):
        await work.append(plan_stream(PLAN_ID), loaded.version, [review_noted(revision=2)])

    assert store.payloads(plan_stream(PLAN_ID)) == REVIEWED


async def test_a_budget_review_on_kafka_is_noted_on_the_plan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = InMemoryEventStore()
    monkeypatch.setattr(policies, "store", store)
    await store.given(plan_stream(PLAN_ID), [plan_submitted()], OFFICE)
    review = upstream_event(a_review(), OFFICE)
    broker = reaction_broker(policies.policies, [review.topic])

    async with TestKafkaBroker(broker):
        await deliver(broker, review)
        # Delivered twice, as Kafka may: the second notes nothing new.
        await deliver(broker, review)

    assert store.payloads(plan_stream(PLAN_ID)) == REVIEWED
    noted = store.events(plan_stream(PLAN_ID))[-1]
    assert noted.causation_id == str(review.id)
    assert noted.correlation_id == review.correlationid


async def test_a_review_from_another_office_leaves_the_plan_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = InMemoryEventStore()
    monkeypatch.setattr(policies, "store", store)
    await store.given(plan_stream(PLAN_ID), [plan_submitted()], OFFICE)
    review = upstream_event(a_review(), OTHER_OFFICE)
    broker = reaction_broker(policies.policies, [review.topic])

    async with TestKafkaBroker(broker):
        await deliver(broker, review)

    assert store.payloads(plan_stream(PLAN_ID)) == [plan_submitted()]
