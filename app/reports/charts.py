"""Charts as SVG, drawn on the server by pygal from a report's `Table`, with nothing to run
and nothing to fetch.

pygal's own output asks for its tooltip script from a CDN and carries an inline script of
its configuration; `js=[]` drops the first, and `safe_svg` removes every `<script>`, comment
and link that is left, so that the file is a picture only (tests/reports/test_charts.py
checks it). Pages show each chart as an `<img>` of a `data:` URL, which the site's
Content-Security-Policy allows (`img-src 'self' data:`) and in which a browser would run no
script anyway; the `.svg` download is served with a policy of its own that allows nothing
but its inline style. Each chart has a title, and the page puts the same numbers in a table
beside it: that table is its text equivalent.
"""

from __future__ import annotations

import base64
import math
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pygal
from pygal.style import Style

from app.reports.tables import Table

# Importing pygal appends an old-style import hook to sys.meta_path (`PluginImportFixer`, for
# map plugins under `pygal.maps`, which TrainHub does not use). It has no `find_spec`, so
# every import that reaches it afterwards warns (ImportWarning), and the test suite, which
# runs with warnings as errors, fails on imports far from here. Taken off again at once.
sys.meta_path[:] = [hook for hook in sys.meta_path if type(hook).__module__ != "pygal"]

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
# The .svg download's own policy: its inline <style>, nothing else.
SVG_CONTENT_SECURITY_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; "
                               "frame-ancestors 'none'")

# Calm colours with text dark enough on white (WCAG AA); one series per chart.
STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1f2933",
    foreground_strong="#1f2933",
    foreground_subtle="#d5dbe1",
    opacity="0.9",
    opacity_hover="0.9",
    colors=("#3b6e8f", "#5b8a6b", "#8a6f5b", "#6b6a99"),
    font_family="system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif",
    title_font_size=22,
    label_font_size=20,
    major_label_font_size=20,
    value_font_size=20,
    tooltip_font_size=18,
)
# A narrow canvas with large type: shrunk to the 300-odd pixels a 360 px phone gives it,
# the labels are still about 14 px.
WIDTH = 440
LABEL_LENGTH = 18
# Labels under vertical bars turn when there are more than this many.
UPRIGHT_LABELS = 3


def _ticks(table: Table) -> list[float] | None:
    """Whole-number ticks (pygal would write 2.5 trainees): at most seven up the side, five
    along the bottom, where the numbers sit side by side."""
    top = max((row.value for row in table.rows), default=0)
    if top < 1:
        return None
    step = max(1, math.ceil(top / (4 if table.chart == "hbar" else 6)))
    return list(range(0, int(top) + step + 1, step))


def _config(table: Table, rows: int) -> dict[str, object]:
    horizontal = table.chart == "hbar"
    height = max(240, 100 + 42 * rows) if horizontal else 380
    return {
        "y_labels": _ticks(table),
        "x_label_rotation": 0 if horizontal or rows <= UPRIGHT_LABELS else 40,
        "title": table.title, "width": WIDTH, "height": height, "style": STYLE,
        "show_legend": False, "js": [], "disable_xml_declaration": True,
        "print_values": True, "print_values_position": "top", "truncate_label": -1,
        "show_y_guides": not horizontal, "show_x_guides": horizontal, "margin": 12,
        "explicit_size": False, "pretty_print": False,
        "value_formatter": _formatter(table), "no_data_text": "\u2013",
    }


def _formatter(table: Table) -> Callable[[float], str]:
    if table.kind == "hours":
        return lambda value: f"{value:,.1f}"
    return lambda value: f"{value:,.0f}"


CHART_TYPES: dict[str, Callable[..., pygal.graph.graph.Graph]] = {
    "hbar": pygal.HorizontalBar,
    "bar": pygal.Bar,
}


def chart_label(label: str) -> str:
    """A bar's label cut to fit beside it (the table next to the chart has it in full):
    pygal gives long labels all the width and leaves none for the bars."""
    return label if len(label) <= LABEL_LENGTH else label[:LABEL_LENGTH - 1].rstrip() + "\u2026"


def safe_svg(root: ET.Element) -> str:
    """The chart's tree as text without scripts, comments or links to anywhere."""
    for parent in list(root.iter()):
        for child in list(parent):
            tag = child.tag if isinstance(child.tag, str) else ""
            if child.tag is ET.Comment or tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    for element in root.iter():
        for name in ("href", XLINK_HREF):
            if name in element.attrib and not element.attrib[name].startswith("#"):
                del element.attrib[name]
    root.set("role", "img")
    ET.register_namespace("", SVG_NS)
    return ET.tostring(root, encoding="unicode")


def render_chart(table: Table) -> str:
    """The table's chart as SVG text (the table's values, in its order)."""
    rows = table.rows
    if table.chart == "hbar":
        rows = tuple(reversed(rows))  # pygal draws a horizontal bar chart from the bottom up
    chart = CHART_TYPES[table.chart or "bar"](**_config(table, len(rows)))
    chart.x_labels = [chart_label(row.short or row.label) for row in rows]
    chart.add(table.value_heading, [row.value for row in rows])
    return safe_svg(chart.render_tree())


def data_url(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")
