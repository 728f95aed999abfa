"""Charts rendered by the server as inline SVG (no script, no CDN), each with its table and CSV.

A ``Chart`` holds a title, column headings and rows (label, value[, more values]); the page
renders ``bar_svg(chart)`` (a labelled bar chart of the first value column), the same rows as a
table, and links the CSV download (``to_csv``). Text in the SVG is escaped by Markup.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from markupsafe import Markup, escape

WIDTH, BAR_HEIGHT, GAP, LABEL_WIDTH = 640, 22, 6, 220
COLOURS = ("#01689b", "#39870c", "#e17000", "#a90061", "#5a5a5a")


@dataclass
class Chart:
    key: str  # the CSV's name: views, customers, funnel, versions, ...
    title: str
    headings: list[str]
    rows: list[tuple] = field(default_factory=list)
    note: str = ""  # e.g. "Aantallen onder 3 worden niet getoond."

    @property
    def empty(self) -> bool:
        return not any(_number(row[1]) for row in self.rows)


def _number(value) -> float:
    return float(value) if isinstance(value, (int, float)) else 0.0


def bar_svg(chart: Chart) -> Markup:
    """A horizontal bar chart of the rows' first value; the label and value are written out."""
    values = [_number(row[1]) for row in chart.rows]
    top = max(values, default=0) or 1
    height = len(chart.rows) * (BAR_HEIGHT + GAP) + GAP
    span = WIDTH - LABEL_WIDTH - 60
    title_id = f"grafiek-{chart.key}"
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="scg-chart" role="img" viewBox="0 0 {WIDTH} {height}" '
             f'width="100%" aria-labelledby="{title_id}"><title id="{title_id}">{escape(chart.title)}</title>']
    for index, (row, value) in enumerate(zip(chart.rows, values, strict=True)):
        y = GAP + index * (BAR_HEIGHT + GAP)
        width = round(span * value / top) if value else 0
        colour = COLOURS[0]
        shown = escape(row[1]) if row[1] is not None else ""
        parts.append(f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT - 6}" text-anchor="end" font-size="13" '
                     f'fill="#1a1a1a">{escape(_short(str(row[0])))}</text>')
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width}" height="{BAR_HEIGHT}" fill="{colour}"/>')
        parts.append(f'<text x="{LABEL_WIDTH + width + 6}" y="{y + BAR_HEIGHT - 6}" font-size="13" '
                     f'fill="#1a1a1a">{shown}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def to_csv(chart: Chart) -> str:
    """The chart's table as CSV (semicolons, as Dutch spreadsheets expect), with a heading row."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(chart.headings)
    for row in chart.rows:
        writer.writerow(["" if cell is None else _safe_cell(cell) for cell in row])
    return out.getvalue()


def _safe_cell(value):
    """No spreadsheet formulas from names: a leading = + - @ gets a quote."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not isinstance(value, (int, float)) else value
