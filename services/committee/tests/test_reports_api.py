"""The pipeline made visible: the funnel, localities ready to convene, CSV exports."""

import csv
import io
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from reintegration_sdk.testing.service import auth_headers

from .builders import HELD_ON, CommitteeUnderTest, a_locality

pytestmark = pytest.mark.integration


async def test_the_funnel_counts_plans_and_beneficiaries_at_each_stage(
    committee: CommitteeUnderTest,
) -> None:
    locality = a_locality()
    people = [uuid4() for _ in range(8)]
    await committee.trained(*people)

    async def plan(members: list[UUID], days_before_session: int) -> UUID:
        submitted_on = (HELD_ON - timedelta(days=days_before_session)).isoformat()
        return await committee.submitted_plan(members, locality=locality, submitted_on=submitted_on)

    approved = await plan(people[0:2], 30)
    amended = await plan(people[2:5], 25)
    rejected = await plan(people[5:6], 40)
    waiting_decision = await plan(people[6:7], 20)
    await plan(people[7:8], 10)  # still waiting for procurement
    for reviewed in (approved, amended, rejected, waiting_decision):
        await committee.reviewed(reviewed)
    session = str(await committee.session_held(locality))
    conditions = {"session_id": session, "conditions": ["other"], "note": "Register first"}
    reasons = {"session_id": session, "reasons": ["market_saturated"]}
    decisions = [
        await committee.post(f"/plans/{approved}/approval", {"session_id": session}),
        await committee.post(f"/plans/{amended}/amendment", conditions),
        await committee.post(f"/plans/{rejected}/rejection", reasons),
    ]
    assert [d.status_code for d in decisions] == [201, 201, 201]

    report = (await committee.get("/funnel", commune=locality["commune"])).json()

    [row] = report["localities"]
    assert row == {
        "region": locality["region"],
        "commune": locality["commune"],
        "plans_submitted": 5,
        "beneficiaries_submitted": 8,
        "plans_reviewed": 4,
        "beneficiaries_reviewed": 7,
        "plans_decided": 3,
        "beneficiaries_decided": 6,
        "plans_approved": 2,
        "beneficiaries_approved": 5,
        "plans_amended": 1,
        "plans_rejected": 1,
        "beneficiaries_rejected": 1,
        "plans_awaiting_review": 1,
        "plans_awaiting_decision": 1,
        "approval_rate": 0.6667,
        "median_days_to_decision": 30.0,
    }
    # The office total carries no place name, only the office's counts.
    assert report["total"] == row | {"region": "", "commune": ""}

    exported = await committee.get("/funnel", commune=locality["commune"], format="csv")
    assert exported.headers["content-type"].startswith("text/csv")
    lines = list(csv.DictReader(io.StringIO(exported.text)))
    assert [line["plans_approved"] for line in lines] == ["2", "2"]
    assert [(line["region"], line["commune"]) for line in lines][-1] == ("", "")
    assert lines[0]["approval_rate"] == "0.6667"


async def test_localities_with_enough_reviewed_plans_waiting(
    committee: CommitteeUnderTest,
) -> None:
    ready, not_ready = a_locality(), a_locality()
    people = [uuid4() for _ in range(5)]
    await committee.trained(*people)
    for person in people[:3]:
        await committee.reviewed(await committee.submitted_plan([person], locality=ready))
    for person in people[3:]:
        await committee.reviewed(await committee.submitted_plan([person], locality=not_ready))

    def communes(report: dict[str, Any]) -> set[str]:
        return {locality["commune"] for locality in report["localities"]}

    by_default = (await committee.get("/localities/ready-to-convene")).json()
    manager = committee.headers("office_manager")
    setting = await committee.client.put(
        committee.url("/convening-threshold"), json={"threshold": 3}, headers=manager
    )
    lowered = (await committee.get("/localities/ready-to-convene")).json()
    asked_for_two = (await committee.get("/localities/ready-to-convene", threshold=2)).json()

    assert by_default["threshold"] == 4
    assert ready["commune"] not in communes(by_default)
    assert setting.json()["threshold"] == 3
    assert lowered["threshold"] == 3
    assert ready["commune"] in communes(lowered)
    assert not_ready["commune"] not in communes(lowered)
    assert {ready["commune"], not_ready["commune"]} <= communes(asked_for_two)
    [row] = [r for r in lowered["localities"] if r["commune"] == ready["commune"]]
    assert (row["plans_waiting"], row["beneficiaries_waiting"]) == (3, 3)


async def test_plans_export_as_csv_with_a_header_row(committee: CommitteeUnderTest) -> None:
    awa = uuid4()
    locality = a_locality()
    await committee.trained(awa)
    plan_id = await committee.submitted_plan(
        [awa], locality=locality, activity="=HYPERLINK() is not a formula here"
    )

    exported = await committee.get("/plans", commune=locality["commune"], format="csv")

    [header, line] = exported.text.splitlines()
    assert header.startswith("plan_id,kind,status,region,commune")
    assert line.startswith(f"{plan_id},individual,submitted,")
    assert ",'=HYPERLINK() is not a formula here," in line


async def test_headquarters_reads_aggregates_but_not_plans(committee: CommitteeUnderTest) -> None:
    hq = auth_headers(["hq_analyst"], [])

    funnel = await committee.client.get(committee.url("/funnel"), headers=hq)
    plans = await committee.client.get(committee.url("/plans"), headers=hq)

    assert funnel.status_code == 200
    assert plans.status_code == 403
