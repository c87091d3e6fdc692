"""Lists people export: `?format=csv` answers text/csv with a header row."""

from reintegration_sdk.export import csv_response

__all__ = ["csv_response"]
