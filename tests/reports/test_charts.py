"""Charts are pictures only: no script, nothing fetched from anywhere, a title."""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET

from app.reports.charts import data_url, render_chart, safe_svg
from app.reports.tables import Row, Table

TABLE = Table("countries", "Trainees by country", "Country", "Trainees",
              (Row("AR", "Argentina", 5), Row("BD", "Bangladesh", 4),
               Row("CF", "Central African Republic", 12)), "grouped")


def assert_picture_only(svg: str) -> None:
    root = ET.fromstring(svg)  # noqa: S314 - our own chart
    tags = {element.tag.rsplit("}", 1)[-1] for element in root.iter()}
    assert "script" not in tags and "foreignObject" not in tags
    assert "<script" not in svg and "javascript:" not in svg
    assert not re.search(r"(?:href|src)\s*=", svg)
    assert "@import" not in svg and not re.search(r"url\(\s*['\"]?(?!#)", svg)
    assert "<?xml-stylesheet" not in svg and "<!--" not in svg
    # No address but the SVG namespace's own.
    assert set(re.findall(r"https?://[^\s\"'<>]+", svg)) <= {"http://www.w3.org/2000/svg"}


def test_a_chart_is_an_svg_picture_with_its_title() -> None:
    svg = render_chart(TABLE)
    assert_picture_only(svg)
    root = ET.fromstring(svg)  # noqa: S314 - our own chart
    assert root.get("role") == "img"
    titles = [el.text for el in root.iter() if el.tag.endswith("title")]
    assert "Trainees by country" in titles
    for label in ("Argentina", "Bangladesh", "Central African R\u2026"):
        assert f'<desc class="x_label">{label}</desc>' in svg


def test_vertical_bars_and_hours_too() -> None:
    table = Table("time", "Time spent", "Modality", "Learner-hours",
                  (Row("virtual", "Virtual", 22.5), Row("classroom", "Classroom", 36)),
                  "measures", chart="bar", kind="hours")
    svg = render_chart(table)
    assert_picture_only(svg)
    assert "22.5" in svg


def test_safe_svg_takes_out_what_pygal_or_anyone_puts_in() -> None:
    root = ET.fromstring(  # noqa: S314 - the test's own text
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<!-- http://pygal.org --><defs><script>alert(1)</script>'
        '<script href="//kozea.github.io/pygal.js"/></defs>'
        '<a href="https://example.org"><text>x</text></a>'
        '<use xlink:href="https://example.org/x.svg#a"/><use href="#local"/></svg>')
    svg = safe_svg(root)
    assert "script" not in svg and "example.org" not in svg and "pygal.org" not in svg
    assert 'href="#local"' in svg


def test_data_url_is_the_svg_itself() -> None:
    url = data_url("<svg/>")
    assert url.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(url.split(",", 1)[1]) == b"<svg/>"


def test_pygal_leaves_no_import_hook_behind() -> None:
    """Its `PluginImportFixer` would make every later import warn."""
    import sys

    assert not [hook for hook in sys.meta_path if type(hook).__module__ == "pygal"]


def test_long_labels_are_cut_to_leave_room_for_the_bars() -> None:
    table = Table("centres", "Trainees by centre", "Centre", "Trainees",
                  (Row("1", "Global Training Hub for Biomanufacturing (HUB)", 3),), "stages")
    svg = render_chart(table)
    assert "Global Training H\u2026" in svg
    assert "Global Training Hub for Biomanufacturing (HUB)" not in svg.replace("<title>", "")
