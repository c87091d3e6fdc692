"""`python -m training`: serve the training service (HTTP on 8102 unless HTTP_PORT says)."""

from reintegration_sdk.service import serve
from training.app import definition

if __name__ == "__main__":
    serve(definition)
