"""Lists that people export: JSON by default, `?format=csv` gives a file with a header row."""

import csv
import io
from collections.abc import Sequence

from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel


def rows(items: Sequence[BaseModel], model: type[BaseModel], fmt: str, name: str) -> Response:
    if fmt != "csv":
        return JSONResponse(jsonable_encoder(items))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(model.model_fields)
    for item in items:
        writer.writerow(_cell(value) for value in item.model_dump(mode="json").values())
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


def _cell(value: object) -> object:
    if isinstance(value, list):
        return " ".join(str(part) for part in value)
    return "" if value is None else value
