"""People's own words stay in committee's database: the events carry codes and categories, the
API shows the words, and erasing a beneficiary deletes the words of their plans."""

from uuid import uuid4

import pytest

from reintegration_contracts.events.intake import ReturneeErased

from .builders import HELD_ON, CommitteeUnderTest, a_locality, upstream_event

pytestmark = pytest.mark.integration

WORDS = (
    "Awa's tailoring shop by the Tenkodogo market",
    "Pedal machine from Moussa's shop",
    "the courtyard of her uncle Issa",
    "Mairie de Tenkodogo, M. Ouedraogo",
    "Awa's cousin already sews for the school",
)


async def test_the_words_stay_here_and_go_with_an_erasure(committee: CommitteeUnderTest) -> None:
    awa, bila = uuid4(), uuid4()
    locality = a_locality()
    await committee.trained(awa, bila)
    plan_id = await committee.submitted_plan(
        [awa],
        locality=locality,
        activity=WORDS[0],
        budget_lines=[
            {
                "item": "Sewing Machine",
                "quantity": 1,
                "unit_cost": 90_000,
                "specification": WORDS[1],
            },
            {"item": "fabric", "quantity": 10, "unit_cost": 5_000},
        ],
        in_kind_contribution=[{"kind": "workspace", "description": WORDS[2], "value": 60_000}],
    )
    other_plan = await committee.submitted_plan([bila], locality=locality, activity="Bila's")
    for plan in (plan_id, other_plan):
        await committee.reviewed(plan)
    members = [
        {"role": "local_authority", "organisation": WORDS[3]},
        {"role": "civil_society", "organisation": "Association des femmes"},
        {"role": "technical_expert", "organisation": "ANPE"},
    ]
    session = await committee.session_held(locality, members)
    rejection = {"session_id": str(session), "reasons": ["market_saturated"], "note": WORDS[4]}
    assert (await committee.post(f"/plans/{plan_id}/rejection", rejection)).status_code == 201

    # On the wire: codes, flags and categories only.
    published = await committee.published(f"plan-{plan_id}", 3)
    [held] = await committee.published(f"committee-session-{session}", 1)
    on_the_wire = str([event.data for event in [*published, held]])
    assert [w for w in WORDS if w in on_the_wire] == []
    submitted = published[0].data
    assert submitted["budget_lines"][0] == {
        "item": "sewing_machine",
        "quantity": 1,
        "unit_cost": 90_000,
        "specified": True,
    }
    assert submitted["in_kind_contribution"] == [{"kind": "workspace", "value": 60_000}]
    assert held.data["members"][0] == {"role": "local_authority"}

    # In committee's own API: the words.
    plan = (await committee.get(f"/plans/{plan_id}")).json()
    assert plan["activity"] == WORDS[0]
    assert (plan["budget"][0]["item_name"], plan["budget"][0]["specification"]) == (
        "Sewing Machine",
        WORDS[1],
    )
    assert plan["in_kind_contribution"] == [
        {"kind": "workspace", "value": 60_000, "description": WORDS[2]}
    ]
    assert plan["decision"]["note"] == WORDS[4]
    detail = (await committee.get(f"/sessions/{session}")).json()
    assert detail["members"][0] == {"role": "local_authority", "organisation": WORDS[3]}
    [row] = [
        p
        for p in (await committee.get("/plans", commune=locality["commune"])).json()
        if p["plan_id"] == str(plan_id)
    ]
    assert row["activity"] == WORDS[0]

    # Awa is erased: her plan's words go, Bila's stay; the plan itself and the session stay.
    erased = ReturneeErased(returnee_id=awa, erased_on=HELD_ON)
    await committee.deliver(upstream_event(erased, committee.office, f"returnee-{awa}"))
    plan = (await committee.get(f"/plans/{plan_id}")).json()
    assert plan["activity"] is None and plan["decision"]["note"] is None
    assert plan["budget"][0]["item"] == "sewing_machine"
    assert plan["budget"][0]["item_name"] is None and plan["budget"][0]["specification"] is None
    assert plan["in_kind_contribution"] == [
        {"kind": "workspace", "value": 60_000, "description": None}
    ]
    assert plan["decision"]["reasons"] == ["market_saturated"]
    assert (await committee.get(f"/plans/{other_plan}")).json()["activity"] == "Bila's"
    kept = await committee.database.fetchval(
        "SELECT count(*) FROM plan_words WHERE plan_id = $1", plan_id
    )
    assert kept == 0
