"""Lists that people export: `?format=csv` answers text/csv with a header row."""

import csv
import io
from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from fastapi.responses import Response


class Format(StrEnum):
    JSON = "json"
    CSV = "csv"


def csv_response(rows: Sequence[dict[str, Any]], columns: Sequence[str], name: str) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(column)) for column in columns])
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    return value
