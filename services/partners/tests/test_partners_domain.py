"""The partners service's rules as tables: registry and agreements, what a feed shares, and
how a webhook delivery is signed and retried. Pure: no database, no broker."""

import base64
import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from partners.domain.aggregates import RawCount, suppressed
from partners.domain.delivery import (
    DISABLE_AFTER,
    RETRY_SCHEDULE,
    DisableEndpoint,
    Outcome,
    Verdict,
    body_bytes,
    disabling,
    endpoints,
    judge,
    new_secret,
    signature_header,
)
from partners.domain.feeds import Consent, Observed, Terms, pseudonym, pseudonym_key, shared_data
from partners.domain.registry import (
    RegisterPartner,
    RevokeAgreement,
    SignAgreement,
    agreements,
    partners,
)
from reintegration_contracts.events.intake import ConsentPurpose, PartnerCategory
from reintegration_contracts.events.partners import (
    AgreementRevoked,
    AgreementSigned,
    EndpointDisabledReason,
    OrganisationKind,
    PartnerRegistered,
    RevocationReason,
    SharedEventType,
    WebhookEndpointDisabled,
)
from reintegration_contracts.stages import Stage
from reintegration_sdk import InvalidFields, RuleViolation

pytestmark = pytest.mark.unit
TODAY = date(2026, 3, 2)
AGREEMENT = UUID("00000000-0000-0000-0000-00000000a001")
RETURNEE = UUID("00000000-0000-0000-0000-0000000000aa")
CERTIFIED = SharedEventType(event_type="SkillCertified", fields=["trade"])


def registration(**changes: object) -> RegisterPartner:
    command = RegisterPartner("sahel-sante", OrganisationKind.LOCAL_NGO, ("bf", "ml"), "bf", TODAY)
    return replace(command, **changes)


def signing(**changes: object) -> SignAgreement:
    command = SignAgreement(
        agreement_id=AGREEMENT,
        partner_id="sahel-sante",
        offices=("bf",),
        purposes=(ConsentPurpose.REFERRAL,),
        shares=(CERTIFIED,),
        starts_on=TODAY,
        ends_on=TODAY + timedelta(days=365),
        today=TODAY,
        signer_offices=frozenset({"bf"}),
        partner_offices=frozenset({"bf", "ml"}),
    )
    return replace(command, **changes)


def test_a_partner_is_registered_with_the_category_returnees_consent_to() -> None:
    [registered] = partners.given([], registration())
    assert registered == PartnerRegistered(
        partner_id="sahel-sante",
        kind=OrganisationKind.LOCAL_NGO,
        category=PartnerCategory.NGO,
        offices=["bf", "ml"],
        registered_on=TODAY,
    )
    with pytest.raises(RuleViolation) as again:
        partners.given([registered], registration())
    assert again.value.rule == "partner_already_registered"


def test_the_registering_office_must_be_one_the_partner_works_with() -> None:
    with pytest.raises(InvalidFields) as refused:
        partners.given([], registration(offices=("ml",)))
    assert [f for f, _ in refused.value.problems] == ["offices"]


def test_an_agreement_is_signed_for_a_registered_partner_only() -> None:
    with pytest.raises(RuleViolation) as refused:
        agreements.given([], signing(partner_offices=None))
    assert refused.value.rule == "partner_not_registered"
    [signed] = agreements.given([], signing())
    assert isinstance(signed, AgreementSigned) and signed.shares == [CERTIFIED]


def test_every_bad_term_of_an_agreement_is_named_at_once() -> None:
    with pytest.raises(InvalidFields) as refused:
        agreements.given(
            [],
            signing(
                offices=("bf", "ne", "ml"),
                ends_on=TODAY - timedelta(days=1),
                shares=(
                    SharedEventType(event_type="SkillCertified", fields=["trade", "phone"]),
                    SharedEventType(event_type="ConsentRecorded", fields=["purpose"]),
                    SharedEventType(event_type="PlanApproved", fields=["plan_id"]),
                ),
            ),
        )
    fields = [field for field, _ in refused.value.problems]
    assert fields == [
        "offices",  # the partner does not work with ne
        "offices",  # the signer does not act for ml
        "ends_on",
        "ends_on",
        "shares.0.fields",
        "shares.1.event_type",  # consent reaches a partner as notices only
        "shares.2.event_type",  # about no single returnee
    ]


def test_a_revoked_agreement_cannot_be_revoked_again() -> None:
    signed = agreements.given([], signing())
    [revoked] = agreements.given(signed, RevokeAgreement(AGREEMENT, RevocationReason.OTHER, TODAY))
    assert isinstance(revoked, AgreementRevoked) and revoked.partner_id == "sahel-sante"
    with pytest.raises(RuleViolation) as again:
        agreements.given(
            [*signed, revoked], RevokeAgreement(AGREEMENT, RevocationReason.OTHER, TODAY)
        )
    assert again.value.rule == "agreement_revoked"


def test_two_partners_never_see_the_same_pseudonym() -> None:
    secret = "s" * 40
    first = pseudonym(pseudonym_key(secret, "sahel-sante"), RETURNEE)
    second = pseudonym(pseudonym_key(secret, "agadez-artisans"), RETURNEE)
    assert first != second
    assert first == pseudonym(pseudonym_key(secret, "sahel-sante"), RETURNEE)
    assert str(RETURNEE) not in first and RETURNEE.hex not in first


TERMS = Terms(
    agreement_id=AGREEMENT,
    partner_id="sahel-sante",
    category=PartnerCategory.NGO,
    offices=frozenset({"bf"}),
    purposes=frozenset({ConsentPurpose.REFERRAL}),
    fields={"SkillCertified": ("trade",)},
    starts_on=TODAY - timedelta(days=30),
    ends_on=TODAY + timedelta(days=30),
)
CERTIFICATION = Observed(
    UUID(int=7), "SkillCertified", "bf", RETURNEE,
    datetime(2026, 3, 2, 10, tzinfo=UTC), {"trade": "welding", "centre_id": "x"},
)  # fmt: skip
REFERRAL = Consent(ConsentPurpose.REFERRAL, PartnerCategory.NGO, TODAY - timedelta(days=1))


@pytest.mark.parametrize(
    ("terms", "consents", "event", "erased", "shared"),
    [
        pytest.param(TERMS, [REFERRAL], CERTIFICATION, False, {"trade": "welding"}, id="consented"),
        pytest.param(TERMS, [], CERTIFICATION, False, None, id="no consent"),
        pytest.param(
            TERMS,
            [replace(REFERRAL, given_on=TODAY + timedelta(days=1))],
            CERTIFICATION,
            False,
            None,
            id="consent given after the event",
        ),
        pytest.param(
            TERMS,
            [replace(REFERRAL, category=PartnerCategory.PRIVATE_SECTOR)],
            CERTIFICATION,
            False,
            None,
            id="consent for another kind of partner",
        ),
        pytest.param(
            TERMS,
            [replace(REFERRAL, purpose=ConsentPurpose.RESEARCH)],
            CERTIFICATION,
            False,
            None,
            id="consent for another purpose",
        ),
        pytest.param(
            TERMS,
            [replace(REFERRAL, withdrawn_on=TODAY)],
            CERTIFICATION,
            False,
            None,
            id="withdrawn",
        ),
        pytest.param(
            TERMS,
            [replace(REFERRAL, withdrawn_on=TODAY - timedelta(days=5))],
            CERTIFICATION,
            False,
            {"trade": "welding"},
            id="given again after a withdrawal",
        ),
        pytest.param(TERMS, [REFERRAL], CERTIFICATION, True, None, id="erased"),
        pytest.param(
            replace(TERMS, revoked=True), [REFERRAL], CERTIFICATION, False, None, id="revoked"
        ),
        pytest.param(
            replace(TERMS, ends_on=TODAY - timedelta(days=1)),
            [REFERRAL],
            CERTIFICATION,
            False,
            None,
            id="after the agreement ended",
        ),
        pytest.param(
            TERMS,
            [REFERRAL],
            replace(CERTIFICATION, country_office="ml"),
            False,
            None,
            id="another office",
        ),
        pytest.param(
            TERMS,
            [REFERRAL],
            replace(CERTIFICATION, event_type="SkillAssessed"),
            False,
            None,
            id="a type the agreement does not name",
        ),
    ],
)
def test_a_feed_shares_the_allowed_fields_of_consented_events_only(
    terms: Terms, consents: list[Consent], event: Observed, erased: bool, shared: object
) -> None:
    assert shared_data(terms, consents, event, erased) == shared


def test_the_retry_schedule_spans_about_three_days() -> None:
    assert timedelta(days=2.5) < DISABLE_AFTER < timedelta(days=3.5)
    delays = [
        judge(500, None, attempt, rng=random.Random(attempt)).delay
        for attempt in range(1, len(RETRY_SCHEDULE) + 1)
    ]
    for delay, planned in zip(delays, RETRY_SCHEDULE, strict=True):
        assert delay is not None and planned * 0.8 <= delay <= planned * 1.2
    assert judge(500, None, len(RETRY_SCHEDULE) + 1).outcome is Outcome.FAILED


NOON = datetime(2026, 3, 2, 12, tzinfo=UTC)
THREE_DAYS = timedelta(days=3)


@pytest.mark.parametrize(
    ("verdict", "failing_for", "reason"),
    [
        (Verdict(Outcome.GONE), timedelta(), EndpointDisabledReason.GONE),
        (Verdict(Outcome.RETRY, timedelta(hours=12)), timedelta(days=2), None),
        (Verdict(Outcome.RETRY, timedelta(hours=12)), timedelta(days=3, seconds=1),
         EndpointDisabledReason.FAILING),
        (Verdict(Outcome.FAILED), timedelta(days=4), EndpointDisabledReason.FAILING),
        (Verdict(Outcome.DELIVERED), timedelta(days=4), None),
    ],
    ids=["410 at once", "failing two days", "failing past the threshold", "schedule spent",
         "a success"],
)  # fmt: skip
def test_an_endpoint_is_disabled_on_410_or_after_days_of_failures(
    verdict: Verdict, failing_for: timedelta, reason: EndpointDisabledReason | None
) -> None:
    assert disabling(verdict, NOON - failing_for, NOON, THREE_DAYS) == reason


def test_disabling_an_endpoint_tells_why_without_its_url() -> None:
    endpoint_id = UUID(int=7)
    command = DisableEndpoint(
        endpoint_id, "sahel-sante", EndpointDisabledReason.FAILING, date(2026, 2, 27),
        date(2026, 3, 2), 12,
    )  # fmt: skip
    [told] = endpoints.given([], command)
    assert told == WebhookEndpointDisabled(
        endpoint_id=endpoint_id, partner_id="sahel-sante", reason=EndpointDisabledReason.FAILING,
        failing_since=date(2026, 2, 27), disabled_on=date(2026, 3, 2), stopped_deliveries=12,
    )  # fmt: skip
    # Disabled again after being enabled: told again.
    assert endpoints.given([told], command) == [told]
    gone = endpoints.given([], replace(command, reason=EndpointDisabledReason.GONE))
    assert gone[0].failing_since is None


def test_what_each_answer_means() -> None:
    assert judge(204, None, 1).outcome is Outcome.DELIVERED
    assert judge(410, None, 1).outcome is Outcome.GONE
    assert judge(None, None, 1).outcome is Outcome.RETRY  # no answer: timeout, refused
    honoured = judge(429, "120", 1)
    assert honoured.delay is not None and honoured.delay >= timedelta(seconds=120)
    busy = judge(503, "3600", 1)
    assert busy.delay is not None and busy.delay >= timedelta(hours=1)
    # A Retry-After on another code is not an instruction.
    assert (judge(500, "3600", 1).delay or timedelta()) < timedelta(seconds=10)


def test_signatures_verify_with_the_standard_webhooks_library_during_a_rotation() -> None:
    old, new = new_secret(), new_secret()
    body = body_bytes({"type": "event.SkillCertified", "data": {"fields": {"trade": "welding"}}})
    timestamp = int(datetime.now(UTC).timestamp())
    headers = {
        "webhook-id": "msg_1",
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature_header([new, old], "msg_1", timestamp, body),
    }
    for secret in (old, new):
        assert Webhook(secret).verify(body, headers)["data"]["fields"] == {"trade": "welding"}
    stranger = "whsec_" + base64.b64encode(b"x" * 24).decode()
    with pytest.raises(WebhookVerificationError):
        Webhook(stranger).verify(body, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(new).verify(body + b" ", headers)


def test_aggregates_hide_counts_below_the_threshold_and_drop_empty_ones() -> None:
    cells = suppressed(
        [
            RawCount("ne", "SkillCertified", "welding", 5),
            RawCount("ne", "SkillCertified", "tailoring", 4),
            RawCount("ne", "TrainingEnrolled", None, 0),
            RawCount("bf", "ReturneeRegistered", None, 1),
        ]
    )
    assert [(c.country_office, c.event_type, c.stage, c.trade, c.returnees, c.shown)
            for c in cells] == [
        ("bf", "ReturneeRegistered", Stage.REGISTERED, None, None, "<5"),
        ("ne", "SkillCertified", Stage.CERTIFIED, "tailoring", None, "<5"),
        ("ne", "SkillCertified", Stage.CERTIFIED, "welding", 5, "5"),
    ]  # fmt: skip
    assert [c.shown for c in suppressed([RawCount("ne", "X", None, 9)], min_count=10)] == ["<10"]
