"""Lists people export: `?format=csv` gives a header row and one line per row."""

import csv
import io
from collections.abc import Sequence
from enum import StrEnum

from fastapi.responses import Response
from pydantic import BaseModel


class Format(StrEnum):
    JSON = "json"
    CSV = "csv"


def csv_response(rows: Sequence[BaseModel], model: type[BaseModel], name: str) -> Response:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(model.model_fields), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.model_dump(mode="json").items()})
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


def _cell(value: object) -> object:
    # A text cell starting like a formula would run in the spreadsheet that opens the export.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
