"""Intake's rules, pure: a returnee's case (`cases`), group counselling sessions
(`sessions`), who a person is and the duplicate check (people), where a case stands (stages).

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
    RecordConsent,
    RecordInterview,
    RegisterReturnee,
    ReturneeCase,
    WithdrawConsent,
    cases,
    returnee_stream,
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
    "IdentityDocument",
    "KnownPerson",
    "PersonalData",
    "PlanOutcome",
    "RecordConsent",
    "RecordInterview",
    "RegisterReturnee",
    "ReturneeCase",
    "Session",
    "Stage",
    "WithdrawConsent",
    "age_on",
    "case_stage",
    "cases",
    "document_key",
    "is_likely_same_person",
    "likely_duplicates",
    "name_key",
    "name_similarity",
    "phone_key",
    "phone_tail",
    "returnee_stream",
    "same_phone",
    "session_stream",
    "sessions",
    "stage_reached_by",
]
