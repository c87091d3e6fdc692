"""The web dashboard: server-rendered pages, charts as inline SVG, tables beside every chart.

A browser keeps the caller's token in an HttpOnly cookie set by the sign-in form; an
`Authorization` header works too. Pages check roles and offices with the SDK's own access
dependencies, exactly as the JSON API does, and offer their exports under `/dashboard` (the
cookie signs them in; the JSON API wants a bearer header a browser link cannot send).

Every link and redirect is relative to the page, so the dashboard works wherever it is mounted:
at `/dashboard` of the service, behind the Ingress that serves the staff app's host, or under a
prefix such as the staff app's `/api/monitoring/`.
"""

from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import parse_qs
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape

from monitoring import charts
from monitoring.api import hq as hq_api
from monitoring.api import reports as office_api
from monitoring.api.deps import READER_ROLES, may_see_personal_data
from monitoring.casefile import FUNNEL_STAGES
from monitoring.intake_names import HIDDEN, IntakeSettings, name_of
from monitoring.queries import figures as report
from monitoring.queries import reports as views
from monitoring.queries.case_files import office_of
from reintegration_contracts.stages import Stage
from reintegration_sdk import Db, OfficePath, Principal, hq_only, office_scoped
from reintegration_sdk.auth import AuthenticationError, AuthorizationError, decode_token

router = APIRouter(prefix="/dashboard", include_in_schema=False)
templates = Environment(
    loader=PackageLoader("monitoring", "templates"), autoescape=select_autoescape()
)
COOKIE = "monitoring_token"
FLOW_STAGES = (
    Stage.REGISTERED,
    Stage.COUNSELLED,
    Stage.PLAN_APPROVED,
    Stage.KIT_DELIVERED,
    Stage.FOLLOWED_UP,
)
TRADE_STAGES = (
    Stage.REGISTERED,
    Stage.CERTIFIED,
    Stage.PLAN_APPROVED,
    Stage.KIT_DELIVERED,
    Stage.SUSTAINABLE,
)
HQ_STAGES = (Stage.REGISTERED, Stage.PLAN_APPROVED, Stage.KIT_DELIVERED, Stage.SUSTAINABLE)
# From each page, the relative way back to the dashboard's root (`.../dashboard/`).
AT_ROOT, ONE_DOWN, OFFICE, CASE = "dashboard/", "./", "../", "../../../"

office_reader = office_scoped(*READER_ROLES)
hq_reader = hq_only()


def _page(template: str, root: str, status: int = 200, **context: Any) -> HTMLResponse:
    html = templates.get_template(template).render(
        signed_in=True, labels=report.STAGE_LABELS, root=root, **context
    )
    return HTMLResponse(html, status_code=status)


def _token(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return (
        token.strip()
        if scheme.lower() == "bearer" and token.strip()
        else request.cookies.get(COOKIE)
    )


def _principal(request: Request) -> Principal | None:
    token = _token(request)
    if not token:
        return None
    try:
        return decode_token(request.app.state.auth_settings, token)
    except AuthenticationError:
        return None


def _signed_in(
    request: Request, root: str, check: Callable[[Principal], Principal]
) -> Principal | Response:
    """The principal `check` (an SDK access dependency) lets in, or the page saying why not."""
    principal = _principal(request)
    if principal is None:
        return RedirectResponse(f"{root}sign-in", status_code=303)
    try:
        return check(principal)
    except AuthorizationError:
        return _page(
            "message.html",
            root,
            403,
            heading="Not allowed",
            message="Your role may not open this view.",
        )


def _office(request: Request, root: str, office: str) -> Principal | Response:
    return _signed_in(request, root, lambda principal: office_reader(office, principal))


def _hq(request: Request, root: str) -> Principal | Response:
    return _signed_in(request, root, hq_reader)


@router.get("", response_model=None)
async def home(request: Request) -> Response:
    principal = _principal(request)
    if principal is None:
        return RedirectResponse(f"{AT_ROOT}sign-in", status_code=303)
    if principal.is_hq:
        return RedirectResponse(f"{AT_ROOT}hq", status_code=303)
    if principal.country_offices:
        office = min(principal.country_offices)
        return RedirectResponse(f"{AT_ROOT}offices/{office}", status_code=303)
    return _page(
        "message.html", AT_ROOT, 403, heading="Not allowed", message="Your token names no office."
    )


@router.get("/sign-in", response_class=HTMLResponse)
async def sign_in_form() -> HTMLResponse:
    html = templates.get_template("sign_in.html").render(signed_in=False, root=ONE_DOWN)
    return HTMLResponse(html)


@router.post("/sign-in", response_model=None)
async def sign_in(request: Request) -> Response:
    token = parse_qs((await request.body()).decode()).get("token", [""])[0].strip()
    try:
        decode_token(request.app.state.auth_settings, token)
    except AuthenticationError as error:
        html = templates.get_template("sign_in.html").render(
            signed_in=False, root=ONE_DOWN, error=error.reason
        )
        return HTMLResponse(html, status_code=401)
    response = RedirectResponse("../dashboard", status_code=303)
    response.set_cookie(
        COOKIE, token, httponly=True, samesite="strict", secure=request.url.scheme == "https"
    )
    return response


@router.post("/sign-out")
async def sign_out() -> RedirectResponse:
    response = RedirectResponse(f"{ONE_DOWN}sign-in", status_code=303)
    response.delete_cookie(COOKIE)
    return response


@router.get("/offices/{country_office}", response_model=None)
async def office_view(country_office: OfficePath, request: Request, db: Db) -> Response:
    refused = _office(request, OFFICE, country_office)
    if isinstance(refused, Response):
        return refused
    today = date.today()
    office_report = await views.office_report(db, country_office, today)
    trades = await views.breakdown(db, country_office, report.Dimension.TRADE)
    months = [f.month for f in office_report.monthly]
    return _page(
        "office.html",
        OFFICE,
        office=country_office,
        today=today,
        report=office_report,
        kits=next(s.returnees for s in office_report.funnel if s.stage == Stage.KIT_DELIVERED),
        stages=list(FLOW_STAGES),
        trade_stages=list(TRADE_STAGES),
        trades=trades,
        overdue=await views.overdue(db, country_office, today),
        funnel_chart=charts.bar_chart(
            f"Funnel of office {country_office.upper()}: returnees per stage",
            [(s.label, s.returnees) for s in office_report.funnel],
        ),
        durations_chart=charts.range_chart(
            "Days between stages",
            [(d.label, d.median_days, d.p90_days) for d in office_report.durations],
        ),
        flows_chart=charts.line_chart(
            "Returnees reaching each stage per month",
            months,
            [
                charts.Series(report.STAGE_LABELS[s], [f.counts[s] for f in office_report.monthly])
                for s in FLOW_STAGES
            ],
        ),
        trades_chart=charts.grouped_bar_chart(
            "Returnees by trade",
            [t.replace("_", " ") for t in trades],
            [
                charts.Series(report.STAGE_LABELS[s], [c[s] for c in trades.values()])
                for s in (Stage.REGISTERED, Stage.PLAN_APPROVED, Stage.KIT_DELIVERED)
            ],
            label_width=150,
        ),
    )


@router.get("/offices/{country_office}/exports/{table}.csv", response_model=None)
async def office_export(
    country_office: OfficePath, table: str, request: Request, db: Db
) -> Response:
    """The office view's tables as the JSON API's CSV exports give them."""
    refused = _office(request, "../../../", country_office)
    if isinstance(refused, Response):
        return refused
    if table == "flows":
        return office_api.flows_csv(country_office, None, await views.flows(db, country_office))
    if table == "trades":
        trade = report.Dimension.TRADE
        return office_api.breakdown_csv(
            country_office, trade, await views.breakdown(db, country_office, trade)
        )
    if table == "overdue":
        return office_api.overdue_csv(
            country_office, await views.overdue(db, country_office, date.today())
        )
    return _page("message.html", "../../../", 404, heading="No such export", message=table)


@router.get("/hq", response_model=None)
async def hq_view(request: Request, db: Db) -> Response:
    refused = _hq(request, ONE_DOWN)
    if isinstance(refused, Response):
        return refused
    hq_report = await views.hq_report(db)
    offices = [o.country_office.upper() for o in hq_report.offices]
    series = [
        charts.Series(
            report.STAGE_LABELS[s],
            [next(f.returnees for f in o.funnel if f.stage == s) for o in hq_report.offices],
        )
        for s in HQ_STAGES
    ]
    return _page(
        "hq.html",
        ONE_DOWN,
        report=hq_report,
        stages=list(FUNNEL_STAGES),
        intervals=len(report.INTERVALS),
        comparison_chart=charts.grouped_bar_chart(
            "Offices compared: returnees per stage", offices, series
        ),
    )


@router.get("/hq/exports/{name}", response_model=None)
async def hq_export(name: str, request: Request, db: Db) -> Response:
    """The HQ report as JSON (`report.json`) or one of its tables as CSV (`<table>.csv`)."""
    refused = _hq(request, "../")
    if isinstance(refused, Response):
        return refused
    if name == "report.json":
        return JSONResponse((await views.hq_report(db)).model_dump(mode="json"))
    table = name.removesuffix(".csv")
    if name.endswith(".csv") and table in ("flows", "funnel", "durations"):
        return await hq_api.hq_spreadsheet(db, table)
    return _page("message.html", "../", 404, heading="No such export", message=name)


@router.get("/offices/{country_office}/returnees/{returnee_id}", response_model=None)
async def timeline_view(
    country_office: OfficePath, returnee_id: UUID, request: Request, db: Db
) -> Response:
    principal = _office(request, CASE, country_office)
    if isinstance(principal, Response):
        return principal
    if await office_of(db, returnee_id) != country_office:
        return _page(
            "message.html",
            CASE,
            404,
            heading="No such case",
            message="This office has no events about that returnee.",
        )
    lookup = HIDDEN
    if may_see_personal_data(principal):
        lookup = await name_of(
            IntakeSettings(), country_office, returnee_id, f"Bearer {_token(request)}"
        )
    return _page(
        "timeline.html",
        CASE,
        office=country_office,
        returnee_id=returnee_id,
        name=lookup.name,
        name_status=lookup.status,
        entries=await views.timeline(db, returnee_id),
    )
