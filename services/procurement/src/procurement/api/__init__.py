"""Procurement's HTTP API, under `/offices/{country_office}/`: a request becomes a command or
a query, a result becomes an answer."""

from procurement.api import catalogue, orders, reviews

routers = [catalogue.router, reviews.router, orders.router]

__all__ = ["routers"]
