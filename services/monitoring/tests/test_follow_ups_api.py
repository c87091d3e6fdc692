"""Follow-ups and surveys through the HTTP API, on top of a programme published on Kafka."""

from datetime import date, timedelta
from uuid import UUID, uuid4

import pytest
from monitoring_builders import Programme

from conftest import MonitoringUnderTest
from monitoring.app import definition
from monitoring.policies import policies
from reintegration_contracts import topic_for
from reintegration_sdk.projections import rebuild_from_kafka
from reintegration_sdk.testing.service import auth_headers, eventually, read_topic

pytestmark = pytest.mark.integration


def caseworker(office: str, subject: str = "cw-awa") -> dict[str, str]:
    return auth_headers(["caseworker"], [office], subject=subject)


def a_visit(**changes: object) -> dict[str, object]:
    return {
        "visited_on": (date.today() - timedelta(days=82)).isoformat(),
        "activity_running": True,
        "monthly_revenue_band": "medium",
        "monthly_profit_band": "low",
        "jobs_created": 1,
        "support_needed": True,
        "support_kinds": ["working_capital"],
        "satisfaction": 4,
        **changes,
    }


async def test_a_delivered_kit_schedules_visits_published_on_kafka(
    monitoring: MonitoringUnderTest, programme: Programme
) -> None:
    topic = topic_for(monitoring.office, "monitoring")
    envelopes = await read_topic(
        monitoring.infrastructure,
        topic,
        until=lambda es: sum(e.event_name == "FollowUpsScheduled" for e in es) >= 2,
    )
    scheduled = [e for e in envelopes if e.event_name == "FollowUpsScheduled"]
    assert {e.data["returnee_id"] for e in scheduled} == {
        str(programme.amina),
        str(programme.boukary),
    }
    first = scheduled[0]
    delivered = programme.delivered_on
    assert first.data["due_dates"][:4] == [
        (delivered + timedelta(days=n)).isoformat() for n in (15, 30, 60, 90)
    ]
    assert first.causationid is not None  # caused by the KitDelivered event


async def test_recording_a_visit_fulfils_the_first_due_visit_and_leaves_the_overdue_list(
    monitoring: MonitoringUnderTest, programme: Programme
) -> None:
    office = monitoring.office
    response = await monitoring.client.post(
        f"/offices/{office}/returnees/{programme.amina}/follow-ups",
        json=a_visit(),
        headers=caseworker(office),
    )
    assert response.status_code == 201, response.text
    assert response.json()["due_on"] == (programme.delivered_on + timedelta(days=15)).isoformat()
    assert response.json()["order_id"] == str(programme.order)
    # Read-your-writes: the overdue list no longer holds Amina's first visit.
    overdue = await monitoring.client.get(
        f"/offices/{office}/follow-ups/overdue", headers=caseworker(office)
    )
    amina_due = [v["due_on"] for v in overdue.json() if v["returnee_id"] == str(programme.amina)]
    assert len(amina_due) == 3
    assert {v["caseworker"] for v in overdue.json()} == {"cw-awa"}
    csv = await monitoring.client.get(
        f"/offices/{office}/follow-ups/overdue?format=csv&caseworker=cw-awa",
        headers=caseworker(office),
    )
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[0] == "caseworker,returnee_id,due_on,days_overdue,trade,commune"
    assert len(csv.text.splitlines()) == 1 + len(overdue.json())
    # The event goes out on the office's monitoring topic.
    visit_id = response.json()["visit_id"]
    await read_topic(
        monitoring.infrastructure,
        topic_for(office, "monitoring"),
        until=lambda es: any(e.data.get("visit_id") == visit_id for e in es),
    )


async def test_the_same_visit_twice_is_a_conflict(
    monitoring: MonitoringUnderTest, programme: Programme
) -> None:
    url = f"/offices/{monitoring.office}/returnees/{programme.boukary}/follow-ups"
    body = a_visit(visit_id=str(uuid4()))
    first = await monitoring.client.post(url, json=body, headers=caseworker(monitoring.office))
    again = await monitoring.client.post(url, json=body, headers=caseworker(monitoring.office))
    assert first.status_code == 201
    assert again.status_code == 409
    assert again.json()["rule"] == "visit_already_recorded"


async def test_no_follow_up_without_a_kit(
    monitoring: MonitoringUnderTest, programme: Programme
) -> None:
    response = await monitoring.client.post(
        f"/offices/{monitoring.office}/returnees/{programme.claire}/follow-ups",
        json=a_visit(),
        headers=caseworker(monitoring.office),
    )
    assert response.status_code == 409
    assert response.json()["rule"] == "no_kit_delivered"


async def test_bad_input_names_each_field(
    monitoring: MonitoringUnderTest, programme: Programme
) -> None:
    url = f"/offices/{monitoring.office}/returnees/{programme.amina}/follow-ups"
    response = await monitoring.client.post(
        url,
        json=a_visit(satisfaction=9, monthly_revenue_band="lots", jobs_created=-1, colour="red"),
        headers=caseworker(monitoring.office),
    )
    assert response.status_code == 422
    fields = {f["field"] for f in response.json()["fields"]}
    assert fields == {
        "body.satisfaction",
        "body.monthly_revenue_band",
        "body.jobs_created",
        "body.colour",
    }
    rule = await monitoring.client.post(
        url, json=a_visit(support_kinds=[]), headers=caseworker(monitoring.office)
    )
    assert rule.status_code == 422
    assert rule.json()["fields"] == [
        {"field": "body.support_kinds", "reason": "name at least one kind of support needed"}
    ]


async def test_another_office_cannot_read_or_write(
    monitoring: MonitoringUnderTest, programme: Programme
) -> None:
    other = monitoring.other_office

    async def through_the_other_office(returnee_id: UUID) -> list[tuple[int, str]]:
        # A caseworker of the other office, naming the other office, about some returnee.
        visit = await monitoring.client.post(
            f"/offices/{other}/returnees/{returnee_id}/follow-ups",
            json=a_visit(),
            headers=caseworker(other),
        )
        timeline = await monitoring.client.get(
            f"/offices/{other}/returnees/{returnee_id}/timeline", headers=caseworker(other)
        )
        return [
            (a.status_code, a.text.replace(str(returnee_id), "<returnee>"))
            for a in (visit, timeline)
        ]

    # This office's returnee is answered as an id never used: a 403 would tell that the
    # person is a case in another office.
    seen_elsewhere = await through_the_other_office(programme.amina)
    assert [status for status, _ in seen_elsewhere] == [409, 404], seen_elsewhere
    assert seen_elsewhere == await through_the_other_office(uuid4())
    report = await monitoring.client.get(
        f"/offices/{monitoring.office}/report", headers=caseworker(other)
    )
    assert report.status_code == 403
    anonymous = await monitoring.client.get(f"/offices/{monitoring.office}/report")
    assert anonymous.status_code == 401


ANSWERS = {
    "income_covers_needs": "yes", "activity_running": "yes", "debt_burden": "no_debt_or_repaying",
    "food_security": "never", "community_participation": "regularly", "support_network": "yes",
    "access_to_services": "yes", "feels_accepted": "yes", "distress": "never",
    "wish_to_remigrate": "no",
}  # fmt: skip


async def test_a_scored_survey_makes_the_returnee_sustainable(
    monitoring: MonitoringUnderTest, programme: Programme
) -> None:
    office = monitoring.office
    form = await monitoring.client.get(
        f"/offices/{office}/scoring-configs/standard", headers=caseworker(office)
    )
    assert {i["id"] for i in form.json()["indicators"]} == set(ANSWERS)
    url = f"/offices/{office}/returnees/{programme.boukary}/sustainability-surveys"
    body = {"scored_on": (date.today() - timedelta(days=5)).isoformat(), "answers": ANSWERS}
    response = await monitoring.client.post(url, json=body, headers=caseworker(office))
    assert response.status_code == 201, response.text
    assert response.json()["composite"] == 1.0
    assert response.json()["scoring_config"] == "standard@1"
    report = await monitoring.client.get(f"/offices/{office}/report", headers=caseworker(office))
    funnel = {s["stage"]: s["returnees"] for s in report.json()["funnel"]}
    assert funnel["sustainable"] >= 1
    unknown = await monitoring.client.post(
        url, json={**body, "programme": "nonexistent"}, headers=caseworker(office)
    )
    assert unknown.status_code == 422
    assert unknown.json()["fields"][0]["field"] == "body.programme"
    off_scale = await monitoring.client.post(
        url, json={**body, "answers": {**ANSWERS, "distress": "always"}}, headers=caseworker(office)
    )
    assert off_scale.status_code == 422
    assert off_scale.json()["fields"][0]["field"] == "body.answers.distress"


async def test_a_new_schedule_applies_to_kits_delivered_afterwards(
    monitoring: MonitoringUnderTest, programme: Programme
) -> None:
    office = monitoring.office
    manager = auth_headers(["office_manager"], [office])
    bad = await monitoring.client.put(
        f"/offices/{office}/follow-up-schedule", json={"offsets_days": [30, 15]}, headers=manager
    )
    assert bad.status_code == 422
    assert bad.json()["fields"][0]["field"] == "body.offsets_days"
    forbidden = await monitoring.client.put(
        f"/offices/{office}/follow-up-schedule",
        json={"offsets_days": [10]},
        headers=caseworker(office),
    )
    assert forbidden.status_code == 403
    # Set and read back on the other office, so this office's counts stay as the tests expect.
    other = monitoring.other_office
    manager = auth_headers(["office_manager"], [other])
    put = await monitoring.client.put(
        f"/offices/{other}/follow-up-schedule", json={"offsets_days": [10, 20]}, headers=manager
    )
    assert put.status_code == 200
    got = await monitoring.client.get(f"/offices/{other}/follow-up-schedule", headers=manager)
    assert got.json() == {"country_office": other, "offsets_days": [10, 20]}

    async def default_here() -> None:
        here = await monitoring.client.get(
            f"/offices/{office}/follow-up-schedule", headers=caseworker(office)
        )
        assert here.json()["offsets_days"] == [15, 30, 60, 90, 180, 270, 365]

    await eventually(default_here)


async def test_a_replayed_delivery_schedules_no_visit_twice(
    monitoring: MonitoringUnderTest, programme: Programme
) -> None:
    pool = monitoring.client.app.state.runtime.pool  # type: ignore[attr-defined]
    count = """SELECT count(*) FROM events
               WHERE event_name = 'FollowUpsScheduled' AND country_office = $1"""

    async def scheduled() -> int:
        n: int = await pool.fetchval(count, monitoring.office)
        assert n >= 2  # amina and boukary, and kits other tests delivered
        return n

    before = await eventually(scheduled)
    # A consumer that forgot its inbox (a new group, a lost database) replays every delivery
    # through the policy: the schedules it would mint are those already appended.
    topics = [topic_for(monitoring.office, domain) for domain in definition.consumes]
    await rebuild_from_kafka(
        pool,
        monitoring.infrastructure.kafka_bootstrap_servers,
        topics,
        policies,
        consumer="replay",
        progress=False,
    )
    assert await pool.fetchval(count, monitoring.office) == before


async def test_an_office_code_not_in_lower_case_is_refused_naming_the_path(
    monitoring: MonitoringUnderTest,
) -> None:
    office = monitoring.office
    headers = auth_headers(["monitoring_officer"], [office])
    for url in (f"/offices/{office.upper()}/report", f"/offices/{office}x/follow-ups/overdue"):
        response = await monitoring.client.get(url, headers=headers)
        assert response.status_code == 422, url
        assert [f["field"] for f in response.json()["fields"]] == ["path.country_office"]


async def test_a_retried_visit_is_recorded_once_and_a_dry_run_records_nothing(
    monitoring: MonitoringUnderTest, programme: Programme
) -> None:
    office = monitoring.office
    pool = monitoring.client.app.state.runtime.pool  # type: ignore[attr-defined]
    url = f"/offices/{office}/returnees/{programme.boukary}/follow-ups"
    body = a_visit(visit_id=str(uuid4()))
    count = """SELECT count(*) FROM events
               WHERE event_name = 'FollowUpRecorded' AND data->>'visit_id' = $1"""
    dry = await monitoring.client.post(
        url, json=body, headers={**caseworker(office), "Dry-Run": "true"}
    )
    assert dry.status_code == 201 and dry.headers["Dry-Run"] == "true"
    assert await pool.fetchval(count, body["visit_id"]) == 0
    key = {**caseworker(office), "Idempotency-Key": str(uuid4())}
    first = await monitoring.client.post(url, json=body, headers=key)
    again = await monitoring.client.post(url, json=body, headers=key)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert await pool.fetchval(count, body["visit_id"]) == 1
