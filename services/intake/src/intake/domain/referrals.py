"""The job path's referrals: which outcome may follow which. Pure: no I/O.

A referral goes to an employer or an agency (a job path: interview, offer, hired or not
retained) or to a lender or insurer (a credit path: credit interview, then granted or
refused). Outcomes are recorded in turn; a final one closes the referral.
"""

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from reintegration_contracts.events.intake import EmployerKind, ReferralOutcome
from reintegration_sdk import RuleViolation

CREDIT_KINDS = frozenset(
    {EmployerKind.BANK, EmployerKind.MICRO_CREDIT, EmployerKind.MICRO_INSURANCE}
)
JOB_OUTCOMES = frozenset(
    {
        ReferralOutcome.INTERVIEW,
        ReferralOutcome.OFFER,
        ReferralOutcome.HIRED,
        ReferralOutcome.NOT_RETAINED,
    }
)
CREDIT_OUTCOMES = frozenset(
    {
        ReferralOutcome.CREDIT_INTERVIEW,
        ReferralOutcome.CREDIT_GRANTED,
        ReferralOutcome.CREDIT_REFUSED,
    }
)
# After one of these nothing more can come of the referral.
FINAL_OUTCOMES = frozenset(
    {
        ReferralOutcome.HIRED,
        ReferralOutcome.NOT_RETAINED,
        ReferralOutcome.CREDIT_GRANTED,
        ReferralOutcome.CREDIT_REFUSED,
    }
)
# No one is hired without an offer, and a lender decides only after meeting the returnee.
NEEDS_FIRST = {
    ReferralOutcome.HIRED: ReferralOutcome.OFFER,
    ReferralOutcome.CREDIT_GRANTED: ReferralOutcome.CREDIT_INTERVIEW,
    ReferralOutcome.CREDIT_REFUSED: ReferralOutcome.CREDIT_INTERVIEW,
}


@dataclass(frozen=True)
class Referral:
    referral_id: UUID
    to_kind: EmployerKind
    referred_on: date
    outcomes: tuple[ReferralOutcome, ...] = ()


def check_outcome(referral: Referral, outcome: ReferralOutcome) -> None:
    """Refuse an outcome that cannot come next on this referral, naming the rule it breaks."""
    allowed = CREDIT_OUTCOMES if referral.to_kind in CREDIT_KINDS else JOB_OUTCOMES
    if outcome not in allowed:
        raise RuleViolation(
            "referral_outcome_wrong_kind",
            "Credit outcomes are for referrals to a bank, micro-credit or micro-insurance; job "
            "outcomes for referrals to an employer or a recruitment agency.",
            outcome=outcome.value,
        )
    if FINAL_OUTCOMES & set(referral.outcomes):
        raise RuleViolation(
            "referral_closed", "This referral already has its final outcome.", outcome=outcome.value
        )
    if outcome in referral.outcomes:
        raise RuleViolation(
            "referral_outcome_already_recorded",
            "This outcome is already recorded for this referral.",
            outcome=outcome.value,
        )
    needed = NEEDS_FIRST.get(outcome)
    if needed is not None and needed not in referral.outcomes:
        raise RuleViolation(
            "referral_outcome_out_of_order",
            "Hired needs an offer first; a credit granted or refused needs a credit interview "
            "first.",
            outcome=outcome.value,
            needs=needed.value,
        )
