"""`python -m programme`: serve the programme service (HTTP on 8107 unless HTTP_PORT says)."""

from programme.app import definition
from reintegration_sdk import serve

serve(definition)
