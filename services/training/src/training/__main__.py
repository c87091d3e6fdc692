"""`python -m training`: serve the training service (HTTP on 8102 unless HTTP_PORT says)."""

from reintegration_sdk import serve
from training.app import definition

serve(definition)
