"""Lists people export: `?format=csv` gives a header row and one line per row."""

from collections.abc import Sequence
from enum import StrEnum

from fastapi.responses import Response
from pydantic import BaseModel

from reintegration_sdk import export


class Format(StrEnum):
    JSON = "json"
    CSV = "csv"


def csv_response(rows: Sequence[BaseModel], model: type[BaseModel], name: str) -> Response:
    columns = list(model.model_fields)
    return export.csv_response(
        name, columns, ([row.model_dump(mode="json")[c] for c in columns] for row in rows)
    )
