"""Reads of intake's read models and vault, for one country office at a time."""

from intake.queries.cases import case, caseload, current_consents, personal_data
from intake.queries.paths import (
    fair,
    job_referrals,
    member,
    member_personal_data,
)
from intake.queries.sessions import session

__all__ = [
    "case",
    "caseload",
    "current_consents",
    "fair",
    "job_referrals",
    "member",
    "member_personal_data",
    "personal_data",
    "session",
]
