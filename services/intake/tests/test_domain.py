"""Intake's rules as tables: given events -> command -> expected events or the rule broken."""

from dataclasses import replace
from datetime import date
from uuid import uuid4

import pytest
from intake_builders import (
    ARRIVAL,
    TODAY,
    a_person,
    a_registration,
    a_session,
    known_as,
    registered,
)

from intake.domain import (
    AssignCase,
    AttendSession,
    EraseReturnee,
    IdentityDocument,
    PlanOutcome,
    RecordConsent,
    RecordInterview,
    ReturneeCase,
    Stage,
    WithdrawConsent,
    case_stage,
    cases,
    likely_duplicates,
    name_similarity,
    same_phone,
    sessions,
    stage_reached_by,
)
from reintegration_contracts.events.committee import PlanRejected
from reintegration_contracts.events.intake import (
    CaseAssigned,
    ConsentPurpose,
    ConsentRecorded,
    ConsentWithdrawn,
    CounsellingAttended,
    CounsellingInterviewRecorded,
    CounsellingSessionHeld,
    OverrideReason,
    PartnerCategory,
    ReturneeErased,
    ReturneeRegistered,
)
from reintegration_contracts.types import AgeBand, Track, Vulnerability
from reintegration_sdk import Gone, InvalidFields, NotFound, RuleViolation

pytestmark = pytest.mark.unit

RETURNEE = uuid4()
REFERRAL_NGO = (ConsentPurpose.REFERRAL, PartnerCategory.NGO)


def consent_given(purpose: ConsentPurpose, partner: PartnerCategory) -> ConsentRecorded:
    return ConsentRecorded(
        returnee_id=RETURNEE, purpose=purpose, partner_category=partner, given_on=TODAY
    )


def erased() -> ReturneeErased:
    return ReturneeErased(returnee_id=RETURNEE, erased_on=TODAY)


# --- Registration ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth_date", "arrival_date", "age_band", "is_minor"),
    [
        (date(1996, 5, 14), ARRIVAL, AgeBand.AGE_25_34, False),
        # ARRIVAL is 2025-02-03, registration (TODAY) 2025-03-10: the age is the arrival's.
        (date(2007, 2, 4), ARRIVAL, AgeBand.AGE_15_17, True),  # 18 the day after arrival
        (date(2007, 2, 3), ARRIVAL, AgeBand.AGE_18_24, False),  # 18 on the day of arrival
        (date(2007, 3, 10), ARRIVAL, AgeBand.AGE_15_17, True),  # 18 when entered, not arrived
        # A backfilled case: arrived three years before it was entered, a minor then.
        (date(2005, 6, 1), date(2022, 3, 1), AgeBand.AGE_15_17, True),
        (date(1992, 3, 9), date(2017, 3, 1), AgeBand.AGE_18_24, False),  # 24 then, 32 when entered
        (date(1958, 1, 1), ARRIVAL, AgeBand.AGE_65_PLUS, False),
    ],
)
def test_registration_carries_the_age_band_and_minor_flag_at_arrival_never_the_birth_date(
    birth_date: date, arrival_date: date, age_band: AgeBand, is_minor: bool
) -> None:
    command = a_registration(person=a_person(birth_date=birth_date), arrival_date=arrival_date)

    [event] = cases.given([], command)

    assert isinstance(event, ReturneeRegistered)
    assert (event.age_band, event.is_minor) == (age_band, is_minor)
    published = event.model_dump_json()
    for personal in ("Aminata", "Ouédraogo", "Ouedraogo", "70 12 34 56", "B1234567", "Secteur"):
        assert personal not in published
    assert birth_date.isoformat() not in published


def test_registration_publishes_the_case_without_the_person() -> None:
    command = a_registration(
        returnee_id=RETURNEE,
        sub_office="koupela",
        vulnerabilities=(Vulnerability.SINGLE_PARENT,),
        aspirations=("garment_workshop",),
    )

    assert cases.given([], command) == [
        ReturneeRegistered(
            returnee_id=RETURNEE,
            sub_office="koupela",
            arrival_date=ARRIVAL,
            return_type=command.return_type,
            community=command.community,
            sex=command.sex,
            age_band=AgeBand.AGE_25_34,
            is_minor=False,
            vulnerabilities=[Vulnerability.SINGLE_PARENT],
            declared_trades=[],
            aspirations=["garment_workshop"],
            household_size=4,
            duplicate_override=None,
        )
    ]


@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        ({"arrival_date": date(2025, 3, 11)}, ["arrival_date"]),
        ({"person": a_person(birth_date=ARRIVAL)}, ["person.birth_date"]),
        ({"person": a_person(birth_date=date(1900, 1, 1))}, ["person.birth_date"]),
        ({"vulnerabilities": (Vulnerability.UNACCOMPANIED_MINOR,)}, ["vulnerabilities"]),
        (
            {"arrival_date": date(2026, 1, 1), "person": a_person(birth_date=date(2026, 6, 1))},
            ["arrival_date", "person.birth_date"],
        ),
    ],
)
def test_registration_names_every_wrong_field(overrides: dict[str, object], fields: list[str]):
    with pytest.raises(InvalidFields) as refused:
        cases.given([], a_registration(**overrides))

    assert [field for field, _ in refused.value.problems] == fields


def test_an_unaccompanied_minor_is_registered_as_a_minor() -> None:
    command = a_registration(
        person=a_person(birth_date=date(2010, 1, 1)),
        vulnerabilities=(Vulnerability.UNACCOMPANIED_MINOR,),
    )

    [event] = cases.given([], command)

    assert isinstance(event, ReturneeRegistered)
    assert event.is_minor
    assert event.vulnerabilities == [Vulnerability.UNACCOMPANIED_MINOR]


def test_a_returnee_is_registered_once() -> None:
    with pytest.raises(RuleViolation) as refused:
        cases.decide(ReturneeCase(RETURNEE, ARRIVAL, False), a_registration(returnee_id=RETURNEE))

    assert refused.value.rule == "already_registered"


# --- Duplicate check -------------------------------------------------------------------------

ORIGINAL = a_person()


@pytest.mark.parametrize(
    ("applicant", "why"),
    [
        (a_person(given_names="Aminatta", family_name="Ouedraogo", phone=None,
                  identity_document=None), "near-identical name, same birth date"),
        (a_person(given_names="OUEDRAOGO", family_name="aminata", phone=None,
                  identity_document=None), "name parts swapped, accents dropped"),
        (a_person(given_names="Awa", family_name="Sawadogo", birth_date=date(1990, 1, 1),
                  phone="0022670123456", identity_document=None), "same phone, other form"),
        (a_person(given_names="Awa", family_name="Sawadogo", birth_date=date(1990, 1, 1),
                  phone="70 12 34 56", identity_document=None), "same phone, no country code"),
        (a_person(given_names="Awa", family_name="Sawadogo", birth_date=date(1990, 1, 1),
                  phone=None, identity_document=IdentityDocument("passport", "b-123 4567")),
         "same identity document number"),
    ],
)  # fmt: skip
def test_a_likely_duplicate_is_refused_with_the_candidates(applicant, why) -> None:
    candidate = known_as(ORIGINAL)

    with pytest.raises(RuleViolation) as refused:
        cases.given([], a_registration(person=applicant, people_alike=(candidate,)))

    assert refused.value.rule == "likely_duplicate", why
    assert refused.value.context["candidate_ids"] == [str(candidate.returnee_id)]


@pytest.mark.parametrize(
    ("applicant", "why"),
    [
        (a_person(given_names="Awa", phone=None, identity_document=None),
         "another given name, same family name and birth date"),
        (a_person(given_names="Aminatta", birth_date=date(1996, 5, 15), phone=None,
                  identity_document=None), "similar name, another birth date"),
        (a_person(given_names="Awa", family_name="Sawadogo", phone="+226 71 12 34 56",
                  identity_document=None), "another phone number"),
        (a_person(given_names="Awa", family_name="Sawadogo", phone="3456",
                  identity_document=None), "too few digits to match a longer number"),
    ],
)  # fmt: skip
def test_different_people_are_not_duplicates(applicant, why) -> None:
    assert likely_duplicates(applicant, [known_as(ORIGINAL)]) == [], why


def test_a_caseworker_overrides_the_duplicate_check_with_a_reason_kept_in_the_event() -> None:
    candidate = known_as(ORIGINAL)
    command = a_registration(
        person=a_person(phone=None, identity_document=None),
        people_alike=(candidate,),
        override_reason=OverrideReason.NAMESAKE,
        override_note="From another village, checked with the chief",
    )

    [event] = cases.given([], command)

    assert isinstance(event, ReturneeRegistered)
    assert event.duplicate_override is not None
    assert event.duplicate_override.candidate_ids == [candidate.returnee_id]
    assert event.duplicate_override.reason is OverrideReason.NAMESAKE
    assert "village" not in event.model_dump_json()  # the caseworker's words stay in the vault


def test_no_override_is_recorded_when_nobody_is_alike() -> None:
    [event] = cases.given([], a_registration(override_reason=OverrideReason.OTHER))

    assert isinstance(event, ReturneeRegistered)
    assert event.duplicate_override is None


@pytest.mark.parametrize(
    ("first", "second", "at_least", "below"),
    [
        (("Aminata", "Ouédraogo"), ("aminata", "OUEDRAOGO"), 1.0, None),
        (("Moussa", "Traoré"), ("Mousa", "Traore"), 0.9, None),
        (("Issa", "Koné"), ("Awa", "Kone"), None, 0.85),
        (("", ""), ("Awa", "Kone"), None, 0.01),
    ],
)
def test_name_similarity(first, second, at_least, below) -> None:
    score = name_similarity(first, second)
    if at_least is not None:
        assert score >= at_least
    if below is not None:
        assert score < below


def test_same_phone_needs_digits() -> None:
    assert not same_phone("n/a", "none")
    assert same_phone("+226 70-12-34-56", "0022670123456")


# --- Who holds the case ----------------------------------------------------------------------


def registered_by(caseworker: str | None) -> ReturneeRegistered:
    return registered(RETURNEE).model_copy(update={"caseworker": caseworker})


def assigned(caseworker: str, number: int, before: str | None = None) -> CaseAssigned:
    return CaseAssigned(
        returnee_id=RETURNEE,
        caseworker=caseworker,
        previous_caseworker=before,
        assigned_on=TODAY,
        assignment=number,
    )


def taking(caseworker: str) -> AssignCase:
    return AssignCase(caseworker, assigned_on=TODAY, by=caseworker, by_office_manager=False)


def manager_assigns(caseworker: str) -> AssignCase:
    return AssignCase(caseworker, assigned_on=TODAY, by="manager-1", by_office_manager=True)


def test_registration_names_the_caseworker_who_holds_the_case() -> None:
    [event] = cases.given([], a_registration(returnee_id=RETURNEE, caseworker="cw-1"))

    assert isinstance(event, ReturneeRegistered)
    assert event.caseworker == "cw-1"
    assert cases.fold([event]).caseworker == "cw-1"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("given", "command", "expected"),
    [
        # An office manager's import left the case to no one: a caseworker takes it.
        ([registered_by(None)], taking("cw-2"), [assigned("cw-2", 1)]),
        # The office manager gives it to someone, then reassigns it.
        ([registered_by(None)], manager_assigns("cw-2"), [assigned("cw-2", 1)]),
        ([registered_by("cw-1")], manager_assigns("cw-2"), [assigned("cw-2", 1, before="cw-1")]),
        ([registered_by("cw-1"), assigned("cw-2", 1, before="cw-1")], manager_assigns("cw-1"),
         [assigned("cw-1", 2, before="cw-2")]),
        # An erased returnee's case stays, anonymous, and someone still follows it.
        ([registered_by("cw-1"), erased()], manager_assigns("cw-2"),
         [assigned("cw-2", 1, before="cw-1")]),
    ],
)  # fmt: skip
def test_a_case_is_taken_assigned_and_reassigned(given, command, expected) -> None:
    assert cases.given(given, command) == expected


@pytest.mark.parametrize(
    ("given", "command", "rule"),
    [
        ([registered_by("cw-1")], taking("cw-1"), "case_already_assigned"),
        ([registered_by("cw-1")], manager_assigns("cw-1"), "case_already_assigned"),
        ([registered_by("cw-1")], taking("cw-2"), "case_held_by_another"),
        ([registered_by(None), assigned("cw-1", 1)], taking("cw-2"), "case_held_by_another"),
        ([registered_by(None)],
         AssignCase("cw-2", assigned_on=TODAY, by="cw-1", by_office_manager=False),
         "case_assigned_by_manager_only"),
    ],
)  # fmt: skip
def test_case_assignment_rules(given, command, rule) -> None:
    with pytest.raises(RuleViolation) as refused:
        cases.given(given, command)

    assert refused.value.rule == rule


def test_no_case_to_assign_before_registration() -> None:
    with pytest.raises(NotFound):
        cases.given([], manager_assigns("cw-1"))


# --- Consent ---------------------------------------------------------------------------------

GIVE_REFERRAL_NGO = RecordConsent(*REFERRAL_NGO, given_on=TODAY, today=TODAY)
WITHDRAW_REFERRAL_NGO = WithdrawConsent(*REFERRAL_NGO, withdrawn_on=TODAY, today=TODAY)


@pytest.mark.parametrize(
    ("given", "command", "expected"),
    [
        ([], GIVE_REFERRAL_NGO, [consent_given(*REFERRAL_NGO)]),
        (
            [consent_given(ConsentPurpose.RESEARCH, PartnerCategory.NGO)],
            GIVE_REFERRAL_NGO,
            [consent_given(*REFERRAL_NGO)],
        ),
        (
            [consent_given(*REFERRAL_NGO)],
            WITHDRAW_REFERRAL_NGO,
            [ConsentWithdrawn(returnee_id=RETURNEE, purpose=REFERRAL_NGO[0],
                              partner_category=REFERRAL_NGO[1], withdrawn_on=TODAY)],
        ),
    ],
)  # fmt: skip
def test_consent_is_given_and_withdrawn(given, command, expected) -> None:
    assert cases.given([registered(RETURNEE), *given], command) == expected


@pytest.mark.parametrize(
    ("given", "command", "rule"),
    [
        ([consent_given(*REFERRAL_NGO)], GIVE_REFERRAL_NGO, "consent_already_given"),
        ([], WITHDRAW_REFERRAL_NGO, "consent_not_given"),
        ([consent_given(*REFERRAL_NGO), ConsentWithdrawn(
            returnee_id=RETURNEE, purpose=REFERRAL_NGO[0], partner_category=REFERRAL_NGO[1],
            withdrawn_on=TODAY)], WITHDRAW_REFERRAL_NGO, "consent_not_given"),
        ([erased()], GIVE_REFERRAL_NGO, "returnee_erased"),
    ],
)  # fmt: skip
def test_consent_rules(given, command, rule) -> None:
    with pytest.raises(RuleViolation) as refused:
        cases.given([registered(RETURNEE), *given], command)

    assert refused.value.rule == rule


def test_consent_cannot_be_dated_in_the_future() -> None:
    command = RecordConsent(*REFERRAL_NGO, given_on=date(2025, 3, 11), today=TODAY)

    with pytest.raises(InvalidFields) as refused:
        cases.given([registered(RETURNEE)], command)

    assert refused.value.problems[0][0] == "given_on"


def test_commands_on_an_unknown_returnee_are_not_found() -> None:
    with pytest.raises(NotFound):
        cases.given([], GIVE_REFERRAL_NGO)


# --- Individual interview --------------------------------------------------------------------


def an_interview(on: date, note: str | None = None) -> RecordInterview:
    return RecordInterview(
        interviewed_on=on,
        today=TODAY,
        years_of_experience=6,
        intended_track=Track.VOCATIONAL_TRAINING,
        skills=("tailoring",),
        aspirations=("garment_workshop",),
        note=note,
    )


def test_an_interview_records_skills_and_intended_track() -> None:
    [event] = cases.given([registered(RETURNEE)], an_interview(date(2025, 3, 1)))

    assert event == CounsellingInterviewRecorded(
        returnee_id=RETURNEE,
        interviewed_on=date(2025, 3, 1),
        skills=["tailoring"],
        years_of_experience=6,
        aspirations=["garment_workshop"],
        intended_track=Track.VOCATIONAL_TRAINING,
    )


@pytest.mark.parametrize("day", [date(2025, 2, 2), date(2025, 3, 11)])
def test_an_interview_is_dated_between_arrival_and_today(day: date) -> None:
    with pytest.raises(InvalidFields) as refused:
        cases.given([registered(RETURNEE)], an_interview(day))

    assert refused.value.problems[0][0] == "interviewed_on"


def test_no_interview_note_is_kept_for_an_erased_returnee() -> None:
    state = cases.fold([registered(RETURNEE), erased()])

    with pytest.raises(RuleViolation) as refused:
        cases.decide(state, an_interview(date(2025, 3, 1), note="Wants to open a shop"))
    assert refused.value.rule == "returnee_erased"
    assert cases.decide(state, an_interview(date(2025, 3, 1)))  # the anonymous case goes on


# --- Erasure ---------------------------------------------------------------------------------


def test_erasure_withdraws_every_consent_then_erases() -> None:
    research_ngo = (ConsentPurpose.RESEARCH, PartnerCategory.UN_AGENCY)
    state = cases.fold(
        [registered(RETURNEE), consent_given(*REFERRAL_NGO), consent_given(*research_ngo)]
    )

    events = cases.decide(state, EraseReturnee(erased_on=TODAY))

    assert events == [
        ConsentWithdrawn(returnee_id=RETURNEE, purpose=purpose, partner_category=partner,
                         withdrawn_on=TODAY)
        for purpose, partner in sorted([REFERRAL_NGO, research_ngo])
    ] + [erased()]  # fmt: skip


def test_a_returnee_is_erased_once() -> None:
    with pytest.raises(Gone):
        cases.given([registered(RETURNEE), erased()], EraseReturnee(erased_on=TODAY))


def test_the_case_remembers_what_happened() -> None:
    session = uuid4()
    state = cases.fold(
        [
            registered(RETURNEE),
            consent_given(*REFERRAL_NGO),
            CounsellingAttended(
                returnee_id=RETURNEE, session_id=session, attended_on=TODAY, days_since_arrival=35
            ),
            erased(),
        ]
    )

    assert state == ReturneeCase(
        RETURNEE,
        ARRIVAL,
        is_minor=False,
        consents=frozenset({REFERRAL_NGO}),
        sessions_attended=frozenset({session}),
        erased=True,
    )


# --- Group counselling sessions --------------------------------------------------------------


def test_a_session_is_held_with_its_participants() -> None:
    early, late = uuid4(), uuid4()
    command = a_session([early, late], held_on=date(2025, 3, 5))
    participants = {early: cases.fold([registered(early)]), late: cases.fold([registered(late)])}

    assert sessions.given([], replace(command, participants=participants)) == [
        CounsellingSessionHeld(
            session_id=command.session_id,
            held_on=date(2025, 3, 5),
            community=command.community,
            experts_present=list(command.experts_present),
            local_authorities_present=1,
            civil_society_present=2,
            participant_ids=[early, late],
        )
    ]


@pytest.mark.parametrize(
    ("arrival_date", "days_since_arrival"), [(date(2025, 2, 3), 30), (date(2025, 3, 1), 4)]
)
def test_each_participant_attends_with_the_days_since_arrival(
    arrival_date: date, days_since_arrival: int
) -> None:
    session = uuid4()

    attended = cases.given(
        [registered(RETURNEE, arrival_date=arrival_date)], AttendSession(session, date(2025, 3, 5))
    )

    assert attended == [
        CounsellingAttended(
            returnee_id=RETURNEE,
            session_id=session,
            attended_on=date(2025, 3, 5),
            days_since_arrival=days_since_arrival,
        )
    ]


def test_a_session_cannot_be_dated_before_a_participants_arrival() -> None:
    on_time, not_back_yet = uuid4(), uuid4()
    participants = {
        on_time: cases.fold([registered(on_time, arrival_date=date(2025, 2, 3))]),
        not_back_yet: cases.fold([registered(not_back_yet, arrival_date=date(2025, 3, 6))]),
    }
    command = replace(a_session([on_time, not_back_yet]), participants=participants)

    with pytest.raises(RuleViolation) as refused:
        sessions.given([], command)

    assert refused.value.rule == "counselling_before_arrival"
    assert refused.value.context["returnee_ids"] == [str(not_back_yet)]
    with pytest.raises(RuleViolation) as not_back:
        cases.given(
            [registered(not_back_yet, arrival_date=date(2025, 3, 6))],
            AttendSession(command.session_id, command.held_on),
        )
    assert not_back.value.rule == "counselling_before_arrival"


def test_session_input_names_each_bad_participant_and_date() -> None:
    known, stranger = uuid4(), uuid4()
    participants = {known: cases.fold([registered(known)]), stranger: None}
    command = a_session([known, stranger, known], held_on=date(2025, 3, 11))

    with pytest.raises(InvalidFields) as refused:
        sessions.given([], replace(command, participants=participants))

    assert [f for f, _ in refused.value.problems] == [
        "held_on",
        "participant_ids.1",
        "participant_ids.2",
    ]


def test_a_session_is_recorded_once() -> None:
    known = uuid4()
    command = replace(a_session([known]), participants={known: cases.fold([registered(known)])})
    [held] = sessions.given([], command)

    with pytest.raises(RuleViolation) as refused:
        sessions.given([held], command)

    assert refused.value.rule == "session_already_recorded"


# --- Stage of a case -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("counselled", "milestones", "plans", "expected"),
    [
        (False, [], [], Stage.REGISTERED),
        (True, [], [], Stage.COUNSELLED),
        (True, [Stage.CERTIFIED, Stage.IN_TRAINING], [], Stage.CERTIFIED),
        (True, [Stage.CERTIFIED], [PlanOutcome.PENDING], Stage.PLAN_SUBMITTED),
        (True, [Stage.CERTIFIED], [PlanOutcome.REJECTED], Stage.PLAN_REJECTED),
        # Submitted again after a rejection: back before the committee, in any order.
        (True, [], [PlanOutcome.REJECTED, PlanOutcome.PENDING], Stage.PLAN_SUBMITTED),
        (True, [], [PlanOutcome.PENDING, PlanOutcome.REJECTED], Stage.PLAN_SUBMITTED),
        (True, [], [PlanOutcome.REJECTED, PlanOutcome.APPROVED], Stage.PLAN_APPROVED),
        (True, [Stage.KIT_DELIVERED], [PlanOutcome.REJECTED], Stage.KIT_DELIVERED),
        (True, [Stage.FOLLOWED_UP, Stage.KIT_DELIVERED], [PlanOutcome.APPROVED], Stage.FOLLOWED_UP),
        # A plan milestone from an older read model does not count: plans decide plan stages.
        (True, [Stage.PLAN_APPROVED], [PlanOutcome.PENDING], Stage.PLAN_SUBMITTED),
    ],
)
def test_a_case_stage_is_a_function_of_what_is_known(
    counselled: bool, milestones: list[Stage], plans: list[PlanOutcome], expected: Stage
) -> None:
    assert case_stage(counselled, milestones, plans) is expected
    assert case_stage(counselled, reversed(milestones), reversed(plans)) is expected


def test_upstream_events_show_the_stage_reached() -> None:
    rejected = PlanRejected(
        plan_id=uuid4(), session_id=uuid4(), rejected_on=TODAY, reasons=["market_saturated"]
    )

    assert stage_reached_by(rejected) is Stage.PLAN_REJECTED
    assert stage_reached_by(erased()) is None
