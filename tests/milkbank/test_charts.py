"""Server-drawn charts: the bars and points stand for the table's numbers, nothing runs, the CSV is safe."""

import csv
import io
import re

import pytest
from django.template.loader import render_to_string

from milkbank.charts import Table, bar_chart, csv_response, line_chart, nice_ceiling

TABLE = Table("Milk per month", ["Month", "Clinical", "Research"], [["Jan", 1000, 200], ["Feb", 500, None]])


@pytest.mark.parametrize(
    ("value", "top"), [(0, 1), (7, 10), (1000, 1000), (1001, 2000), (2200, 2500), (0.3, 0.5)]
)
def test_axis_tops_are_round_numbers(value, top):
    assert nice_ceiling(value) == top


def _heights(svg):
    return [float(h) for h in re.findall(r'<rect x="[^"]+" y="[^"]+" width="[^"]+" height="([^"]+)"', svg)]


def test_bar_heights_are_in_proportion_to_the_numbers():
    svg = bar_chart(TABLE, unit="mL")
    heights = _heights(svg)[:3]  # the legend's swatches come after the bars
    assert heights[0] == pytest.approx(2 * heights[2])  # 1000 vs 500
    assert heights[0] == pytest.approx(5 * heights[1])  # 1000 vs 200
    assert "Clinical, Jan: 1,000 mL" in svg
    assert svg.count("<rect") == 3 + 2  # no bar for the missing value; two legend swatches


def test_stacked_bars_sit_on_each_other():
    svg = bar_chart(TABLE, stacked=True)
    ys = [float(y) for y in re.findall(r'<rect x="[^"]+" y="([^"]+)"', svg)]
    heights = _heights(svg)
    assert ys[1] + heights[1] == pytest.approx(ys[0])  # research on top of clinical in January


def test_a_missing_value_breaks_the_line():
    rows = [["Jan", 3], ["Feb", 4], ["Mar", None], ["Apr", 5], ["May", 6]]
    table = Table("Days", ["Month", "Median"], rows)
    svg = line_chart(table, unit="days")
    assert svg.count("<polyline") == 2
    assert svg.count("<circle") == 4


def test_the_svg_is_labelled_and_holds_no_script_or_style():
    svg = bar_chart(Table("<script>alert(1)</script>", ["Month", "=cmd"], [["<b>", 1]]))
    assert 'role="img"' in svg and "aria-labelledby" in svg
    assert "<script" not in svg and "<style" not in svg and "style=" not in svg
    assert "&lt;script&gt;" in svg


def test_each_chart_on_a_page_has_its_own_ids():
    first, second = bar_chart(TABLE), line_chart(TABLE)
    assert re.search(r'id="(chart-\d+)-title"', first)[1] != re.search(r'id="(chart-\d+)-title"', second)[1]


def test_many_series_wrap_the_legend_onto_more_rows():
    names = [f"Depot number {i} with a long name" for i in range(9)]
    wide = Table("Depots", ["Month", *names], [["Jan", *range(9)]])
    svg = bar_chart(wide)
    assert 'viewBox="0 0 720 336"' in svg  # two more legend rows of 18
    assert "Depot number 0 with a…" in svg


def test_the_csv_holds_the_table_and_runs_no_formula():
    table = Table("t", ["Where", "mL"], [["=HYPERLINK(1)", 5], ["@x", None], ["-1", -2]])
    response = csv_response(table, "t.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [["Where", "mL"], ["'=HYPERLINK(1)", "5"], ["'@x", ""], ["'-1", "-2"]]


def test_the_table_beside_the_chart_shows_the_same_numbers():
    context = {"chart": bar_chart(TABLE), "table": TABLE, "csv_url": "/x.csv"}
    html = render_to_string("includes/chart.html", context)
    assert "<caption>Milk per month</caption>" in html
    assert '<th scope="row">Jan</th><td class="text-end">1,000</td><td class="text-end">200</td>' in html
    assert '<td class="text-end">–</td>' in html
    assert 'href="/x.csv"' in html
