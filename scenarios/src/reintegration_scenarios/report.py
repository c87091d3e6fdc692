"""The funnel as a plain-text table, and the figures of a run (pure formatting)."""

from collections.abc import Sequence

from reintegration_scenarios.script import FunnelRow

LABELS = {
    "registered": "Registered",
    "counselled": "Counselled",
    "trained": "Trained",
    "certified": "Certified",
    "plan_submitted": "Plan submitted",
    "plan_reviewed": "Budget reviewed by procurement",
    "plan_examined": "Examined by the committee",
    "plan_approved": "Plan approved",
    "kit_delivered": "Kit delivered",
    "followed_up": "Followed up",
    "sustainable": "Sustainable",
}


def funnel_table(observed: Sequence[FunnelRow], expected: Sequence[FunnelRow] | None = None) -> str:
    """Stage, returnees and plans per stage; with `expected`, a check mark per matching row."""
    header = ["Stage", "Returnees", "Plans"] + (["Expected", ""] if expected else [])
    rows = []
    for index, row in enumerate(observed):
        cells = [LABELS.get(row.stage, row.stage), str(row.returnees), _plans(row)]
        if expected:
            want = expected[index]
            cells.append(
                f"{want.returnees}" + (f" / {want.plans}" if want.plans is not None else "")
            )
            cells.append("ok" if want == row else "DIFFERS")
        rows.append(cells)
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    right = {1, 2, 3}

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(r) for r in rows)])


def _plans(row: FunnelRow) -> str:
    return "" if row.plans is None else str(row.plans)


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(fraction * (len(ordered) - 1))))
    return ordered[rank]
