"""#20 over HTTP on the real stack: community members, psychosocial support and the job path
(CV support, job fairs, referrals and their outcomes), as a caseworker uses them."""

import csv
import io
from datetime import date, timedelta
from typing import Any
from uuid import uuid4

import pytest
from intake_builders import IntakeUnderTest, a_member_body, a_person_body, a_registration_body

from reintegration_sdk.auth import Role

pytestmark = pytest.mark.integration

TODAY = date.today()
COMMUNITY = {"region": "Centre-Est", "commune": "Tenkodogo"}


def days_ago(days: int) -> str:
    return (TODAY - timedelta(days=days)).isoformat()


async def post(intake: IntakeUnderTest, path: str, body: dict[str, Any], **kw: Any) -> Any:
    return await intake.http.post(intake.url(path, **kw), json=body, headers=intake.headers())


async def test_a_community_member_is_registered_like_a_returnee_without_return_data(
    intake: IntakeUnderTest,
) -> None:
    adult = a_person_body(birth_date=date(TODAY.year - 30, 1, 1).isoformat())
    answer = await post(intake, "/community-members", a_member_body(person=adult))
    assert answer.status_code == 201, answer.text
    member_id = answer.json()["member_id"]
    assert answer.json() == {"member_id": member_id, "age_band": "25-34", "is_minor": False}

    seen = await intake.http.get(intake.url(f"/community-members/{member_id}"),
                                 headers=intake.headers())  # fmt: skip
    assert seen.status_code == 200
    assert seen.json()["community"] == COMMUNITY and adult["family_name"] not in seen.text
    who = await intake.http.get(
        intake.url(f"/community-members/{member_id}/personal-data"),
        headers=intake.headers(Role.PERSONAL_DATA_VIEWER),
    )
    assert who.json()["family_name"] == adult["family_name"]
    refused = await intake.http.get(
        intake.url(f"/community-members/{member_id}/personal-data"), headers=intake.headers()
    )
    assert refused.status_code == 403
    # Another office's member is as unknown as a random id.
    elsewhere = await intake.http.get(
        intake.url(f"/community-members/{member_id}", office=intake.other_office),
        headers=intake.headers(office=intake.other_office),
    )
    assert elsewhere.status_code == 404
    # The same person again: the returnees' duplicate check, across both.
    again = await post(intake, "/returnees", a_registration_body(person=adult))
    assert (again.status_code, again.json()["rule"]) == (409, "likely_duplicate")
    assert again.json()["context"]["candidate_ids"] == [member_id]


async def test_member_registration_names_every_wrong_field(intake: IntakeUnderTest) -> None:
    body = a_member_body(arrival_date=days_ago(3), registered_on=days_ago(-1))
    answer = await post(intake, "/community-members", body)

    assert answer.status_code == 422
    assert {f["field"] for f in answer.json()["fields"]} == {"body.arrival_date"}
    future = await post(intake, "/community-members", a_member_body(registered_on=days_ago(-1)))
    assert (future.status_code, [f["field"] for f in future.json()["fields"]]) == (
        422,
        ["body.registered_on"],
    )


async def test_psychosocial_sessions_and_assistance_show_on_the_case(
    intake: IntakeUnderTest,
) -> None:
    returnee_id = (await intake.register())["returnee_id"]
    member_id = await intake.register_member()
    note = "Spoke of the crossing; " + uuid4().hex
    group = {"kind": "group", "held_on": days_ago(1), "community": COMMUNITY,
             "facilitator": "psychologist", "participant_ids": [returnee_id, member_id],
             "notes": note}  # fmt: skip

    held = await post(intake, "/psychosocial-sessions", group)
    assert held.status_code == 201, held.text
    session_id = held.json()["session_id"]
    two = [returnee_id, str(uuid4())]
    lonely = await post(
        intake, "/psychosocial-sessions", {**group, "kind": "individual", "participant_ids": two}
    )
    assert lonely.status_code == 422
    assert {f["field"] for f in lonely.json()["fields"]} == {
        "body.participant_ids", "body.participant_ids.1"
    }  # fmt: skip
    assisted = await post(intake, f"/returnees/{returnee_id}/psychosocial-assistance",
                          {"provided_on": days_ago(1), "forms": ["family_mediation"]})  # fmt: skip
    assert assisted.status_code == 201, assisted.text

    case = (await intake.http.get(intake.url(f"/returnees/{returnee_id}"),
                                  headers=intake.headers())).json()  # fmt: skip
    assert case["psychosocial"] == {
        "sessions": [{"session_id": session_id, "kind": "group", "held_on": days_ago(1),
                      "facilitator": "psychologist"}],
        "assistance": [{"provided_on": days_ago(1), "forms": ["family_mediation"]}],
    }  # fmt: skip
    assert note not in str(case)
    member = await intake.http.get(intake.url(f"/community-members/{member_id}"),
                                   headers=intake.headers())  # fmt: skip
    assert [s["session_id"] for s in member.json()["psychosocial_sessions"]] == [session_id]
    # The notes are the vault's, shown only to those who may read personal data.
    who = await intake.http.get(
        intake.url(f"/returnees/{returnee_id}/personal-data"),
        headers=intake.headers(Role.PERSONAL_DATA_VIEWER),
    )
    assert who.json()["psychosocial_notes"] == [{"session_id": session_id, "note": note}]


async def test_the_job_path_from_cv_to_hired(intake: IntakeUnderTest) -> None:
    returnee_id = (await intake.register())["returnee_id"]
    absent = (await intake.register())["returnee_id"]
    cv = await post(intake, f"/returnees/{returnee_id}/cv-support", {"supported_on": days_ago(5)})
    assert cv.status_code == 201, cv.text
    fair = await post(intake, "/job-fairs", {
        "held_on": days_ago(4), "locality": COMMUNITY,
        "organisations": [{"kind": "employer", "count": 6}, {"kind": "micro_credit", "count": 1}],
        "participant_ids": [returnee_id], "young_people_present": 40})  # fmt: skip
    assert fair.status_code == 201, fair.text
    fair_id = fair.json()["fair_id"]

    referral = {"referred_on": days_ago(3), "to_kind": "employer", "sector": "construction",
                "organisation_id": "bati-sahel", "fair_id": fair_id}  # fmt: skip
    made = await post(intake, f"/returnees/{returnee_id}/job-referrals", referral)
    assert made.status_code == 201, made.text
    referral_id = made.json()["referral_id"]
    not_there = await post(intake, f"/returnees/{absent}/job-referrals", referral)
    assert (not_there.status_code, not_there.json()["rule"]) == (409, "job_fair_not_attended")
    unknown_fair = await post(intake, f"/returnees/{returnee_id}/job-referrals",
                              {**referral, "fair_id": str(uuid4())})  # fmt: skip
    assert [f["field"] for f in unknown_fair.json()["fields"]] == ["body.fair_id"]

    outcomes = f"/returnees/{returnee_id}/job-referrals/{referral_id}/outcomes"
    early = await post(intake, outcomes, {"outcome": "hired", "recorded_on": days_ago(1)})
    assert (early.status_code, early.json()["rule"]) == (409, "referral_outcome_out_of_order")
    credit = await post(intake, outcomes, {"outcome": "credit_granted", "recorded_on": days_ago(1)})
    assert credit.json()["rule"] == "referral_outcome_wrong_kind"
    before = await post(intake, outcomes, {"outcome": "interview", "recorded_on": days_ago(4)})
    assert [f["field"] for f in before.json()["fields"]] == ["body.recorded_on"]
    for outcome, day in [("interview", 2), ("offer", 1), ("hired", 0)]:
        answer = await post(intake, outcomes, {"outcome": outcome, "recorded_on": days_ago(day)})
        assert answer.status_code == 201, answer.text
    assert answer.json()["outcome"] == "hired"
    closed = await post(intake, outcomes, {"outcome": "not_retained", "recorded_on": days_ago(0)})
    assert closed.json()["rule"] == "referral_closed"

    case = (await intake.http.get(intake.url(f"/returnees/{returnee_id}"),
                                  headers=intake.headers())).json()  # fmt: skip
    assert case["job_path"]["cv_supported_on"] == [days_ago(5)]
    assert case["job_path"]["fairs"] == [{"fair_id": fair_id, "held_on": days_ago(4)}]
    [listed] = case["job_path"]["referrals"]
    assert [o["outcome"] for o in listed["outcomes"]] == ["interview", "offer", "hired"]

    mine = await intake.http.get(intake.url(f"/job-referrals?returnee_id={returnee_id}"),
                                 headers=intake.headers(Role.MONITORING_OFFICER))  # fmt: skip
    assert [r["referral_id"] for r in mine.json()] == [referral_id]
    sheet = await intake.http.get(
        intake.url(f"/job-referrals?returnee_id={returnee_id}&format=csv"),
        headers=intake.headers(),
    )
    assert sheet.headers["content-type"].startswith("text/csv")
    [row] = list(csv.DictReader(io.StringIO(sheet.text)))
    assert (row["referral_id"], row["outcome"], row["organisation_id"]) == (
        referral_id, "hired", "bati-sahel"
    )  # fmt: skip
    elsewhere = await intake.http.get(
        intake.url(f"/job-referrals?returnee_id={returnee_id}", office=intake.other_office),
        headers=intake.headers(office=intake.other_office),
    )
    assert elsewhere.json() == []


async def test_another_offices_returnee_and_fair_are_unknown(intake: IntakeUnderTest) -> None:
    returnee_id = (await intake.register())["returnee_id"]
    other = intake.other_office
    headers = intake.headers(office=other)
    for path, body in [
        ("/cv-support", {"supported_on": days_ago(1)}),
        ("/psychosocial-assistance", {"provided_on": days_ago(1), "forms": ["counselling"]}),
        ("/job-referrals", {"referred_on": days_ago(1), "to_kind": "bank", "sector": "retail"}),
    ]:
        answer = await intake.http.post(
            intake.url(f"/returnees/{returnee_id}{path}", office=other), json=body, headers=headers
        )
        assert answer.status_code == 404, (path, answer.text)
    session = await intake.http.post(
        intake.url("/psychosocial-sessions", office=other), headers=headers,
        json={"kind": "individual", "held_on": days_ago(1), "community": COMMUNITY,
              "facilitator": "social_worker", "participant_ids": [returnee_id]},
    )  # fmt: skip
    assert [f["field"] for f in session.json()["fields"]] == ["body.participant_ids.0"]
    fair = await post(intake, "/job-fairs", {
        "held_on": days_ago(1), "locality": COMMUNITY, "organisations": [{"kind": "bank",
        "count": 1}], "participant_ids": [returnee_id], "young_people_present": 0})  # fmt: skip
    assert (await intake.http.get(intake.url(f"/job-fairs/{fair.json()['fair_id']}", office=other),
                                  headers=headers)).status_code == 404  # fmt: skip


async def test_an_outcome_sent_twice_with_one_key_is_recorded_once(
    intake: IntakeUnderTest,
) -> None:
    returnee_id = (await intake.register())["returnee_id"]
    referral = {"referred_on": days_ago(2), "to_kind": "bank", "sector": "retail"}
    made = await post(intake, f"/returnees/{returnee_id}/job-referrals", referral)
    path = f"/returnees/{returnee_id}/job-referrals/{made.json()['referral_id']}/outcomes"
    headers = {**intake.headers(), "Idempotency-Key": str(uuid4())}
    body = {"outcome": "credit_interview", "recorded_on": days_ago(1)}
    before = await intake.events_stored_for(returnee_id)

    first, again = [
        await intake.http.post(intake.url(path), json=body, headers=headers) for _ in range(2)
    ]

    assert first.status_code == 201, first.text
    assert (again.status_code, again.content) == (201, first.content)
    assert await intake.events_stored_for(returnee_id) == before + 1
    # Without the key the same outcome is a second one, and the rule refuses it.
    third = await post(intake, path, body)
    assert third.json()["rule"] == "referral_outcome_already_recorded"


async def test_erasure_takes_the_notes_of_the_sessions_the_returnee_was_in(
    intake: IntakeUnderTest,
) -> None:
    returnee_id = (await intake.register())["returnee_id"]
    member_id = await intake.register_member()
    session = {"kind": "group", "held_on": days_ago(1), "community": COMMUNITY,
               "facilitator": "counsellor", "participant_ids": [returnee_id, member_id],
               "notes": "Both spoke of " + uuid4().hex}  # fmt: skip
    assert (await post(intake, "/psychosocial-sessions", session)).status_code == 201

    erased = await intake.http.delete(
        intake.url(f"/returnees/{returnee_id}/personal-data"),
        headers=intake.headers(Role.OFFICE_MANAGER),
    )

    assert erased.status_code == 200, erased.text
    left = await intake.db.fetchval(
        "SELECT count(*) FROM vault_psychosocial_notes WHERE note = $1", session["notes"]
    )
    assert left == 0
    # The anonymous case still takes part in sessions, without words about it.
    again = await post(intake, "/psychosocial-sessions", session)
    assert (again.status_code, again.json()["rule"]) == (409, "returnee_erased")
    assert (
        await post(intake, "/psychosocial-sessions", {**session, "notes": None})
    ).status_code == 201
