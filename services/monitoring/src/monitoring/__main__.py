"""`python -m monitoring`: the service on port 8105 unless HTTP_PORT says otherwise."""

from monitoring.app import definition, settings_from_environment
from reintegration_sdk.service import serve

serve(definition, settings_from_environment())
