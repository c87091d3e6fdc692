"""Intake's HTTP API, under `/offices/{country_office}/`: a request becomes a command or a
query, a result becomes an answer."""

from intake.api import paths, returnees, sessions

routers = [returnees.router, sessions.router, paths.router]

__all__ = ["routers"]
