"""CSV exports: a header row, empty cells for nothing, lists joined, formulas defused."""

import csv
import io

import pytest

from reintegration_sdk.export import csv_response

pytestmark = pytest.mark.unit


def test_a_csv_export_opens_safely_in_a_spreadsheet() -> None:
    response = csv_response(
        "plans-bf", ["plan", "trades", "note", "total"], [["p1", ["tailoring", "welding"], None, 5]]
    )
    assert response.media_type == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="plans-bf.csv"'
    rows = list(csv.reader(io.StringIO(bytes(response.body).decode())))
    assert rows == [["plan", "trades", "note", "total"], ["p1", "tailoring;welding", "", "5"]]


def test_a_cell_that_looks_like_a_formula_is_kept_as_text() -> None:
    response = csv_response("x.csv", ["activity"], [['=HYPERLINK("http://x")']])
    assert response.headers["content-disposition"] == 'attachment; filename="x.csv"'
    assert bytes(response.body).decode().splitlines()[1] == '"\'=HYPERLINK(""http://x"")"'
