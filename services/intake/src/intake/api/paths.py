"""Beyond a returnee's reception (#20): community members, psychosocial support, the job path
(CV support, job fairs, referrals and what came of them)."""

from collections.abc import Iterator, Sequence
from typing import Annotated
from uuid import UUID, uuid4

from fastapi import Query, Response

from intake import handlers, queries
from intake.api.deps import CaseReader, Caseworker, Format, PersonalDataViewer, today
from intake.api.models import (
    CommunityMemberRequest,
    CvSupportRequest,
    FairRecorded,
    JobFairRequest,
    JobReferralRequest,
    MemberRegistered,
    PsychosocialAssistanceRequest,
    PsychosocialSessionRecorded,
    PsychosocialSessionRequest,
    ReferralMade,
    ReferralOutcomeRequest,
)
from intake.queries.views import (
    CaseView,
    FairView,
    MemberPersonalDataView,
    MemberView,
    ReferralFilter,
    ReferralView,
)
from reintegration_sdk import (
    CSV_ANSWER,
    Db,
    NotFound,
    OfficePath,
    Principal,
    Role,
    Work,
    csv_response,
    office_router,
)

router = office_router(tags=["community members, psychosocial support and job path"])

CaseworkerPrincipal = Annotated[Principal, Caseworker]


@router.post("/community-members", status_code=201)
async def register_community_member(
    body: CommunityMemberRequest, principal: CaseworkerPrincipal, work: Work
) -> MemberRegistered:
    """Someone of the community who never migrated; their personal data goes to the vault and
    the duplicate check as a returnee's (409 `likely_duplicate`)."""
    holder = principal.subject if Role.CASEWORKER in principal.roles else None
    [registered] = await handlers.register_community_member(
        work, body.command(uuid4(), today(), caseworker=holder)
    )
    return MemberRegistered.model_validate(registered.model_dump())


@router.get("/community-members/{member_id}", dependencies=[CaseReader])
async def community_member(country_office: OfficePath, member_id: UUID, db: Db) -> MemberView:
    """One community member (no personal data) and the psychosocial sessions they attended."""
    return await queries.member(db, country_office, member_id)


@router.get("/community-members/{member_id}/personal-data", dependencies=[PersonalDataViewer])
async def community_member_personal_data(
    country_office: OfficePath, member_id: UUID, db: Db
) -> MemberPersonalDataView:
    """Who the member is, from the vault, with the notes of their psychosocial sessions."""
    return await queries.member_personal_data(db, country_office, member_id)


@router.post("/psychosocial-sessions", status_code=201, dependencies=[Caseworker])
async def hold_psychosocial_session(
    body: PsychosocialSessionRequest, work: Work
) -> PsychosocialSessionRecorded:
    """An individual (one participant) or group (two or more) session; its notes go to the
    vault."""
    command = body.command(uuid4(), today())
    await handlers.hold_psychosocial_session(work, command)
    return PsychosocialSessionRecorded(session_id=command.session_id)


@router.post(
    "/returnees/{returnee_id}/psychosocial-assistance", status_code=201, dependencies=[Caseworker]
)
async def provide_psychosocial_assistance(
    returnee_id: UUID, body: PsychosocialAssistanceRequest, work: Work
) -> CaseView:
    await handlers.act_on_case(work, returnee_id, body.command(today()))
    return await queries.case(work.db, work.country_office, returnee_id)


@router.post("/job-fairs", status_code=201, dependencies=[Caseworker])
async def hold_job_fair(body: JobFairRequest, work: Work) -> FairRecorded:
    """A networking day with employers, agencies, banks and insurers; returnees present."""
    command = body.command(uuid4(), today())
    await handlers.hold_job_fair(work, command)
    return FairRecorded(fair_id=command.fair_id)


@router.get("/job-fairs/{fair_id}", dependencies=[CaseReader])
async def job_fair(country_office: OfficePath, fair_id: UUID, db: Db) -> FairView:
    return await queries.fair(db, country_office, fair_id)


@router.post("/returnees/{returnee_id}/cv-support", status_code=201, dependencies=[Caseworker])
async def support_cv(returnee_id: UUID, body: CvSupportRequest, work: Work) -> CaseView:
    """The CV was written or rebuilt with the returnee (the CV itself is not sent here)."""
    await handlers.act_on_case(work, returnee_id, body.command(today()))
    return await queries.case(work.db, work.country_office, returnee_id)


@router.post("/returnees/{returnee_id}/job-referrals", status_code=201, dependencies=[Caseworker])
async def make_job_referral(
    returnee_id: UUID, body: JobReferralRequest, work: Work
) -> ReferralMade:
    """Refer the returnee to an employer, an agency or a lender; with `fair_id`, a fair of this
    office the returnee attended."""
    command = body.command(uuid4(), today())
    await handlers.make_job_referral(work, returnee_id, command)
    return ReferralMade(referral_id=command.referral_id)


@router.post(
    "/returnees/{returnee_id}/job-referrals/{referral_id}/outcomes",
    status_code=201,
    dependencies=[Caseworker],
)
async def record_referral_outcome(
    returnee_id: UUID, referral_id: UUID, body: ReferralOutcomeRequest, work: Work
) -> ReferralView:
    """What came of a referral, in turn: 409 names the rule an outcome breaks."""
    await handlers.act_on_case(work, returnee_id, body.command(referral_id, today()))
    return _one(
        referral_id,
        await queries.job_referrals(
            work.db, work.country_office, ReferralFilter(returnee_id=returnee_id, limit=1000)
        ),
    )


def _one(referral_id: UUID, referrals: Sequence[ReferralView]) -> ReferralView:
    for referral in referrals:
        if referral.referral_id == referral_id:
            return referral
    raise NotFound(f"job referral {referral_id}")


REFERRAL_COLUMNS = [
    "referral_id", "returnee_id", "referred_on", "to_kind", "organisation_id", "sector",
    "fair_id", "outcome", "outcomes",
]  # fmt: skip


def referral_rows(referrals: Sequence[ReferralView]) -> Iterator[list[object]]:
    """One line per referral, in REFERRAL_COLUMNS order; outcomes as `outcome:date;...`."""
    for r in referrals:
        yield [
            r.referral_id,
            r.returnee_id,
            r.referred_on.isoformat(),
            r.to_kind.value,
            r.organisation_id or "",
            r.sector,
            r.fair_id or "",
            r.outcome.value if r.outcome else "",
            ";".join(f"{o.outcome.value}:{o.recorded_on.isoformat()}" for o in r.outcomes),
        ]


@router.get(
    "/job-referrals",
    response_model=list[ReferralView],
    responses=CSV_ANSWER,
    dependencies=[CaseReader],
)
async def job_referrals(
    country_office: OfficePath,
    where: Annotated[ReferralFilter, Query()],
    db: Db,
    format: Format = "json",
) -> list[ReferralView] | Response:
    """The office's job referrals with what came of them; `?format=csv` for a spreadsheet."""
    referrals = await queries.job_referrals(db, country_office, where)
    if format == "csv":
        return csv_response(
            f"job-referrals-{country_office}", REFERRAL_COLUMNS, referral_rows(referrals)
        )
    return referrals
