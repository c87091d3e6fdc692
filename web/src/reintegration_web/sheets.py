"""Caseload spreadsheets as offices keep them (French headers), for the import's tests, its
benchmark and demonstrations: CSV, and XLSX written with the standard library (an XLSX file
is a zip of XML parts; inline strings need no shared-strings table)."""

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from xml.sax.saxutils import escape

HEADERS = [
    "Nom", "Prénom(s)", "Date de naissance", "Sexe", "Téléphone", "Date d'arrivée",
    "Type de retour", "Région", "Commune", "Taille du ménage", "Vulnérabilités", "Métier",
]  # fmt: skip
FAMILY = ["Ouédraogo", "Kaboré", "Sawadogo", "Compaoré", "Traoré", "Zongo", "Ilboudo", "Sana"]
GIVEN = ["Aminata", "Issa", "Salif", "Rasmata", "Moussa", "Awa", "Boukary", "Fatimata", "Ali"]
COMMUNES = ["Tenkodogo", "Garango", "Koupéla", "Bittou", "Zabré"]


def caseload_rows(count: int, seed: int = 0, arrival: date | None = None) -> list[list[str]]:
    """`count` distinct people (distinct phones and birth dates), dates as dd/mm/yyyy."""
    arrival = arrival or date.today() - timedelta(days=30)
    rows = []
    for n in range(count):
        k = n + seed * 1_000_003
        birth = date(1975, 1, 1) + timedelta(days=(k * 7919) % 12_000)
        rows.append(
            [
                FAMILY[k % len(FAMILY)],
                f"{GIVEN[k % len(GIVEN)]} {n}",
                birth.strftime("%d/%m/%Y"),
                "F" if k % 2 else "M",
                f"+226 {60 + k // 100_000 % 10}{k % 100_000:07d}",
                (arrival - timedelta(days=k % 20)).strftime("%d/%m/%Y"),
                "RVA" if k % 3 else "forcé",
                "Centre-Est",
                COMMUNES[k % len(COMMUNES)],
                str(1 + k % 7),
                "Parent isolé" if k % 11 == 0 else "",
                "Couture" if k % 5 == 0 else "",
            ]
        )
    return rows


def to_csv(rows: Iterable[Sequence[str]], headers: Sequence[str] = HEADERS) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode()


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def to_xlsx(rows: Iterable[Sequence[str]], headers: Sequence[str] = HEADERS) -> bytes:
    lines = []
    for r, row in enumerate([list(headers), *rows], start=1):
        cells = "".join(
            f'<c r="{_column(c)}{r}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'
            for c, value in enumerate(row)
            if value != ""
        )
        lines.append(f'<row r="{r}">{cells}</row>')
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{''.join(lines)}</sheetData></worksheet>"
    )
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}">'
            '<sheets><sheet name="Dossiers" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": sheet,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()
