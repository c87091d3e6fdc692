"""The dashboard behind a prefix, as the staff app's host or an Ingress serves it: every link,
form and redirect stays under the prefix, and the exports answer with the sign-in cookie."""

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urljoin

import httpx
import pytest
from monitoring_builders import Programme
from starlette.applications import Starlette
from starlette.routing import Mount

from conftest import MonitoringUnderTest
from reintegration_sdk.auth import AuthSettings, mint_token

pytestmark = pytest.mark.integration

PREFIX = "/api/monitoring"
LINK = re.compile(r'(?:href|action)="([^"#][^"]*)"')


@asynccontextmanager
async def signed_in(
    monitoring: MonitoringUnderTest, roles: list[str], offices: list[str]
) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    """A browser-like client under the prefix, signed in through the form; and where it landed."""
    host = Starlette(routes=[Mount(PREFIX, app=monitoring.client.app)])  # type: ignore[attr-defined]
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=host), base_url="http://staff"
    ) as client:
        yield client, await sign_in(client, roles, offices)


async def sign_in(client: httpx.AsyncClient, roles: list[str], offices: list[str]) -> str:
    token = mint_token(AuthSettings(), "viewer", roles, offices)
    answer = await client.get(f"{PREFIX}/dashboard")
    assert answer.status_code == 303
    form_url = urljoin(str(answer.url), answer.headers["location"])
    assert form_url == f"http://staff{PREFIX}/dashboard/sign-in"
    page = await client.get(form_url)
    [action] = LINK.findall(page.text)
    signed = await client.post(urljoin(form_url, action), data={"token": token})
    assert signed.status_code == 303
    landed = await client.get(
        urljoin(str(signed.url), signed.headers["location"]), follow_redirects=True
    )
    assert landed.status_code == 200
    return str(landed.url)


def links_of(page_url: str, html: str) -> list[str]:
    return [urljoin(page_url, link.replace("&amp;", "&")) for link in LINK.findall(html)]


async def test_office_pages_link_and_export_under_the_prefix(
    monitoring: MonitoringUnderTest, programme: Programme
) -> None:
    office = monitoring.office
    async with signed_in(monitoring, ["monitoring_officer"], [office]) as (client, office_url):
        assert office_url == f"http://staff{PREFIX}/dashboard/offices/{office}"
        page = await client.get(office_url)
        links = links_of(office_url, page.text)
        assert links and all(link.startswith(f"http://staff{PREFIX}/dashboard/") for link in links)
        exports = [link for link in links if link.endswith(".csv")]
        assert len(exports) == 3
        for export in exports:
            answer = await client.get(export)
            assert answer.status_code == 200 and answer.headers["content-type"].startswith(
                "text/csv"
            )
        flows = await client.get(f"{office_url}/exports/flows.csv")
        api = await monitoring.client.get(
            f"/offices/{office}/flows?format=csv",
            headers={"Authorization": f"Bearer {client.cookies['monitoring_token']}"},
        )
        assert flows.text == api.text
        case = next(link for link in links if "/returnees/" in link)
        timeline = await client.get(case)
        assert timeline.status_code == 200
        assert all(
            link.startswith(f"http://staff{PREFIX}/dashboard/")
            for link in links_of(case, timeline.text)
        )


async def test_hq_pages_link_and_export_under_the_prefix(
    monitoring: MonitoringUnderTest, programme: Programme
) -> None:
    async with signed_in(monitoring, ["hq_analyst"], []) as (client, hq_url):
        assert hq_url == f"http://staff{PREFIX}/dashboard/hq"
        links = links_of(hq_url, (await client.get(hq_url)).text)
        assert links and all(link.startswith(f"http://staff{PREFIX}/dashboard/") for link in links)
        for export in [link for link in links if "/exports/" in link]:
            answer = await client.get(export)
            assert answer.status_code == 200, export
        report = (await client.get(f"{hq_url}/exports/report.json")).json()
        assert monitoring.office in {o["country_office"] for o in report["offices"]}
        # Office staff get the dashboard's refusal for HQ's exports too.
        async with signed_in(monitoring, ["office_manager"], [monitoring.office]) as (staff, _):
            assert (await staff.get(f"{hq_url}/exports/funnel.csv")).status_code == 403
