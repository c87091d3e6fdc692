"""Personal data never reaches Kafka: every byte published on the intake topics during the run
is scanned for every registered name, phone, birth date, document and address."""

import json
from datetime import date

import pytest
from intake_builders import IntakeUnderTest, a_member_body, a_person_body, a_registration_body

from reintegration_contracts import Domain, topic_for
from reintegration_sdk.auth import Role
from reintegration_sdk.testing.service import read_topic, read_topic_records

pytestmark = pytest.mark.integration


def spellings(person: dict[str, object]) -> list[bytes]:
    """How each piece of personal data could appear in bytes: as typed, ASCII-folded, JSON-
    escaped, as a date in common formats, as a bare number."""
    birth = date.fromisoformat(str(person["birth_date"]))
    phone = str(person["phone"])
    document = person["identity_document"]
    assert isinstance(document, dict)
    texts = [
        str(person["given_names"]),
        str(person["family_name"]),
        str(person["family_name"]).replace("é", "e"),
        str(person["family_name"]).replace("é", "\\u00e9"),
        str(person["address"]),
        str(person["notes"]),
        str(document["number"]),
        phone,
        phone.replace(" ", ""),
        phone.replace(" ", "").replace("+", "")[-8:],
        birth.isoformat(),
        birth.strftime("%d/%m/%Y"),
        birth.strftime("%Y%m%d"),
    ]
    return [t.encode() for t in texts] + [t.lower().encode() for t in texts]


async def test_no_personal_data_is_published_on_the_intake_topics(
    intake: IntakeUnderTest,
) -> None:
    people = [a_person_body() for _ in range(3)]
    ids = [(await intake.register(a_registration_body(person=p)))["returnee_id"] for p in people]
    # A sister sharing her brother's phone: an override whose note names him.
    sister = a_person_body(phone=people[2]["phone"])
    override = {"reason": "shared_phone", "note": "Phone of " + people[2]["given_names"]}
    await intake.register(a_registration_body(person=sister, duplicate_override=override))
    people.append(sister)
    # Every kind of intake event, so each payload shape is scanned.
    first = f"/returnees/{ids[0]}"
    await intake.http.post(
        intake.url(first + "/consents"),
        json={"purpose": "case_sharing", "partner_category": "government"},
        headers=intake.headers(),
    )
    await intake.http.post(
        intake.url(first + "/interviews"),
        json={"interviewed_on": date.today().isoformat(), "years_of_experience": 2,
              "intended_track": "employment", "note": "Lives with " + people[1]["given_names"]},
        headers=intake.headers(),
    )  # fmt: skip
    await intake.http.post(
        intake.url("/counselling-sessions"),
        json={"held_on": date.today().isoformat(),
              "community": {"region": "Centre-Est", "commune": "Tenkodogo"},
              "experts_present": [{"sector": "livestock", "count": 1}],
              "local_authorities_present": 1, "civil_society_present": 0,
              "participant_ids": ids},
        headers=intake.headers(),
    )  # fmt: skip
    # Beyond returnees (#20): a community member, a psychosocial session whose notes name
    # people, assistance, a job fair, a CV written with a caseworker, a referral and its outcome.
    member = a_person_body()
    member_id = (
        await intake.http.post(
            intake.url("/community-members"), json=a_member_body(person=member),
            headers=intake.headers(),
        )
    ).json()["member_id"]  # fmt: skip
    people.append(member)
    secret = "Told of " + people[2]["family_name"] + " and " + member["given_names"]
    today = date.today().isoformat()
    community = {"region": "Centre-Est", "commune": "Tenkodogo"}
    for path, body in [
        ("/psychosocial-sessions", {"kind": "group", "held_on": today, "community": community,
                                    "facilitator": "counsellor", "notes": secret,
                                    "participant_ids": [ids[1], member_id]}),
        (f"/returnees/{ids[1]}/psychosocial-assistance",
         {"provided_on": today, "forms": ["counselling"]}),
        (f"/returnees/{ids[1]}/cv-support", {"supported_on": today}),
        ("/job-fairs", {"held_on": today, "locality": community, "young_people_present": 3,
                        "organisations": [{"kind": "employer", "count": 2}],
                        "participant_ids": [ids[1]]}),
    ]:  # fmt: skip
        answer = await intake.http.post(intake.url(path), json=body, headers=intake.headers())
        assert answer.status_code == 201, answer.text
    referral = await intake.http.post(
        intake.url(f"/returnees/{ids[1]}/job-referrals"), headers=intake.headers(),
        json={"referred_on": today, "to_kind": "employer", "sector": "retail"},
    )  # fmt: skip
    outcome = await intake.http.post(
        intake.url(f"/returnees/{ids[1]}/job-referrals/{referral.json()['referral_id']}/outcomes"),
        json={"outcome": "interview", "recorded_on": today}, headers=intake.headers(),
    )  # fmt: skip
    assert outcome.status_code == 201, outcome.text
    erased = await intake.http.delete(
        intake.url(first + "/personal-data"), headers=intake.headers(Role.OFFICE_MANAGER)
    )
    assert erased.status_code == 200, erased.text
    topic = topic_for(intake.office, Domain.INTAKE)
    envelopes = await read_topic(
        intake.infrastructure,
        topic,
        until=lambda es: any(
            e.event_name == "ReturneeErased" and e.data["returnee_id"] == ids[0] for e in es
        ),
    )
    ours = [e for e in envelopes if any(i in json.dumps(e.data) for i in [*ids, member_id])]
    assert {e.event_name for e in ours} >= {
        "ReturneeRegistered", "ConsentRecorded", "CounsellingInterviewRecorded",
        "CounsellingAttended", "ConsentWithdrawn", "ReturneeErased",
        "CommunityMemberRegistered", "PsychosocialSessionHeld", "PsychosocialAssistanceProvided",
        "JobFairHeld", "CvSupported", "JobReferralMade", "JobReferralOutcomeRecorded",
    }  # fmt: skip

    # Every record of the topic: keys, headers and values, this run's and any before it.
    records = await read_topic_records(intake.infrastructure, topic)
    published = b"\n".join(
        b"".join([r.key or b"", r.value or b"", *(name.encode() + v for name, v in r.headers)])
        for r in records
    )
    assert len(records) >= len(envelopes) > 0
    for person in people:
        for spelling in spellings(person):
            assert spelling not in published.lower() and spelling not in published, spelling
    for words in (secret, secret.split(" and ")[0]):
        assert words.encode() not in published and words.lower().encode() not in published.lower()
