"""`python -m committee`: serve the committee's API, relay and subscribers."""

from committee.app import HTTP_PORT, definition
from reintegration_sdk import service
from reintegration_sdk.settings import ServiceSettings


def main() -> None:
    settings = ServiceSettings()
    # The settings default (8000) would shadow the service's own port unless HTTP_PORT is set.
    if "http_port" not in settings.model_fields_set:
        settings = settings.model_copy(update={"http_port": HTTP_PORT})
    service.serve(definition, settings)


if __name__ == "__main__":
    main()
