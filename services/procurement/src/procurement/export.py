"""Lists that people export: `?format=csv` answers text/csv with a header row."""

from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from fastapi.responses import Response

from reintegration_sdk import export


class Format(StrEnum):
    JSON = "json"
    CSV = "csv"


def csv_response(rows: Sequence[dict[str, Any]], columns: Sequence[str], name: str) -> Response:
    return export.csv_response(name, columns, ([row.get(c) for c in columns] for row in rows))
