"""Consent and counselling over HTTP: events on Kafka, the case's history in the read model."""

from datetime import date, timedelta
from uuid import uuid4

import pytest
from intake_builders import IntakeUnderTest, a_registration_body

pytestmark = pytest.mark.integration

REFERRAL_NGO = {"purpose": "referral", "partner_category": "ngo"}
RESEARCH_UN = {"purpose": "research", "partner_category": "un_agency"}


def days_ago(days: int) -> str:
    return (date.today() - timedelta(days=days)).isoformat()


def a_session_body(participants: list[str], held_days_ago: int = 5) -> dict[str, object]:
    return {
        "held_on": days_ago(held_days_ago),
        "community": {"region": "Centre-Est", "commune": "Tenkodogo"},
        "experts_present": [
            {"sector": "agriculture", "count": 2},
            {"sector": "employment_agency", "count": 1},
        ],
        "local_authorities_present": 2,
        "civil_society_present": 3,
        "participant_ids": participants,
    }


async def test_consent_is_recorded_withdrawn_and_queryable(intake: IntakeUnderTest) -> None:
    returnee_id = (await intake.register())["returnee_id"]
    consents = intake.url(f"/returnees/{returnee_id}/consents")

    given = await intake.http.post(consents, json=REFERRAL_NGO, headers=intake.headers())
    await intake.http.post(consents, json=RESEARCH_UN, headers=intake.headers())
    withdrawn = await intake.http.post(
        consents + "/withdrawals", json=REFERRAL_NGO, headers=intake.headers()
    )

    assert given.status_code == 201, given.text
    assert withdrawn.status_code == 200, withdrawn.text
    current = await intake.http.get(consents, headers=intake.headers())
    assert [(c["purpose"], c["partner_category"]) for c in current.json()] == [
        ("research", "un_agency")
    ]
    published = await intake.published(f"returnee-{returnee_id}", 4)
    assert [e.event_name for e in published] == [
        "ReturneeRegistered",
        "ConsentRecorded",
        "ConsentRecorded",
        "ConsentWithdrawn",
    ]


async def test_consent_twice_or_withdrawn_without_being_given_is_refused(
    intake: IntakeUnderTest,
) -> None:
    returnee_id = (await intake.register())["returnee_id"]
    consents = intake.url(f"/returnees/{returnee_id}/consents")
    await intake.http.post(consents, json=REFERRAL_NGO, headers=intake.headers())

    twice = await intake.http.post(consents, json=REFERRAL_NGO, headers=intake.headers())
    not_given = await intake.http.post(
        consents + "/withdrawals", json=RESEARCH_UN, headers=intake.headers()
    )
    unknown = await intake.http.post(
        intake.url(f"/returnees/{uuid4()}/consents"), json=REFERRAL_NGO, headers=intake.headers()
    )

    assert (twice.status_code, twice.json()["rule"]) == (409, "consent_already_given")
    assert (not_given.status_code, not_given.json()["rule"]) == (409, "consent_not_given")
    assert unknown.status_code == 404


async def test_a_group_session_gives_each_participant_counselling_attended(
    intake: IntakeUnderTest,
) -> None:
    early = (await intake.register(a_registration_body(arrival_date=days_ago(40))))["returnee_id"]
    late = (await intake.register(a_registration_body(arrival_date=days_ago(10))))["returnee_id"]

    held = await intake.http.post(
        intake.url("/counselling-sessions"),
        json=a_session_body([early, late], held_days_ago=5),
        headers=intake.headers(),
    )

    assert held.status_code == 201, held.text
    session = held.json()
    assert {p["returnee_id"]: p["days_since_arrival"] for p in session["participants"]} == {
        early: 35,
        late: 5,
    }
    [_, attended] = await intake.published(f"returnee-{early}", 2)
    assert attended.event_name == "CounsellingAttended"
    assert attended.data["days_since_arrival"] == 35
    assert (
        attended.correlationid
        == (await intake.published(f"counselling-session-{session['session_id']}", 1))[
            0
        ].correlationid
    )
    case = await intake.http.get(intake.url(f"/returnees/{late}"), headers=intake.headers())
    assert case.json()["stage"] == "counselled"
    assert case.json()["counselling"] == [
        {
            "kind": "group_session",
            "happened_on": days_ago(5),
            "session_id": session["session_id"],
            "days_since_arrival": 5,
            "intended_track": None,
            "skills": [],
            "years_of_experience": None,
            "aspirations": [],
        }
    ]


async def test_a_session_before_a_participants_arrival_is_refused_whole(
    intake: IntakeUnderTest,
) -> None:
    back = (await intake.register(a_registration_body(arrival_date=days_ago(40))))["returnee_id"]
    not_yet = (await intake.register(a_registration_body(arrival_date=days_ago(2))))["returnee_id"]
    events_before = await intake.events_stored()

    refused = await intake.http.post(
        intake.url("/counselling-sessions"),
        json=a_session_body([back, not_yet], held_days_ago=5),
        headers=intake.headers(),
    )

    assert refused.status_code == 409, refused.text
    assert refused.json()["rule"] == "counselling_before_arrival"
    assert refused.json()["context"]["returnee_ids"] == [not_yet]
    assert await intake.events_stored() == events_before


async def test_session_participants_must_be_this_offices_returnees(
    intake: IntakeUnderTest,
) -> None:
    ours = (await intake.register())["returnee_id"]
    theirs = (
        await intake.http.post(
            intake.url("/returnees", office=intake.other_office),
            json=a_registration_body(),
            headers=intake.headers(office=intake.other_office),
        )
    ).json()["returnee_id"]

    refused = await intake.http.post(
        intake.url("/counselling-sessions"),
        json=a_session_body([ours, theirs, str(uuid4())]),
        headers=intake.headers(),
    )

    assert refused.status_code == 422, refused.text
    assert [f["field"] for f in refused.json()["fields"]] == [
        "body.participant_ids.1",
        "body.participant_ids.2",
    ]


async def test_an_interview_is_in_the_history_and_its_note_only_in_the_vault(
    intake: IntakeUnderTest,
) -> None:
    returnee_id = (await intake.register())["returnee_id"]
    note = "Worked six years in a tailor's shop in Abidjan " + str(uuid4())

    recorded = await intake.http.post(
        intake.url(f"/returnees/{returnee_id}/interviews"),
        json={
            "interviewed_on": days_ago(3),
            "skills": ["tailoring", "embroidery"],
            "years_of_experience": 6,
            "aspirations": ["garment_workshop"],
            "intended_track": "entrepreneurship",
            "note": note,
        },
        headers=intake.headers(),
    )

    assert recorded.status_code == 201, recorded.text
    [entry] = recorded.json()["counselling"]
    assert (entry["kind"], entry["intended_track"], entry["skills"]) == (
        "interview",
        "entrepreneurship",
        ["tailoring", "embroidery"],
    )
    assert note not in recorded.text
    [_, interview] = await intake.published(f"returnee-{returnee_id}", 2)
    assert interview.event_name == "CounsellingInterviewRecorded"
    assert note not in str(interview.data)
    personal = await intake.http.get(
        intake.url(f"/returnees/{returnee_id}/personal-data"),
        headers=intake.headers("personal_data_viewer"),
    )
    assert personal.json()["interview_notes"] == [{"interviewed_on": days_ago(3), "note": note}]


async def test_an_interview_before_arrival_names_the_field(intake: IntakeUnderTest) -> None:
    returnee_id = (await intake.register(a_registration_body(arrival_date=days_ago(10))))[
        "returnee_id"
    ]

    refused = await intake.http.post(
        intake.url(f"/returnees/{returnee_id}/interviews"),
        json={"interviewed_on": days_ago(11), "years_of_experience": 0,
              "intended_track": "other"},
        headers=intake.headers(),
    )  # fmt: skip

    assert refused.status_code == 422
    assert refused.json()["fields"][0]["field"] == "body.interviewed_on"
