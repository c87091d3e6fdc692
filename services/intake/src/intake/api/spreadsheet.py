"""The caseload as a spreadsheet offices can open: one header row, one line per case."""

from collections.abc import Iterator, Sequence

from intake.queries.views import CaseSummary

COLUMNS = [
    "returnee_id", "sub_office", "arrival_date", "return_type", "region", "commune", "sex",
    "age_band", "is_minor", "vulnerabilities", "declared_trades", "aspirations",
    "household_size", "stage", "registered_at", "erased", "caseworker",
]  # fmt: skip


def caseload_rows(cases: Sequence[CaseSummary]) -> Iterator[list[object]]:
    """One line per case, in COLUMNS order."""
    for c in cases:
        yield [
            c.returnee_id,
            c.sub_office or "",
            c.arrival_date.isoformat(),
            c.return_type.value,
            c.community.region,
            c.community.commune,
            c.sex.value,
            c.age_band.value,
            c.is_minor,
            ";".join(v.value for v in c.vulnerabilities),
            ";".join(f"{t.trade}:{t.years_of_experience}" for t in c.declared_trades),
            ";".join(c.aspirations),
            c.household_size,
            c.stage.value,
            c.registered_at.isoformat(),
            c.erased,
            c.caseworker or "",
        ]
