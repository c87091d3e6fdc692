"""The HTTP API: every route is scoped by `/offices/{country_office}`."""

from procurement import api_catalogue, api_orders, api_reviews

routers = [api_catalogue.router, api_reviews.router, api_orders.router]
