"""Monitoring's HTTP API: office routes under `/offices/{country_office}`, HQ's under `/hq`
(the dashboard's pages are `monitoring.dashboard`)."""

from monitoring.api import follow_ups, hq, reports

routers = [follow_ups.router, reports.router, hq.router]

__all__ = ["routers"]
