"""Charts as inline SVG, drawn on the server: no script, readable at a glance, and each one
titled and described for screen readers (every page also shows the numbers as a table).

Colours come from a palette that stays distinct for the common colour-vision deficiencies and
keeps at least 4.5:1 contrast on white; lines also differ by dash pattern.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count

from markupsafe import Markup, escape

PALETTE = ("#0b5394", "#b45f06", "#38761d", "#7f2a8a", "#a61c00", "#3d3d3d")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2", "10 4")
TEXT = "#1a1a1a"
GRID = "#6b6b6b"
_ids = count(1)


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]


def _frame(width: int, height: int, title: str, description: str, body: list[str]) -> Markup:
    n = next(_ids)
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" style="max-width: {width}px" role="img" '
        f'aria-labelledby="chart-t{n} chart-d{n}" '
        f'font-family="system-ui, sans-serif" font-size="13">'
        f'<title id="chart-t{n}">{escape(title)}</title>'
        f'<desc id="chart-d{n}">{escape(description)}</desc>' + "".join(body) + "</svg>"
    )


def _number(value: float) -> str:
    return f"{value:g}" if value != int(value) else f"{int(value)}"


def bar_chart(
    title: str, rows: Sequence[tuple[str, float]], unit: str = "", label_width: int = 170
) -> Markup:
    """Horizontal bars, one per row, the value written at the end of the bar."""
    width, bar, gap = 640, 22, 8
    height = max(1, len(rows)) * (bar + gap) + 10
    top = max((v for _, v in rows), default=0) or 1
    span = width - label_width - 70
    body = []
    for i, (label, value) in enumerate(rows):
        y = 5 + i * (bar + gap)
        length = span * value / top
        body += [
            f'<text x="{label_width - 8}" y="{y + bar * 0.7:.1f}" text-anchor="end" '
            f'fill="{TEXT}">{escape(label)}</text>',
            f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar}" '
            f'fill="{PALETTE[0]}"><title>{escape(label)}: {_number(value)}{unit}</title></rect>',
            f'<text x="{label_width + length + 6:.1f}" y="{y + bar * 0.7:.1f}" '
            f'fill="{TEXT}">{_number(value)}{escape(unit)}</text>',
        ]
    summary = "; ".join(f"{label} {_number(v)}{unit}" for label, v in rows)
    return _frame(width, height, title, summary, body)


def range_chart(
    title: str, rows: Sequence[tuple[str, float | None, float | None]], label_width: int = 250
) -> Markup:
    """Median as a bar and 90th percentile as a tick, in days."""
    width, bar, gap = 640, 18, 12
    height = max(1, len(rows)) * (bar + gap) + 30
    top = max((p or 0 for _, _, p in rows), default=0) or 1
    span = width - label_width - 110
    body = [
        f'<text x="{label_width}" y="{height - 6}" fill="{TEXT}">'
        f"bar = median, tick = 90th percentile (days)</text>"
    ]
    for i, (label, median, p90) in enumerate(rows):
        y = 5 + i * (bar + gap)
        body.append(
            f'<text x="{label_width - 8}" y="{y + bar * 0.75:.1f}" text-anchor="end" '
            f'fill="{TEXT}">{escape(label)}</text>'
        )
        if median is None or p90 is None:
            body.append(
                f'<text x="{label_width}" y="{y + bar * 0.75:.1f}" fill="{TEXT}">no cases</text>'
            )
            continue
        m, p = span * median / top, span * p90 / top
        body += [
            f'<rect x="{label_width}" y="{y}" width="{m:.1f}" height="{bar}" fill="{PALETTE[0]}"/>',
            f'<line x1="{label_width + p:.1f}" x2="{label_width + p:.1f}" y1="{y - 3}" '
            f'y2="{y + bar + 3}" stroke="{PALETTE[1]}" stroke-width="3"/>',
            f'<text x="{label_width + max(m, p) + 8:.1f}" y="{y + bar * 0.75:.1f}" '
            f'fill="{TEXT}">{_number(median)} / {_number(p90)}</text>',
        ]
    summary = "; ".join(
        f"{label}: median {median}, 90th percentile {p90} days" for label, median, p90 in rows
    )
    return _frame(width, height, title, summary, body)


def line_chart(title: str, categories: Sequence[str], series: Sequence[Series]) -> Markup:
    """One line per series over the categories (months), with a legend."""
    width, height, left, right, top_pad, bottom = 640, 300, 44, 36, 16, 80
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    top = max((v for s in series for v in s.values), default=0) or 1
    step = plot_w / max(1, len(categories) - 1)
    body = []
    for tick in range(5):
        value = top * tick / 4
        y = top_pad + plot_h - plot_h * tick / 4
        body += [
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="0.5"/>',
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{TEXT}">'
            f"{_number(round(value, 1))}</text>",
        ]
    every = max(1, len(categories) // 8)
    for i, name in enumerate(categories):
        if i % every == 0:
            body.append(
                f'<text x="{left + i * step:.1f}" y="{top_pad + plot_h + 16}" '
                f'text-anchor="middle" fill="{TEXT}">{escape(name)}</text>'
            )
    for n, s in enumerate(series):
        colour, dash = PALETTE[n % len(PALETTE)], DASHES[n % len(DASHES)]
        points = [
            (left + i * step, top_pad + plot_h - plot_h * v / top) for i, v in enumerate(s.values)
        ]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        body.append(
            f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5" '
            f'stroke-dasharray="{dash}"/>'
        )
        body += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>' for x, y in points]
        lx, ly = left + (n % 3) * 200, height - 36 + (n // 3) * 18
        body += [
            f'<line x1="{lx}" x2="{lx + 28}" y1="{ly}" y2="{ly}" stroke="{colour}" '
            f'stroke-width="2.5" stroke-dasharray="{dash}"/>',
            f'<text x="{lx + 34}" y="{ly + 4}" fill="{TEXT}">{escape(s.name)}</text>',
        ]
    summary = "; ".join(
        f"{s.name}: "
        + ", ".join(f"{c} {_number(v)}" for c, v in zip(categories, s.values, strict=True))
        for s in series
    )
    return _frame(width, height, title, summary, body)


def grouped_bar_chart(
    title: str, groups: Sequence[str], series: Sequence[Series], label_width: int = 60
) -> Markup:
    """Per group (an office), one horizontal bar per series, with a legend."""
    width, bar = 640, 14
    block = bar * len(series) + 14
    legend_h = 22 * ((len(series) + 2) // 3)
    height = len(groups) * block + legend_h + 10
    top = max((v for s in series for v in s.values), default=0) or 1
    span = width - label_width - 60
    body = []
    for g, group in enumerate(groups):
        y0 = 5 + g * block
        body.append(
            f'<text x="{label_width - 8}" y="{y0 + block / 2:.1f}" text-anchor="end" '
            f'font-weight="bold" fill="{TEXT}">{escape(group)}</text>'
        )
        for n, s in enumerate(series):
            y, length = y0 + n * bar, span * s.values[g] / top
            body += [
                f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar - 2}" '
                f'fill="{PALETTE[n % len(PALETTE)]}"/>',
                f'<text x="{label_width + length + 4:.1f}" y="{y + bar - 4}" font-size="11" '
                f'fill="{TEXT}">{_number(s.values[g])}</text>',
            ]
    for n, s in enumerate(series):
        lx, ly = label_width + (n % 3) * 190, len(groups) * block + 14 + (n // 3) * 22
        body += [
            f'<rect x="{lx}" y="{ly}" width="14" height="14" fill="{PALETTE[n % len(PALETTE)]}"/>',
            f'<text x="{lx + 20}" y="{ly + 12}" fill="{TEXT}">{escape(s.name)}</text>',
        ]
    summary = "; ".join(
        f"{group}: " + ", ".join(f"{s.name} {_number(s.values[g])}" for s in series)
        for g, group in enumerate(groups)
    )
    return _frame(width, height, title, summary, body)
