"""The partners service as one process: HTTP API, relay of its events, inbox of the platform's,
and the delivery of every partner's feed to Kafka and to its webhooks."""

import asyncio
from pathlib import Path

from partners.api import routers
from partners.delivery.kafka_feed import publish_feeds
from partners.delivery.webhooks import dispatch_webhooks
from partners.projections import store
from partners.reactions import reactions
from partners.settings import PartnersSettings
from reintegration_contracts.events.partners import PARTNERS
from reintegration_contracts.subscriptions import consumes
from reintegration_sdk import Runtime, ServiceDefinition

HTTP_PORT = 8106


def make_definition(settings: PartnersSettings | None = None) -> ServiceDefinition:
    """The service, with its delivery settings (tests shrink the retry schedule)."""
    partner_settings = settings or PartnersSettings()

    async def kafka_feeds(runtime: Runtime, stop: asyncio.Event) -> None:
        await publish_feeds(runtime, stop, partner_settings.poll_seconds)

    async def webhooks(runtime: Runtime, stop: asyncio.Event) -> None:
        await dispatch_webhooks(runtime, stop, partner_settings)

    return ServiceDefinition(
        name="partners",
        domain=PARTNERS,
        routers=routers,
        store=store,
        migrations=Path(__file__).parent / "migrations",
        reactions=reactions,
        consumes=consumes("partners"),
        default_port=HTTP_PORT,
        title="Reintegration partners service",
        background=[kafka_feeds, webhooks],
    )


definition = make_definition()
