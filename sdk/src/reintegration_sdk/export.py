"""Lists people export: `?format=csv` answers a spreadsheet file with a header row."""

import csv
import io
from collections.abc import Iterable, Sequence

from fastapi.responses import Response


def csv_cell(value: object, list_separator: str = ";") -> object:
    """One cell as a spreadsheet should show it: empty for None, lists joined."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return list_separator.join(str(part) for part in value)
    # A text cell starting like a formula would run in the spreadsheet that opens the export.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_response(
    name: str,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    list_separator: str = ";",
) -> Response:
    """`text/csv` with one header row, downloaded as `<name>.csv`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([csv_cell(v, list_separator) for v in row] for row in rows)
    filename = name if name.endswith(".csv") else f"{name}.csv"
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
