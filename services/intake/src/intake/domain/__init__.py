"""Intake's rules, pure: a returnee's case (`cases`, with its job referrals: referrals.py),
group counselling sessions (`sessions`), community members (`members`), psychosocial sessions
(`psychosocial_sessions`), job fairs (`job_fairs`), who a person is and the duplicate check
(people), where a case stands (stages).

Each kind of stream has its Decider; the SDK loads, folds, decides and appends
(`UnitOfWork.execute`). No I/O here.
"""

from intake.domain.cases import (
    OLDEST_AGE,
    AssignCase,
    AttendSession,
    Case,
    CaseCommand,
    CaseEvent,
    Consent,
    EraseReturnee,
    MakeJobReferral,
    ProvidePsychosocialAssistance,
    RecordConsent,
    RecordInterview,
    RecordReferralOutcome,
    RegisterReturnee,
    ReturneeCase,
    SupportCv,
    WithdrawConsent,
    cases,
    returnee_stream,
)
from intake.domain.fairs import HoldJobFair, JobFair, fair_stream, job_fairs
from intake.domain.members import (
    Member,
    RegisterCommunityMember,
    member_stream,
    members,
)
from intake.domain.people import (
    NAME_SIMILARITY_THRESHOLD,
    PHONE_SUFFIX_DIGITS,
    IdentityDocument,
    KnownPerson,
    PersonalData,
    age_on,
    document_key,
    is_likely_same_person,
    likely_duplicates,
    name_key,
    name_similarity,
    phone_key,
    phone_tail,
    same_phone,
)
from intake.domain.psychosocial import (
    HoldPsychosocialSession,
    Participant,
    PsychosocialSession,
    psychosocial_sessions,
    psychosocial_stream,
)
from intake.domain.referrals import Referral, check_outcome
from intake.domain.sessions import HoldCounsellingSession, Session, session_stream, sessions
from intake.domain.stages import PlanOutcome, case_stage, stage_reached_by
from reintegration_contracts.stages import PLAN_STAGES, Stage

__all__ = [
    "NAME_SIMILARITY_THRESHOLD",
    "OLDEST_AGE",
    "PHONE_SUFFIX_DIGITS",
    "PLAN_STAGES",
    "AssignCase",
    "AttendSession",
    "Case",
    "CaseCommand",
    "CaseEvent",
    "Consent",
    "EraseReturnee",
    "HoldCounsellingSession",
    "HoldJobFair",
    "HoldPsychosocialSession",
    "IdentityDocument",
    "JobFair",
    "KnownPerson",
    "MakeJobReferral",
    "Member",
    "Participant",
    "PersonalData",
    "PlanOutcome",
    "ProvidePsychosocialAssistance",
    "PsychosocialSession",
    "RecordConsent",
    "RecordInterview",
    "RecordReferralOutcome",
    "Referral",
    "RegisterCommunityMember",
    "RegisterReturnee",
    "ReturneeCase",
    "Session",
    "Stage",
    "SupportCv",
    "WithdrawConsent",
    "age_on",
    "case_stage",
    "cases",
    "check_outcome",
    "document_key",
    "fair_stream",
    "is_likely_same_person",
    "job_fairs",
    "likely_duplicates",
    "member_stream",
    "members",
    "name_key",
    "name_similarity",
    "phone_key",
    "phone_tail",
    "psychosocial_sessions",
    "psychosocial_stream",
    "returnee_stream",
    "same_phone",
    "session_stream",
    "sessions",
    "stage_reached_by",
]
