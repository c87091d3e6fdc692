"""The rules of #20 as tables: community members, psychosocial sessions and assistance, job
fairs, CV support, job referrals and which outcome may follow which."""

from dataclasses import replace
from datetime import date, timedelta
from uuid import UUID, uuid4

import pytest
from intake_builders import ARRIVAL, COMMUNITY, TODAY, a_person, known_as, registered

from intake.domain import (
    HoldJobFair,
    HoldPsychosocialSession,
    MakeJobReferral,
    Participant,
    ProvidePsychosocialAssistance,
    RecordReferralOutcome,
    Referral,
    RegisterCommunityMember,
    SupportCv,
    cases,
    check_outcome,
    job_fairs,
    members,
    psychosocial_sessions,
)
from reintegration_contracts.events.intake import (
    CommunityMemberRegistered,
    CvSupported,
    EmployerKind,
    Facilitator,
    JobFairHeld,
    JobReferralMade,
    JobReferralOutcomeRecorded,
    OrganisationsPresent,
    OverrideReason,
    PsychosocialAssistance,
    PsychosocialAssistanceProvided,
    PsychosocialSessionKind,
    ReferralOutcome,
)
from reintegration_contracts.types import AgeBand, Sex, Vulnerability
from reintegration_sdk import InvalidFields, NotFound, RuleViolation

pytestmark = pytest.mark.unit

RETURNEE, OTHER, MEMBER, REFERRAL, FAIR = uuid4(), uuid4(), uuid4(), uuid4(), uuid4()
Out = ReferralOutcome
K = EmployerKind


def fields_of(refused: pytest.ExceptionInfo[InvalidFields]) -> list[str]:
    return [field for field, _ in refused.value.problems]


# --- Which outcome may follow which (pure) -------------------------------------------------


def referral(kind: EmployerKind, *outcomes: ReferralOutcome) -> Referral:
    return Referral(REFERRAL, kind, date(2025, 3, 1), outcomes)


@pytest.mark.parametrize(
    ("kind", "before", "outcome", "rule"),
    [
        # A job path: interview, offer, hired or not retained.
        (K.EMPLOYER, (), Out.INTERVIEW, None),
        (K.EMPLOYER, (Out.INTERVIEW,), Out.OFFER, None),
        (K.RECRUITMENT_AGENCY, (Out.INTERVIEW, Out.OFFER), Out.HIRED, None),
        (K.EMPLOYER, (Out.OFFER,), Out.HIRED, None),
        (K.EMPLOYER, (Out.INTERVIEW,), Out.NOT_RETAINED, None),
        (K.EMPLOYER, (), Out.NOT_RETAINED, None),
        # Hired needs an offer first.
        (K.EMPLOYER, (), Out.HIRED, "referral_outcome_out_of_order"),
        (K.RECRUITMENT_AGENCY, (Out.INTERVIEW,), Out.HIRED, "referral_outcome_out_of_order"),
        # Credit outcomes only for a lender or an insurer, job outcomes only for a job.
        (K.EMPLOYER, (), Out.CREDIT_INTERVIEW, "referral_outcome_wrong_kind"),
        (K.RECRUITMENT_AGENCY, (), Out.CREDIT_GRANTED, "referral_outcome_wrong_kind"),
        (K.BANK, (), Out.INTERVIEW, "referral_outcome_wrong_kind"),
        (K.MICRO_CREDIT, (Out.CREDIT_INTERVIEW,), Out.OFFER, "referral_outcome_wrong_kind"),
        (K.MICRO_INSURANCE, (), Out.HIRED, "referral_outcome_wrong_kind"),
        # A credit path: credit interview, then granted or refused.
        (K.BANK, (), Out.CREDIT_INTERVIEW, None),
        (K.MICRO_CREDIT, (Out.CREDIT_INTERVIEW,), Out.CREDIT_GRANTED, None),
        (K.MICRO_INSURANCE, (Out.CREDIT_INTERVIEW,), Out.CREDIT_REFUSED, None),
        (K.BANK, (), Out.CREDIT_GRANTED, "referral_outcome_out_of_order"),
        (K.MICRO_CREDIT, (), Out.CREDIT_REFUSED, "referral_outcome_out_of_order"),
        # Nothing after a final outcome.
        (K.EMPLOYER, (Out.OFFER, Out.HIRED), Out.INTERVIEW, "referral_closed"),
        (K.EMPLOYER, (Out.NOT_RETAINED,), Out.INTERVIEW, "referral_closed"),
        (K.EMPLOYER, (Out.INTERVIEW, Out.NOT_RETAINED), Out.OFFER, "referral_closed"),
        (K.BANK, (Out.CREDIT_INTERVIEW, Out.CREDIT_GRANTED), Out.CREDIT_REFUSED, "referral_closed"),
        (K.BANK, (Out.CREDIT_INTERVIEW, Out.CREDIT_REFUSED), Out.CREDIT_GRANTED, "referral_closed"),
        # One outcome once.
        (K.EMPLOYER, (Out.INTERVIEW,), Out.INTERVIEW, "referral_outcome_already_recorded"),
        (K.BANK, (Out.CREDIT_INTERVIEW,), Out.CREDIT_INTERVIEW,
         "referral_outcome_already_recorded"),
    ],
)  # fmt: skip
def test_which_outcome_may_follow_which(kind, before, outcome, rule) -> None:
    if rule is None:
        check_outcome(referral(kind, *before), outcome)
        return
    with pytest.raises(RuleViolation) as refused:
        check_outcome(referral(kind, *before), outcome)
    assert refused.value.rule == rule


# --- On a returnee's case ------------------------------------------------------------------


def referred(kind: EmployerKind = K.EMPLOYER, on: date = date(2025, 3, 1)) -> JobReferralMade:
    return JobReferralMade(
        referral_id=REFERRAL, returnee_id=RETURNEE, referred_on=on, to_kind=kind, sector="retail"
    )


def came_of_it(outcome: ReferralOutcome, on: date = date(2025, 3, 5)) -> JobReferralOutcomeRecorded:
    return JobReferralOutcomeRecorded(
        referral_id=REFERRAL, returnee_id=RETURNEE, outcome=outcome, recorded_on=on
    )


def referring(on: date = date(2025, 3, 1), **overrides: object) -> MakeJobReferral:
    command = MakeJobReferral(REFERRAL, on, TODAY, K.EMPLOYER, "retail")
    return replace(command, **overrides)  # type: ignore[arg-type]


def a_fair(participants: list[UUID], held_on: date = date(2025, 2, 20)) -> JobFairHeld:
    return JobFairHeld(
        fair_id=FAIR,
        held_on=held_on,
        locality=COMMUNITY,
        organisations=[OrganisationsPresent(kind=K.EMPLOYER, count=3)],
        participant_ids=participants,
        young_people_present=12,
    )


def test_a_referral_and_its_outcomes_in_turn() -> None:
    history = [registered(RETURNEE), referred(), came_of_it(Out.OFFER)]

    assert cases.given(history[:1], referring()) == [referred()]
    hired = RecordReferralOutcome(REFERRAL, Out.HIRED, date(2025, 3, 9), TODAY)
    assert cases.given(history, hired) == [came_of_it(Out.HIRED, date(2025, 3, 9))]


@pytest.mark.parametrize(
    ("given", "outcome", "rule"),
    [
        ([referred()], Out.HIRED, "referral_outcome_out_of_order"),
        ([referred(), came_of_it(Out.OFFER), came_of_it(Out.HIRED)], Out.INTERVIEW,
         "referral_closed"),
        ([referred(K.BANK)], Out.INTERVIEW, "referral_outcome_wrong_kind"),
        ([referred(K.EMPLOYER)], Out.CREDIT_INTERVIEW, "referral_outcome_wrong_kind"),
        ([referred(K.MICRO_CREDIT)], Out.CREDIT_GRANTED, "referral_outcome_out_of_order"),
    ],
)  # fmt: skip
def test_outcome_rules_on_the_case(given, outcome, rule) -> None:
    command = RecordReferralOutcome(REFERRAL, outcome, date(2025, 3, 9), TODAY)
    with pytest.raises(RuleViolation) as refused:
        cases.given([registered(RETURNEE), *given], command)

    assert refused.value.rule == rule


@pytest.mark.parametrize(
    ("recorded_on", "fields"),
    [
        (date(2025, 2, 28), ["recorded_on"]),  # before the referral
        (TODAY + timedelta(days=1), ["recorded_on"]),  # in the future
    ],
)
def test_an_outcome_is_dated_between_the_referral_and_today(recorded_on, fields) -> None:
    command = RecordReferralOutcome(REFERRAL, Out.INTERVIEW, recorded_on, TODAY)
    with pytest.raises(InvalidFields) as refused:
        cases.given([registered(RETURNEE), referred()], command)

    assert fields_of(refused) == fields


def test_an_outcome_on_the_referral_day_is_accepted() -> None:
    command = RecordReferralOutcome(REFERRAL, Out.INTERVIEW, date(2025, 3, 1), TODAY)
    assert cases.given([registered(RETURNEE), referred()], command)


def test_an_outcome_of_an_unknown_referral_is_not_found() -> None:
    command = RecordReferralOutcome(uuid4(), Out.INTERVIEW, date(2025, 3, 9), TODAY)
    with pytest.raises(NotFound):
        cases.given([registered(RETURNEE), referred()], command)


@pytest.mark.parametrize(
    ("command", "fields"),
    [
        (referring(ARRIVAL - timedelta(days=1)), ["referred_on"]),
        (referring(TODAY + timedelta(days=1)), ["referred_on"]),
        (referring(fair_id=FAIR, fair=None), ["fair_id"]),  # no such fair in this office
        (referring(date(2025, 2, 10), fair_id=FAIR, fair=a_fair([RETURNEE])), ["referred_on"]),
    ],
)
def test_referral_fields(command, fields) -> None:
    with pytest.raises(InvalidFields) as refused:
        cases.given([registered(RETURNEE)], command)

    assert fields_of(refused) == fields


def test_a_referral_from_a_fair_needs_the_returnee_to_have_attended() -> None:
    at_the_fair = referring(fair_id=FAIR, fair=a_fair([OTHER]))
    with pytest.raises(RuleViolation) as refused:
        cases.given([registered(RETURNEE)], at_the_fair)

    assert refused.value.rule == "job_fair_not_attended"
    attended = replace(at_the_fair, fair=a_fair([OTHER, RETURNEE]))
    [made] = cases.given([registered(RETURNEE)], attended)
    assert isinstance(made, JobReferralMade) and made.fair_id == FAIR


def test_a_referral_is_recorded_once() -> None:
    with pytest.raises(RuleViolation) as refused:
        cases.given([registered(RETURNEE), referred()], referring())

    assert refused.value.rule == "referral_already_made"


@pytest.mark.parametrize(
    ("command", "expected", "fields"),
    [
        (ProvidePsychosocialAssistance(date(2025, 3, 1), TODAY,
                                       (PsychosocialAssistance.COUNSELLING,) * 2),
         [PsychosocialAssistanceProvided(returnee_id=RETURNEE, provided_on=date(2025, 3, 1),
                                         forms=[PsychosocialAssistance.COUNSELLING])], []),
        (ProvidePsychosocialAssistance(ARRIVAL - timedelta(days=1), TODAY,
                                       (PsychosocialAssistance.FAMILY_MEDIATION,)),
         None, ["provided_on"]),
        (ProvidePsychosocialAssistance(TODAY + timedelta(days=1), TODAY, ()),
         None, ["provided_on", "forms"]),
        (SupportCv(date(2025, 3, 2), TODAY),
         [CvSupported(returnee_id=RETURNEE, supported_on=date(2025, 3, 2))], []),
        (SupportCv(ARRIVAL - timedelta(days=1), TODAY), None, ["supported_on"]),
        (SupportCv(TODAY + timedelta(days=1), TODAY), None, ["supported_on"]),
    ],
)  # fmt: skip
def test_assistance_and_cv_support_are_dated_after_arrival_up_to_today(
    command, expected, fields
) -> None:
    if expected is not None:
        assert cases.given([registered(RETURNEE)], command) == expected
        return
    with pytest.raises(InvalidFields) as refused:
        cases.given([registered(RETURNEE)], command)
    assert fields_of(refused) == fields


# --- Community members ---------------------------------------------------------------------


def a_member(**overrides: object) -> RegisterCommunityMember:
    command = RegisterCommunityMember(
        member_id=MEMBER,
        registered_on=date(2025, 3, 1),
        today=TODAY,
        community=COMMUNITY,
        sex=Sex.MALE,
        person=a_person(birth_date=date(2007, 3, 2)),
    )
    return replace(command, **overrides)  # type: ignore[arg-type]


def test_a_member_is_registered_with_the_age_at_registration_never_the_person() -> None:
    [event] = members.given([], a_member())

    assert event == CommunityMemberRegistered(
        member_id=MEMBER,
        registered_on=date(2025, 3, 1),
        community=COMMUNITY,
        sex=Sex.MALE,
        age_band=AgeBand.AGE_15_17,
        is_minor=True,  # 18 the day after the registration
    )


@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        ({"registered_on": TODAY + timedelta(days=1)}, ["registered_on"]),
        ({"person": a_person(birth_date=date(2025, 3, 1))}, ["person.birth_date"]),
        ({"person": a_person(birth_date=date(1900, 1, 1))}, ["person.birth_date"]),
        ({"vulnerabilities": (Vulnerability.UNACCOMPANIED_MINOR,),
          "person": a_person(birth_date=date(1990, 1, 1))}, ["vulnerabilities"]),
    ],
)  # fmt: skip
def test_member_registration_names_every_wrong_field(overrides, fields) -> None:
    with pytest.raises(InvalidFields) as refused:
        members.given([], a_member(**overrides))

    assert fields_of(refused) == fields


def test_a_member_goes_through_the_duplicate_check_as_a_returnee() -> None:
    alike = (known_as(a_person(birth_date=date(2007, 3, 2))),)
    with pytest.raises(RuleViolation) as refused:
        members.given([], a_member(people_alike=alike))
    assert refused.value.rule == "likely_duplicate"

    overridden = a_member(
        people_alike=alike, override_reason=OverrideReason.VERIFIED_DIFFERENT_PERSON
    )
    assert members.given([], overridden)
    with pytest.raises(RuleViolation) as again:
        members.given(members.given([], a_member()), a_member())
    assert again.value.rule == "already_registered"


# --- Psychosocial sessions -----------------------------------------------------------------


def a_psychosocial_session(
    kind: PsychosocialSessionKind, people: list[UUID], **overrides: object
) -> HoldPsychosocialSession:
    command = HoldPsychosocialSession(
        session_id=uuid4(),
        kind=kind,
        held_on=date(2025, 3, 3),
        today=TODAY,
        community=COMMUNITY,
        facilitator=Facilitator.PSYCHOLOGIST,
        participant_ids=tuple(people),
        notes="What was said",
        participants={
            RETURNEE: Participant(arrival_date=ARRIVAL),
            OTHER: Participant(arrival_date=date(2025, 3, 5)),
            MEMBER: Participant(),
        },
    )
    return replace(command, **overrides)  # type: ignore[arg-type]


IND, GROUP = PsychosocialSessionKind.INDIVIDUAL, PsychosocialSessionKind.GROUP


@pytest.mark.parametrize(
    ("kind", "people", "overrides", "fields"),
    [
        (IND, [RETURNEE], {}, []),
        (IND, [MEMBER], {"held_on": date(2000, 1, 1)}, []),  # a member never arrived
        (GROUP, [RETURNEE, MEMBER], {}, []),
        (IND, [RETURNEE, MEMBER], {}, ["participant_ids"]),
        (GROUP, [RETURNEE], {}, ["participant_ids"]),
        (GROUP, [RETURNEE, RETURNEE], {}, ["participant_ids", "participant_ids.1"]),
        (GROUP, [RETURNEE, uuid4()], {}, ["participant_ids.1"]),
        (GROUP, [RETURNEE, OTHER], {}, ["participant_ids.1"]),  # before OTHER's arrival
        (IND, [RETURNEE], {"held_on": TODAY + timedelta(days=1)}, ["held_on"]),
    ],
)  # fmt: skip
def test_psychosocial_session_rules(kind, people, overrides, fields) -> None:
    command = a_psychosocial_session(kind, people, **overrides)
    if not fields:
        [held] = psychosocial_sessions.given([], command)
        assert held.participant_ids == people and "notes" not in held.model_dump()
        return
    with pytest.raises(InvalidFields) as refused:
        psychosocial_sessions.given([], command)
    assert fields_of(refused) == fields


def test_no_notes_about_an_erased_returnee() -> None:
    gone = {RETURNEE: Participant(arrival_date=ARRIVAL, erased=True), MEMBER: Participant()}
    command = a_psychosocial_session(GROUP, [RETURNEE, MEMBER], participants=gone)
    with pytest.raises(RuleViolation) as refused:
        psychosocial_sessions.given([], command)

    assert refused.value.rule == "returnee_erased"
    # The anonymous case still takes part; only the words have nowhere to be kept.
    assert psychosocial_sessions.given([], replace(command, notes=None))


def test_a_psychosocial_session_is_recorded_once() -> None:
    command = a_psychosocial_session(IND, [RETURNEE])
    with pytest.raises(RuleViolation) as refused:
        psychosocial_sessions.given(psychosocial_sessions.given([], command), command)
    assert refused.value.rule == "session_already_recorded"


# --- Job fairs -----------------------------------------------------------------------------


def holding_fair(people: list[UUID], **overrides: object) -> HoldJobFair:
    command = HoldJobFair(
        fair_id=FAIR,
        held_on=date(2025, 2, 20),
        today=TODAY,
        locality=COMMUNITY,
        organisations=(OrganisationsPresent(kind=K.EMPLOYER, count=3),),
        participant_ids=tuple(people),
        young_people_present=12,
        participants={RETURNEE: cases.fold([registered(RETURNEE)]),
                      OTHER: cases.fold([registered(OTHER, date(2025, 3, 1))])},
    )  # fmt: skip
    return replace(command, **overrides)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("command", "fields"),
    [
        (holding_fair([RETURNEE, RETURNEE]), ["participant_ids.1"]),
        (holding_fair([RETURNEE, MEMBER]), ["participant_ids.1"]),  # returnees only
        (holding_fair([OTHER]), ["participant_ids.0"]),  # arrived after the fair
        (holding_fair([RETURNEE], held_on=TODAY + timedelta(days=1)), ["held_on"]),
        (holding_fair([RETURNEE], organisations=(
            OrganisationsPresent(kind=K.BANK, count=1),
            OrganisationsPresent(kind=K.BANK, count=2))), ["organisations.1.kind"]),
    ],
)  # fmt: skip
def test_job_fair_rules(command, fields) -> None:
    with pytest.raises(InvalidFields) as refused:
        job_fairs.given([], command)
    assert fields_of(refused) == fields


def test_a_job_fair_is_recorded_once_with_its_returnees() -> None:
    [held] = job_fairs.given([], holding_fair([RETURNEE]))
    assert held == a_fair([RETURNEE])
    with pytest.raises(RuleViolation) as refused:
        job_fairs.given([held], holding_fair([RETURNEE]))
    assert refused.value.rule == "job_fair_already_recorded"
