"""The committee's HTTP API, under `/offices/{country_office}/`: a request becomes a command
or a query, a result becomes an answer."""

from committee.api import plans, reports, sessions

routers = [plans.router, sessions.router, reports.router]

__all__ = ["routers"]
