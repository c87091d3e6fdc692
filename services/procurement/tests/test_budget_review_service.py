"""Budget review through the real broker: PlanSubmitted on Kafka in, BudgetReviewed out."""

import csv
import io
from datetime import date, timedelta
from uuid import UUID, uuid4

import pytest
from procurement_builders import (
    FABRIC,
    SEWING_MACHINE,
    TODAY,
    officer,
    plan_approved,
    plan_submitted,
    price,
)

from reintegration_contracts import EventEnvelope, topic_for
from reintegration_sdk.testing.service import (
    eventually,
    publish,
    read_topic,
    upstream_event,
)

pytestmark = pytest.mark.integration


async def test_an_over_priced_line_is_flagged_with_its_reason(procurement) -> None:
    client, office = procurement.client, procurement.office
    headers = officer(office)
    response = await client.post(procurement.url("/prices"), json=price(), headers=headers)
    assert response.status_code == 200, response.text
    plan_id = uuid4()

    # Committee publishes the plan; procurement reviews it on its own.
    submitted = upstream_event(plan_submitted(plan_id), office, f"plan-{plan_id}")
    await publish(procurement.infrastructure, [submitted, submitted])  # and once more, replayed

    async def reviewed() -> list[dict]:
        answer = await client.get(procurement.url(f"/budget-reviews/{plan_id}"), headers=headers)
        assert answer.status_code == 200, answer.text
        return answer.json()

    [review] = await eventually(reviewed)
    machine, fabric = review["lines"]
    assert machine["flags"] == ["above_catalogue_price"]
    assert "more than 10% above the catalogue price 90000" in machine["reason"]
    assert machine["reviewed_unit_cost"] == 90_000
    assert fabric["flags"] == ["not_in_catalogue"]
    assert (review["submitted_total"], review["reviewed_total"]) == (135_000, 105_000)
    assert review["awaiting_officer"] is True

    def reviews_of_the_plan(events: list[EventEnvelope]) -> list[EventEnvelope]:
        # Topics keep everything, and another run may have used the same office before.
        return [e for e in events if e.subject == f"budget-review-{plan_id}"]

    published = await read_topic(
        procurement.infrastructure,
        topic_for(office, "procurement"),
        until=lambda events: bool(reviews_of_the_plan(events)),
    )
    [event] = reviews_of_the_plan(published)
    assert event.event_name == "BudgetReviewed"
    assert event.causationid == str(submitted.id)
    assert (event.data["submitted_total"], event.data["reviewed_total"]) == (135_000, 105_000)


async def test_an_officer_revises_until_the_committee_decides(procurement) -> None:
    client, office, headers = procurement.client, procurement.office, officer(procurement.office)
    plan_id = uuid4()
    await publish(
        procurement.infrastructure,
        [upstream_event(plan_submitted(plan_id), office, f"plan-{plan_id}")],
    )

    async def latest() -> dict:
        answer = await client.get(procurement.url("/budget-reviews?flagged=true"), headers=headers)
        matching = [r for r in answer.json() if r["plan_id"] == str(plan_id)]
        assert len(matching) == 1
        return matching[0]

    assert (await eventually(latest))["revision"] == 1
    revision = {
        "adjustments": [{"line": 2, "reason": "market price checked", "reviewed_unit_cost": 1_400}],
        "note": "fabric priced at the Tenkodogo market",
    }
    url = procurement.url(f"/budget-reviews/{plan_id}/revisions")
    revised = await client.post(url, json=revision, headers=headers)
    assert revised.status_code == 201, revised.text
    assert (revised.json()["revision"], revised.json()["reviewer"]) == (2, "officer-1")
    assert revised.json()["lines"][1]["reviewed_unit_cost"] == 1_400
    assert (await latest())["reviewed_total"] == 120_000 + 14_000

    bad_line = {"adjustments": [{"line": 3, "reason": "no such line"}]}
    refused = await client.post(url, json=bad_line, headers=headers)
    assert refused.status_code == 422
    assert refused.json()["fields"] == [
        {"field": "body.adjustments.0.line", "reason": "the plan has 2 lines"}
    ]

    # Once the committee approved the plan (and so its kit was ordered), the review is closed.
    await publish(
        procurement.infrastructure,
        [upstream_event(plan_approved(plan_id), office, f"plan-{plan_id}")],
    )

    async def ordered() -> None:
        orders = await client.get(procurement.url("/kit-orders"), headers=headers)
        assert str(plan_id) in [o["plan_id"] for o in orders.json()]

    await eventually(ordered)
    closed = await client.post(url, json=revision, headers=headers)
    assert closed.status_code == 409
    assert closed.json()["rule"] == "plan_already_decided"
    assert [
        r["revision"]
        for r in (
            await client.get(procurement.url(f"/budget-reviews/{plan_id}"), headers=headers)
        ).json()
    ] == [1, 2]


async def test_a_review_of_another_office_is_a_review_never_made(procurement) -> None:
    client, office = procurement.client, procurement.office
    plan_id = uuid4()
    await publish(
        procurement.infrastructure,
        [upstream_event(plan_submitted(plan_id), office, f"plan-{plan_id}")],
    )

    async def reviewed() -> None:
        answer = await client.get(
            procurement.url(f"/budget-reviews/{plan_id}"), headers=officer(office)
        )
        assert answer.status_code == 200

    await eventually(reviewed)
    other = "fr" if office != "fr" else "de"
    elsewhere = officer(other)

    async def through_the_other_office(some_plan: UUID) -> list[tuple[int, str]]:
        read = await client.get(
            procurement.url(f"/budget-reviews/{some_plan}", other), headers=elsewhere
        )
        revise = await client.post(
            procurement.url(f"/budget-reviews/{some_plan}/revisions", other),
            json={"adjustments": []},
            headers=elsewhere,
        )
        return [(a.status_code, a.text.replace(str(some_plan), "<plan>")) for a in (read, revise)]

    # Asked through the officer's own office, the plan is answered in the words an id never
    # used gets: a 403 would tell that the plan exists in another office.
    seen_elsewhere = await through_the_other_office(plan_id)
    assert [status for status, _ in seen_elsewhere] == [404, 404]
    assert seen_elsewhere == await through_the_other_office(uuid4())
    history = await client.get(
        procurement.url(f"/budget-reviews/{plan_id}"), headers=officer(office)
    )
    assert [r["revision"] for r in history.json()] == [1]


async def test_officers_see_the_reviews_waiting_for_them(procurement) -> None:
    client, office, headers = procurement.client, procurement.office, officer(procurement.office)
    for item in (price(), price("fabric", 1_500)):
        response = await client.post(procurement.url("/prices"), json=item, headers=headers)
        assert response.status_code == 200, response.text
    settled, waiting = uuid4(), uuid4()
    iron = SEWING_MACHINE.model_copy(update={"item": "charcoal_iron", "unit_cost": 7_500})
    await publish(
        procurement.infrastructure,
        [
            # Over-priced but priced and specified: the automatic review settles it.
            upstream_event(plan_submitted(settled, SEWING_MACHINE, FABRIC), office, "plans"),
            # The catalogue has no price for the iron: an officer must look at it.
            upstream_event(plan_submitted(waiting, FABRIC, iron), office, "plans"),
        ],
    )

    async def listed(query: str) -> list[str]:
        answer = await client.get(procurement.url(f"/budget-reviews{query}"), headers=headers)
        assert answer.status_code == 200, answer.text
        return [r["plan_id"] for r in answer.json() if r["plan_id"] in (str(settled), str(waiting))]

    async def both_reviewed() -> None:
        assert sorted(await listed("")) == sorted([str(settled), str(waiting)])

    await eventually(both_reviewed)
    assert await listed("?awaiting_officer=true") == [str(waiting)]
    assert await listed("?awaiting_officer=false") == [str(settled)]
    export = await client.get(procurement.url("/budget-reviews?format=csv"), headers=headers)
    rows = {r["plan_id"]: r for r in csv.DictReader(io.StringIO(export.text))}
    assert (rows[str(waiting)]["awaiting_officer"], rows[str(settled)]["awaiting_officer"]) == (
        "True",
        "False",
    )

    # The officer's revision completes the review: the plan leaves the queue.
    revision = {"adjustments": [{"line": 2, "reason": "quote from the Tenkodogo market"}]}
    revised = await client.post(
        procurement.url(f"/budget-reviews/{waiting}/revisions"), json=revision, headers=headers
    )
    assert revised.status_code == 201, revised.text
    assert revised.json()["awaiting_officer"] is False
    assert await listed("?awaiting_officer=true") == []
    history = await client.get(procurement.url(f"/budget-reviews/{waiting}"), headers=headers)
    assert [r["awaiting_officer"] for r in history.json()] == [True, False]


async def test_a_past_plan_is_reviewed_on_the_day_it_was_submitted(procurement) -> None:
    client, office, headers = procurement.client, procurement.office, officer(procurement.office)
    plan_id = uuid4()
    # An office entering its past programme: the plan was submitted in 2018, processed today.
    submitted = plan_submitted(plan_id, submitted_on=date(2018, 3, 12))
    await publish(
        procurement.infrastructure, [upstream_event(submitted, office, f"plan-{plan_id}")]
    )

    async def reviewed() -> list[dict]:
        answer = await client.get(procurement.url(f"/budget-reviews/{plan_id}"), headers=headers)
        assert answer.status_code == 200, answer.text
        return answer.json()

    [review] = await eventually(reviewed)
    assert (review["reviewer"], review["reviewed_on"]) == ("automatic", "2018-03-12")

    url = procurement.url(f"/budget-reviews/{plan_id}/revisions")
    for reviewed_on, reason in [
        ("2018-03-11", "is before revision 1 of 2018-03-12"),
        ((TODAY + timedelta(days=1)).isoformat(), "is in the future"),
    ]:
        refused = await client.post(url, json={"reviewed_on": reviewed_on}, headers=headers)
        assert refused.status_code == 422, refused.text
        assert refused.json()["fields"] == [{"field": "body.reviewed_on", "reason": reason}]
    # The officer's revision of that time is dated when the officer looked at the lines.
    revised = await client.post(url, json={"reviewed_on": "2018-03-20"}, headers=headers)
    assert revised.status_code == 201, revised.text
    assert (revised.json()["revision"], revised.json()["reviewed_on"]) == (2, "2018-03-20")
    today = await client.post(url, json={"adjustments": []}, headers=headers)
    assert (today.json()["revision"], today.json()["reviewed_on"]) == (3, TODAY.isoformat())
