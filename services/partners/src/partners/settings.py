"""The partners service's own settings (PARTNERS_* variables), beside the SDK's."""

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from partners.domain.aggregates import DEFAULT_MIN_COUNT
from partners.domain.delivery import DISABLE_AFTER

_DAY = 86400.0


class PartnersSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PARTNERS_", env_file=".env", extra="ignore")

    # Every partner's pseudonym key derives from this one secret and the partner's id, so a
    # pseudonym is stable for a partner and useless for joining two partners' data.
    pseudonym_secret: str = Field(
        default="dev-only-partner-pseudonym-secret-do-not-deploy", min_length=32
    )
    # Multiplies every delay of the retry schedule (tests run three days in seconds).
    retry_scale: float = Field(default=1.0, gt=0)
    webhook_timeout_seconds: float = Field(default=10.0, gt=0)
    poll_seconds: float = Field(default=0.2, gt=0, description="How often idle workers look")
    # An endpoint failing without a success for this many days is disabled, and the partner
    # and its office told (WebhookEndpointDisabled). Fractions allowed (tests: seconds).
    disable_after_days: float = Field(default=DISABLE_AFTER.total_seconds() / _DAY, gt=0)
    # The consent-free aggregates: a count of fewer returnees than this is shown as "<N".
    aggregate_min_count: int = Field(default=DEFAULT_MIN_COUNT, ge=2)
