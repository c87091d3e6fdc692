"""People's own words stay in procurement's database: an officer's note and line reasons, and
what returnee representatives said of a kit, are read back from the API but never published."""

from uuid import uuid4

import pytest
from procurement_builders import TODAY, officer, plan_submitted

from reintegration_contracts import EventEnvelope, topic_for
from reintegration_contracts.events.intake import ReturneeErased
from reintegration_sdk.testing.service import eventually, publish, read_topic, upstream_event

pytestmark = pytest.mark.integration

NOTE = "Spoke with Awa Ouedraogo, 70 12 34 56, behind the Tenkodogo market"
REASON = "Quote from Issa Kabore's workshop, 70 98 76 54"
FEEDBACK = "Mariam Sawadogo asks for a second pair of scissors"


async def test_words_are_read_back_but_never_published(procurement) -> None:
    client, office, headers = procurement.client, procurement.office, officer(procurement.office)
    plan_id = uuid4()
    await publish(
        procurement.infrastructure,
        [upstream_event(plan_submitted(plan_id), office, f"plan-{plan_id}")],
    )

    async def reviewed() -> None:
        answer = await client.get(procurement.url(f"/budget-reviews/{plan_id}"), headers=headers)
        assert answer.status_code == 200, answer.text

    await eventually(reviewed)
    revision = {
        "adjustments": [{"line": 2, "reason": REASON, "category": "supplier_quote"}],
        "note": NOTE,
    }
    url = procurement.url(f"/budget-reviews/{plan_id}/revisions")
    revised = await client.post(url, json=revision, headers=headers)
    assert revised.status_code == 201, revised.text
    # The answer is the event: categories only.
    assert revised.json()["note"] == "other"
    assert revised.json()["lines"][1]["officer_reason"] == "supplier_quote"

    history = (
        await client.get(procurement.url(f"/budget-reviews/{plan_id}"), headers=headers)
    ).json()
    assert [r["note"] for r in history] == [None, NOTE]
    assert [r["note_category"] for r in history] == [None, "other"]
    assert history[1]["lines"][1]["reason"].endswith(f"officer: {REASON}")

    kit = {"items": [{"item": "sewing machine", "quantity": 1}]}
    defined = await client.post(procurement.url("/kits/tailoring"), json=kit, headers=headers)
    assert defined.status_code in (200, 201), defined.text
    version = defined.json()["kit_version"]
    said = {
        "reviewed_on": TODAY.isoformat(),
        "endorsed": False,
        "feedback": [FEEDBACK],
        "categories": ["quantity_too_low"],
    }
    recorded = await client.post(
        procurement.url(f"/kits/tailoring/versions/{version}/returnee-reviews"),
        json=said,
        headers=headers,
    )
    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["feedback"] == ["quantity_too_low"]
    review_id = recorded.json()["review_id"]
    [current, *_] = (await client.get(procurement.url("/kits/tailoring"), headers=headers)).json()
    # Items travel as codes; their names in words are read back from here.
    assert current["items"] == [{"item": "sewing_machine", "quantity": 1, "name": "sewing machine"}]
    [words] = [r for r in current["returnee_reviews"] if r["feedback"] == [FEEDBACK]]
    assert words["feedback_categories"] == ["quantity_too_low"]

    def ours(events: list[EventEnvelope]) -> list[EventEnvelope]:
        return [
            e
            for e in events
            if e.subject == f"budget-review-{plan_id}"
            or (e.event_name == "KitReviewedByReturnees" and e.data.get("review_id") == review_id)
        ]

    published = await read_topic(
        procurement.infrastructure,
        topic_for(office, "procurement"),
        until=lambda events: (
            len([e for e in ours(events) if e.data.get("revision") == 2]) == 1
            and any(e.event_name == "KitReviewedByReturnees" for e in ours(events))
        ),
    )
    on_the_wire = ours(published)
    assert {e.event_name for e in on_the_wire} == {"BudgetReviewed", "KitReviewedByReturnees"}
    wire = " ".join(str(e.data) for e in on_the_wire)
    for words_said in (NOTE, REASON, FEEDBACK, "Ouedraogo", "Kabore", "Sawadogo"):
        assert words_said not in wire


SPECIFICATION = "The Butterfly machine Awa Ouedraogo saw at Issa's"


async def test_an_erasure_deletes_the_words_on_the_reviews_of_their_plans(procurement) -> None:
    client, office, headers = procurement.client, procurement.office, officer(procurement.office)
    awa, bila = uuid4(), uuid4()
    plans = {awa: uuid4(), bila: uuid4()}
    for returnee, plan_id in plans.items():
        submitted = plan_submitted(plan_id).model_copy(update={"beneficiary_ids": [returnee]})
        await publish(
            procurement.infrastructure, [upstream_event(submitted, office, f"plan-{plan_id}")]
        )

    async def history(plan_id: object) -> list[dict]:  # type: ignore[type-arg]
        answer = await client.get(procurement.url(f"/budget-reviews/{plan_id}"), headers=headers)
        assert answer.status_code == 200, answer.text
        return answer.json()  # type: ignore[no-any-return]

    for plan_id in plans.values():
        await eventually(lambda plan_id=plan_id: history(plan_id))
        revision = {
            "adjustments": [{"line": 1, "reason": REASON, "specification": SPECIFICATION}],
            "note": NOTE,
        }
        url = procurement.url(f"/budget-reviews/{plan_id}/revisions")
        revised = await client.post(url, json=revision, headers=headers)
        assert revised.status_code == 201, revised.text
        assert revised.json()["lines"][0]["specified"] is True
        assert SPECIFICATION not in revised.text
    [_, kept] = await history(plans[awa])
    assert (kept["note"], kept["lines"][0]["specification"]) == (NOTE, SPECIFICATION)

    erased = ReturneeErased(returnee_id=awa, erased_on=TODAY)
    await publish(procurement.infrastructure, [upstream_event(erased, office, f"returnee-{awa}")])

    async def words_gone() -> None:
        [_, revised] = await history(plans[awa])
        assert revised["note"] is None and revised["lines"][0]["specification"] is None
        assert REASON not in str(revised)
        assert revised["note_category"] == "other"  # the category stays, naming no one

    await eventually(words_gone)
    [_, bilas] = await history(plans[bila])
    assert (bilas["note"], bilas["lines"][0]["specification"]) == (NOTE, SPECIFICATION)
