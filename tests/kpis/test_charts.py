import io
import xml.etree.ElementTree as ET
from decimal import Decimal

from pypdf import PdfReader

from kpis.charts import Band, Point, describe, sparkline, trend_chart
from staffrole.pdf import render_pdf

SVG = "{http://www.w3.org/2000/svg}"
SERIES = [Point("Jan", Decimal("30")), Point("Feb", None), Point("Mar", Decimal("24")), Point("Apr", Decimal("18.5"))]


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output


def test_a_trend_chart_is_an_accessible_image_that_says_what_it_shows():
    root = _parse(trend_chart(SERIES, title="Lead time (hours)", unit="h", target=20))
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id and root.find(f"{SVG}title").text == "Lead time (hours)"
    desc = root.find(f"{SVG}desc")
    assert desc.get("id") == desc_id
    assert desc.text == (
        "Latest 18.5 h (Apr). Lowest 18.5 h (Apr), highest 30 h (Jan). 1 period not collected. Target 20 h."
    )
    periods = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "chart__period"]
    assert periods == ["Jan", "Feb", "Mar", "Apr"]


def test_a_missing_period_is_a_gap_with_a_hollow_marker_never_a_drop_to_zero():
    root = _parse(trend_chart(SERIES, title="Lead time", unit="h"))
    lines = list(root.iter(f"{SVG}polyline"))
    # Jan stands alone (no line of one point); Mar-Apr is the one line drawn.
    assert len(lines) == 1 and len(lines[0].get("points").split()) == 2
    missing = [el for el in root.iter(f"{SVG}circle") if el.get("class") == "chart__missing"]
    assert len(missing) == 1 and missing[0].get("fill") == "none"
    assert missing[0].find(f"{SVG}title").text == "Feb: not collected"
    points = [el for el in root.iter(f"{SVG}circle") if el.get("class") == "chart__point"]
    assert [p.find(f"{SVG}title").text for p in points] == ["Jan: 30 h", "Mar: 24 h", "Apr: 18.5 h"]


def test_the_target_is_a_labelled_dashed_line_and_bands_carry_their_names():
    bands = [Band("Elite", None, 24, "tier-elite"), Band("High", 24, 168), Band("Low", 168, None)]
    root = _parse(trend_chart(SERIES, title="Lead time", unit="h", target=20, bands=bands))
    target = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "chart__target")
    assert target.find(f"{SVG}line").get("stroke-dasharray") and target.find(f"{SVG}text").text == "target 20 h"
    names = [g.find(f"{SVG}text").text for g in root.iter(f"{SVG}g") if "chart__band" in (g.get("class") or "")]
    assert names == ["Elite", "High"]  # Low starts at 168 h, above every value shown


def test_higher_values_are_drawn_higher():
    root = _parse(trend_chart([Point("a", 1), Point("b", 5)], title="t"))
    first, second = [float(el.get("cy")) for el in root.iter(f"{SVG}circle") if el.get("class") == "chart__point"]
    assert second < first


def test_text_from_the_data_is_escaped():
    hostile = '<script>alert("x")</script>'
    svg = trend_chart([Point(hostile, 1), Point("b", 2)], title=hostile, unit="h", bands=[Band(hostile, 0, 1)])
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    _parse(svg)
    assert "<script>" not in sparkline([Point(hostile, 1)], title=hostile)


def test_a_sparkline_marks_the_latest_point_and_says_when_nothing_was_collected():
    root = _parse(sparkline(SERIES, title="Lead time", unit="h", target=20))
    assert root.find(f"{SVG}desc").text.startswith("Latest 18.5 h (Apr).")
    latest = [el for el in root.iter(f"{SVG}circle") if el.get("class") == "chart__latest"]
    assert len(latest) == 1 and float(latest[0].get("cx")) == 117.0
    empty = _parse(sparkline([Point("Jan", None), Point("Feb", None)], title="Lead time"))
    assert empty.find(f"{SVG}desc").text == "No data collected for 2 periods."
    assert [t.text for t in empty.iter(f"{SVG}text")] == ["not collected"]
    assert not list(empty.iter(f"{SVG}polyline"))


def test_the_same_data_gives_the_same_chart_and_other_data_other_ids():
    assert trend_chart(SERIES, title="x") == trend_chart(SERIES, title="x")
    first = _parse(trend_chart(SERIES, title="x")).get("aria-labelledby")
    other = _parse(trend_chart(SERIES[:2], title="x")).get("aria-labelledby")
    assert first != other


def test_describe_counts_what_is_missing():
    assert describe([], unit="h") == "No data collected for 0 periods."
    assert (
        describe([Point("Q1", Decimal("0.125"))], unit="") == "Latest 0.12 (Q1). Lowest 0.12 (Q1), highest 0.12 (Q1)."
    )


def test_weasyprint_draws_the_chart_into_a_pdf():
    chart = trend_chart(SERIES, title="Lead time", unit="h", target=20, bands=[Band("Elite", None, 24)])
    pdf = render_pdf(f"<html><body><h1>KPIs</h1>{chart}</body></html>")
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "target 20 h" in text and "Elite" in text and "Apr" in text


def test_wide_bands_do_not_flatten_the_series():
    # A tier reaching 6 months (4,380 h) must not squash a series of 16-30 hours into a flat line.
    bands = [Band("High", 24, 168), Band("Low", 720, 4380)]
    root = _parse(trend_chart(SERIES, title="Lead time", unit="h", bands=bands, height=220))
    ys = [float(el.get("cy")) for el in root.iter(f"{SVG}circle") if el.get("class") == "chart__point"]
    assert max(ys) - min(ys) > 100
    names = [g.find(f"{SVG}text").text for g in root.iter(f"{SVG}g") if "chart__band" in (g.get("class") or "")]
    assert names == ["High"]  # Low lies wholly above the data: not drawn


def test_the_value_axis_of_values_never_negative_starts_at_zero_at_the_lowest():
    rates = [Point("Jan", Decimal("0")), Point("Feb", Decimal("12.5")), Point("Mar", Decimal("27"))]
    below = [Point("Jan", Decimal("-4")), Point("Feb", Decimal("6"))]

    ticks = [
        t.text
        for t in _parse(trend_chart(rates, title="CFR", unit="%")).iter(f"{SVG}text")
        if t.get("class") == "chart__tick"
    ]
    assert ticks[0] == "0%"
    assert not any(tick.startswith("-") for tick in ticks)
    # A series that does go below zero keeps its room below the lowest value.
    ticks = [
        t.text
        for t in _parse(trend_chart(below, title="Change", unit="%")).iter(f"{SVG}text")
        if t.get("class") == "chart__tick"
    ]
    assert ticks[0].startswith("-4.8")
