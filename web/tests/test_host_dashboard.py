"""Monitoring's dashboard through the staff app's host (`/api/monitoring/dashboard`): its
sign-in sets a cookie and redirects, so the host must pass cookies both ways and the redirects'
`Location`, saying an absolute one to the service in the host's own words."""

import httpx
import pytest
from web_helpers import Site

from reintegration_sdk.auth import Role
from reintegration_web.host import _location

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]


async def test_the_dashboard_signs_in_and_opens_through_the_host(site: Site) -> None:
    token = site.token("amina", [Role.MONITORING_OFFICER])
    async with httpx.AsyncClient(base_url=site.url, follow_redirects=True) as browser:
        # Not signed in: the redirect to the sign-in form reaches the browser.
        form = await browser.get("/api/monitoring/dashboard")
        assert (form.status_code, form.url.path) == (200, "/api/monitoring/dashboard/sign-in")

        # Signing in sets the cookie and redirects to the office's page, which the cookie opens.
        page = await browser.post("/api/monitoring/dashboard/sign-in", data={"token": token})

        assert browser.cookies.get("monitoring_token") == token
        assert page.status_code == 200, page.text
        assert page.url.path == f"/api/monitoring/dashboard/offices/{site.office}"
        assert 'sign-out"' in page.text  # signed in: the page offers to sign out

        # Signing out deletes the cookie: the dashboard asks for a token again.
        await browser.post("/api/monitoring/dashboard/sign-out")
        assert "monitoring_token" not in browser.cookies
        again = await browser.get("/api/monitoring/dashboard")
        assert again.url.path == "/api/monitoring/dashboard/sign-in"


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ("dashboard/sign-in", "dashboard/sign-in"),
        ("../dashboard", "../dashboard"),
        ("http://127.0.0.1:8105/dashboard/hq?x=1", "/api/monitoring/dashboard/hq?x=1"),
        ("https://idp.example.org/authorize", "https://idp.example.org/authorize"),
    ],
)
def test_a_redirect_to_the_service_itself_goes_through_the_host(
    location: str, expected: str
) -> None:
    assert _location(location, "http://127.0.0.1:8105", "monitoring") == expected
