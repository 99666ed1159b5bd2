"""Charts drawn on the server as inline SVG, with the same numbers as a table and a CSV download.

A report builds one `Table` (first column the row label, such as a month; the others numbers, None where
there is nothing to show) and hands it to `bar_chart` or `line_chart` and to `templates/includes/chart.html`,
so the chart, the accessible table under it and the CSV file cannot disagree. The SVG holds no script and no
style: colours are presentation attributes and the rest comes from static/css/site.css, within the CSP.
"""

from __future__ import annotations

import csv
import itertools
import math
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

# Colours with at least 3:1 contrast on white (WCAG 1.4.11), told apart by the legend and the table too.
PALETTE = ("#1f5f8b", "#b35806", "#2d7d46", "#6a3d9a", "#8c2d3c", "#4d4d4d", "#0f766e", "#7c5e10")

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 12, 26, 48
MAX_X_LABELS = 12
LEGEND_PER_ROW, LEGEND_ROW, LEGEND_CHARS = 4, 18, 22

_chart_ids = itertools.count(1)


@dataclass
class Table:
    caption: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)

    @property
    def labels(self) -> list[str]:
        return [str(row[0]) for row in self.rows]

    def series(self) -> list[tuple[str, list]]:
        return [(name, [row[i] for row in self.rows]) for i, name in enumerate(self.columns[1:], start=1)]


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 times a power of ten at or above value (axis tops people read easily)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def _is_nice(value: float) -> bool:
    return nice_ceiling(value) == value


def _fmt(value) -> str:
    if value is None:
        return "–"
    decimals = 0 if float(value).is_integer() else 1
    return number_format(value, decimal_pos=decimals, force_grouping=True)


def _svg(template: str, *args) -> SafeString:
    """format_html with coordinates rounded to a tenth of a pixel."""
    return format_html(template, *(f"{a:.1f}" if isinstance(a, float) else a for a in args))


def _join(parts) -> SafeString:
    return format_html_join("", "{}", ((part,) for part in parts))


def _short(name: str) -> str:
    """A legend entry fits its slot; the table holds the whole name."""
    return name if len(name) <= LEGEND_CHARS else name[: LEGEND_CHARS - 1] + "…"


def _frame(table: Table, top: float, unit: str, chart_id: str, body: SafeString) -> SafeString:
    plot_h = HEIGHT - TOP - BOTTOM
    plot_w = WIDTH - LEFT - RIGHT
    n = max(len(table.rows), 1)
    grid = []
    divisions = 4 if _is_nice(top / 4) else 5
    for i in range(divisions + 1):
        value = top * i / divisions
        y = TOP + plot_h - plot_h * i / divisions
        grid.append(
            _svg(
                '<line class="chart-grid" x1="{}" x2="{}" y1="{}" y2="{}" stroke="#c8c8c8"/>'
                '<text class="chart-axis" x="{}" y="{}" text-anchor="end">{}</text>',
                LEFT,
                LEFT + plot_w,
                y,
                y,
                LEFT - 6,
                y + 4,
                _fmt(value),
            )
        )
    every = math.ceil(n / MAX_X_LABELS)
    x_labels = [
        _svg(
            '<text class="chart-axis" x="{}" y="{}" text-anchor="middle">{}</text>',
            LEFT + plot_w * (i + 0.5) / n,
            HEIGHT - BOTTOM + 18,
            label,
        )
        for i, label in enumerate(table.labels)
        if i % every == 0
    ]
    names = [name for name, _values in table.series()]
    legend = format_html_join(
        "",
        '<rect x="{}" y="{}" width="12" height="12" fill="{}"/>'
        '<text class="chart-legend" x="{}" y="{}">{}</text>',
        (
            (x, y - 10, PALETTE[i % len(PALETTE)], x + 16, y, _short(name))
            for i, name in enumerate(names)
            for x, y in [(LEFT + (i % LEGEND_PER_ROW) * 165, HEIGHT - 6 + LEGEND_ROW * (i // LEGEND_PER_ROW))]
        ),
    )
    height = HEIGHT + LEGEND_ROW * max(math.ceil(len(names) / LEGEND_PER_ROW) - 1, 0)
    unit_label = format_html('<text class="chart-axis" x="4" y="{}">{}</text>', TOP - 12, unit or "")
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" width="100%" role="img" aria-labelledby="{}-title {}-desc"'
        ' xmlns="http://www.w3.org/2000/svg" focusable="false">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}{}{}{}{}</svg>',
        WIDTH,
        height,
        chart_id,
        chart_id,
        chart_id,
        table.caption,
        chart_id,
        "The same numbers are in the table that follows.",
        _join(grid),
        unit_label,
        body,
        _join(x_labels),
        legend,
    )


def _top(table: Table, stacked: bool) -> float:
    if stacked:
        totals = [sum(v for v in row[1:] if v) for row in table.rows]
    else:
        totals = [v for row in table.rows for v in row[1:] if v is not None]
    return nice_ceiling(max(totals, default=0))


def bar_chart(table: Table, *, unit: str = "", stacked: bool = False) -> SafeString:
    """Bars per row label, one colour per series, side by side or stacked."""
    chart_id = f"chart-{next(_chart_ids)}"
    top = _top(table, stacked)
    plot_h = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(len(table.rows), 1)
    series = table.series()
    bars = []
    for i, label in enumerate(table.labels):
        x0 = LEFT + slot * i + slot * 0.1
        inner = slot * 0.8
        base = 0.0
        for s, (name, values) in enumerate(series):
            value = values[i]
            if not value:
                continue
            h = plot_h * value / top
            if stacked:
                x, w, y = x0, inner, TOP + plot_h - plot_h * base / top - h
                base += value
            else:
                w = inner / len(series)
                x, y = x0 + w * s, TOP + plot_h - h
            bars.append(
                _svg(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}">'
                    "<title>{}, {}: {} {}</title></rect>",
                    x,
                    y,
                    w,
                    h,
                    PALETTE[s % len(PALETTE)],
                    name,
                    label,
                    _fmt(value),
                    unit,
                )
            )
    return _frame(table, top, unit, chart_id, _join(bars))


def line_chart(table: Table, *, unit: str = "") -> SafeString:
    """A line per series across the row labels; a missing value (None) breaks the line."""
    chart_id = f"chart-{next(_chart_ids)}"
    top = _top(table, stacked=False)
    plot_h = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(len(table.rows), 1)
    parts = []
    for s, (name, values) in enumerate(table.series()):
        colour = PALETTE[s % len(PALETTE)]
        points = [
            (LEFT + slot * (i + 0.5), TOP + plot_h - plot_h * (v or 0) / top, label, v)
            for i, (label, v) in enumerate(zip(table.labels, values, strict=True))
        ]
        run: list[str] = []
        for x, y, label, v in [*points, (0, 0, "", None)]:
            if v is None:
                if len(run) > 1:
                    parts.append(
                        format_html(
                            '<polyline fill="none" stroke="{}" stroke-width="2.5" points="{}"/>',
                            colour,
                            " ".join(run),
                        )
                    )
                run = []
                continue
            run.append(f"{x:.1f},{y:.1f}")
            parts.append(
                _svg(
                    '<circle cx="{}" cy="{}" r="3.5" fill="{}"><title>{}, {}: {} {}</title></circle>',
                    x,
                    y,
                    colour,
                    name,
                    label,
                    _fmt(v),
                    unit,
                )
            )
    return _frame(table, top, unit, chart_id, _join(parts))


def _cell(value):
    """A spreadsheet must not run a cell as a formula (CSV injection): text starting with = + - @ or a tab
    gets a leading apostrophe. Numbers stay numbers."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


def csv_response(table: Table, filename: str) -> HttpResponse:
    """The table as a CSV download, never cached."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    writer = csv.writer(response)
    writer.writerow([_cell(c) for c in table.columns])
    for row in table.rows:
        writer.writerow([_cell(v) for v in row])
    return response
