"""The web dashboard: server-rendered pages, charts as inline SVG, tables beside every chart.

A browser keeps the caller's token in an HttpOnly cookie set by the sign-in form; an
`Authorization` header works too. Pages check roles and offices exactly as the JSON API does.
"""

from datetime import date
from typing import Any
from urllib.parse import parse_qs
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape

from monitoring import charts, files, report, views
from monitoring.access import READER_ROLES, may_see_personal_data
from monitoring.casefile import Stage
from monitoring.intake_names import HIDDEN, IntakeSettings, name_of
from reintegration_sdk.auth import AuthenticationError, Principal, Role, decode_token
from reintegration_sdk.http import RuntimeDep

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


def _page(template: str, status: int = 200, **context: Any) -> HTMLResponse:
    html = templates.get_template(template).render(
        signed_in=True, labels=report.STAGE_LABELS, **context
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


def _refusal(request: Request, roles: tuple[str, ...], office: str | None) -> Response | None:
    principal = _principal(request)
    if principal is None:
        return RedirectResponse("/dashboard/sign-in", status_code=303)
    if not principal.has_role(*roles) or (office is not None and not principal.can_act_for(office)):
        where = f"country office {office.upper()}" if office else "this view"
        return _page(
            "message.html", 403, heading="Not allowed", message=f"Your role may not open {where}."
        )
    return None


@router.get("", response_model=None)
async def home(request: Request) -> Response:
    principal = _principal(request)
    if principal is None:
        return RedirectResponse("/dashboard/sign-in", status_code=303)
    if principal.is_hq:
        return RedirectResponse("/dashboard/hq", status_code=303)
    if principal.country_offices:
        return RedirectResponse(
            f"/dashboard/offices/{min(principal.country_offices)}", status_code=303
        )
    return _page("message.html", 403, heading="Not allowed", message="Your token names no office.")


@router.get("/sign-in", response_class=HTMLResponse)
async def sign_in_form() -> HTMLResponse:
    return HTMLResponse(templates.get_template("sign_in.html").render(signed_in=False))


@router.post("/sign-in", response_model=None)
async def sign_in(request: Request) -> Response:
    token = parse_qs((await request.body()).decode()).get("token", [""])[0].strip()
    try:
        decode_token(request.app.state.auth_settings, token)
    except AuthenticationError as error:
        html = templates.get_template("sign_in.html").render(signed_in=False, error=error.reason)
        return HTMLResponse(html, status_code=401)
    response = RedirectResponse("/dashboard", status_code=303)
    response.set_cookie(
        COOKIE, token, httponly=True, samesite="strict", secure=request.url.scheme == "https"
    )
    return response


@router.post("/sign-out")
async def sign_out() -> RedirectResponse:
    response = RedirectResponse("/dashboard/sign-in", status_code=303)
    response.delete_cookie(COOKIE)
    return response


@router.get("/offices/{country_office}", response_model=None)
async def office_view(country_office: str, request: Request, runtime: RuntimeDep) -> Response:
    refusal = _refusal(request, READER_ROLES, country_office)
    if refusal is not None:
        return refusal
    today = date.today()
    cases, _plans = await files.office_files(runtime.pool, country_office)
    office_report = await views.office_report(runtime.pool, country_office, today)
    trades = report.breakdown(cases, report.Dimension.TRADE)
    months = [f.month for f in office_report.monthly]
    return _page(
        "office.html",
        office=country_office,
        today=today,
        report=office_report,
        kits=next(s.returnees for s in office_report.funnel if s.stage == Stage.KIT_DELIVERED),
        stages=list(FLOW_STAGES),
        trade_stages=list(TRADE_STAGES),
        trades=trades,
        overdue=views.overdue_out(cases, today),
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


@router.get("/hq", response_model=None)
async def hq_view(request: Request, runtime: RuntimeDep) -> Response:
    refusal = _refusal(request, (Role.HQ_ANALYST,), None)
    if refusal is not None:
        return refusal
    hq_report = await views.hq_report(runtime.pool)
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
        report=hq_report,
        stages=list(Stage),
        intervals=len(report.INTERVALS),
        comparison_chart=charts.grouped_bar_chart(
            "Offices compared: returnees per stage", offices, series
        ),
    )


@router.get("/offices/{country_office}/returnees/{returnee_id}", response_model=None)
async def timeline_view(
    country_office: str, returnee_id: UUID, request: Request, runtime: RuntimeDep
) -> Response:
    refusal = _refusal(request, READER_ROLES, country_office)
    if refusal is not None:
        return refusal
    case = await files.case_file(runtime.pool, returnee_id)
    if case is None or case.country_office != country_office:
        return _page(
            "message.html",
            404,
            heading="No such case",
            message="This office has no events about that returnee.",
        )
    principal = _principal(request)
    lookup = HIDDEN
    if principal is not None and may_see_personal_data(principal):
        lookup = await name_of(
            IntakeSettings(), country_office, returnee_id, f"Bearer {_token(request)}"
        )
    return _page(
        "timeline.html",
        office=country_office,
        returnee_id=returnee_id,
        name=lookup.name,
        name_status=lookup.status,
        entries=await views.timeline(runtime.pool, returnee_id),
    )
