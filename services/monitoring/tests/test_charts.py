"""Charts are well-formed SVG, titled and described, and escape what they are given."""

import xml.etree.ElementTree as ET

import pytest

from monitoring import charts

pytestmark = pytest.mark.unit
SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(
    "svg",
    [
        charts.bar_chart("Funnel", [("Registered", 12), ("<b>Kit</b> & co", 3)]),
        charts.range_chart("Durations", [("A → B", 10.0, 20.5), ("C → D", None, None)]),
        charts.line_chart("Flows", ["2024-01", "2024-02"], [charts.Series("Registered", [3, 5])]),
        charts.grouped_bar_chart("Offices", ["BF", "NE"], [charts.Series("Registered", [3, 0])]),
    ],
)
def test_chart_is_accessible_svg(svg: str) -> None:
    root = ET.fromstring(str(svg))
    assert root.get("role") == "img"
    labelled_by = root.get("aria-labelledby", "").split()
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert [title.get("id"), desc.get("id")] == labelled_by
    assert desc.text


def test_labels_are_escaped_and_values_written() -> None:
    svg = str(charts.bar_chart("Funnel", [("<b>Kit</b> & co", 3)]))
    assert "<b>" not in svg
    assert "&lt;b&gt;Kit&lt;/b&gt; &amp; co" in svg
    texts = [t.text for t in ET.fromstring(svg).iter(f"{SVG}text")]
    assert "3" in texts
