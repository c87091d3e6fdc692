"""`python -m monitoring`: serve the monitoring service (HTTP on 8105 unless HTTP_PORT says)."""

from monitoring.app import definition
from reintegration_sdk import serve

serve(definition)
