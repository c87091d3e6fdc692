"""`python -m committee`: serve the committee's API, relay and subscribers (port 8103)."""

from committee.app import definition
from reintegration_sdk import serve

if __name__ == "__main__":
    serve(definition)
