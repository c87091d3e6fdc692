"""`python -m intake`: serve intake on HTTP_PORT (8101 unless set)."""

from intake.app import definition
from reintegration_sdk import serve

if __name__ == "__main__":
    serve(definition)
