"""The partners service's HTTP API: the office's registry and agreements under
`/offices/{country_office}/`, and each partner's own feed and webhooks under
`/partners/{partner_id}/`."""

from partners.api import aggregates, feeds, registry

routers = [registry.router, feeds.router, aggregates.router]

__all__ = ["routers"]
