"""Lists that people export: JSON by default, `?format=csv` gives a file with a header row."""

from collections.abc import Sequence

from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from reintegration_sdk.export import csv_response


def rows(items: Sequence[BaseModel], model: type[BaseModel], fmt: str, name: str) -> Response:
    if fmt != "csv":
        return JSONResponse(jsonable_encoder(items))
    return csv_response(
        name,
        list(model.model_fields),
        (list(item.model_dump(mode="json").values()) for item in items),
        list_separator=" ",
    )
