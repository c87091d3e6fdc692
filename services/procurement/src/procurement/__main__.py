"""`python -m procurement`: serve procurement's API, relay and subscribers (port 8104)."""

from procurement.app import definition
from reintegration_sdk import serve

if __name__ == "__main__":
    serve(definition)
