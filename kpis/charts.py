"""Server-side SVG charts: one code path for pages and PDFs (WeasyPrint draws SVG and runs no script).

Every chart is an accessible image: `role="img"`, a <title> and a <desc> that says in words what
the chart shows (latest value, range, target), labelled axes, and nothing told by colour alone: the
target is a dashed line with a "target" label, tier bands carry their names, and a missing period
("not collected") is a gap in the line with a hollow marker on the axis, never a drop to 0.
All text is escaped; nothing of the data is ever written as markup.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

Number = Decimal | float | int


@dataclass(frozen=True)
class Point:
    label: str  # the period, as shown on the axis ("Jan", "W12", "2026 Q1")
    value: Number | None  # None: not collected


@dataclass(frozen=True)
class Band:
    """A horizontal band, e.g. a DORA tier: values from `low` to `high` (None: unbounded)."""

    label: str
    low: Number | None
    high: Number | None
    css_class: str = ""


def _fmt(value: float) -> str:
    """A coordinate: short, and the same on every platform."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _label(value: Number | None, unit: str = "") -> str:
    if value is None:
        return "not collected"
    number = float(value)
    text = f"{number:,.0f}" if abs(number) >= 100 or number == int(number) else f"{number:,.2f}".rstrip("0").rstrip(".")
    return f"{text} {unit}".strip() if unit and unit != "%" else f"{text}{unit}"


def _chart_id(kind: str, title: str, points: Sequence[Point]) -> str:
    """Ids unique per chart content, stable between renders (tests and PDFs stay byte-identical)."""
    seed = "|".join([kind, title, *(f"{p.label}={p.value}" for p in points)])
    return f"{kind}-{hashlib.sha1(seed.encode(), usedforsecurity=False).hexdigest()[:10]}"


def _scale(values: Sequence[float], extra: Sequence[float]) -> tuple[float, float]:
    """The value axis: the data with a little room above and below, never below 0 when nothing is
    negative (a rate or a duration axis reading "-2" would suggest values that cannot exist)."""
    lows = [*values, *extra]
    low, high = min(lows), max(lows)
    pad = (abs(low) * 0.1 or 1.0) if low == high else (high - low) * 0.08
    bottom = low - pad
    if low >= 0 > bottom:
        bottom = 0.0
    return bottom, high + pad


def _segments(xs: Sequence[float], ys: Sequence[float | None]) -> list[list[tuple[float, float]]]:
    """Runs of collected values: a missing period breaks the line."""
    runs: list[list[tuple[float, float]]] = [[]]
    for x, y in zip(xs, ys, strict=True):
        if y is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append((x, y))
    return [run for run in runs if run]


def describe(points: Sequence[Point], *, unit: str = "", target: Number | None = None) -> str:
    """The chart in words, for screen readers and for the <desc>."""
    collected = [p for p in points if p.value is not None]
    if not collected:
        return f"No data collected for {len(points)} period{'s' if len(points) != 1 else ''}."
    latest = collected[-1]
    low = min(collected, key=lambda p: float(p.value or 0))
    high = max(collected, key=lambda p: float(p.value or 0))
    parts = [
        f"Latest {_label(latest.value, unit)} ({latest.label}).",
        f"Lowest {_label(low.value, unit)} ({low.label}), highest {_label(high.value, unit)} ({high.label}).",
    ]
    missing = len(points) - len(collected)
    if missing:
        parts.append(f"{missing} period{'s' if missing != 1 else ''} not collected.")
    if target is not None:
        parts.append(f"Target {_label(target, unit)}.")
    return " ".join(parts)


def sparkline(
    points: Sequence[Point],
    *,
    title: str,
    unit: str = "",
    target: Number | None = None,
    width: int = 120,
    height: int = 28,
) -> SafeString:
    """A small line for tables: the series, its latest point marked, the target dashed."""
    chart_id = _chart_id("spark", title, points)
    values = [None if p.value is None else float(p.value) for p in points]
    collected = [v for v in values if v is not None]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart--spark" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="{chart_id}-t {chart_id}-d">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(describe(points, unit=unit, target=target))}</desc>',
    ]
    if collected:
        low, high = _scale(collected, [float(target)] if target is not None else [])
        step = (width - 6) / max(len(points) - 1, 1)
        xs = [3 + i * step for i in range(len(points))]

        def y_of(value: float) -> float:
            return height - 3 - (value - low) / (high - low) * (height - 6)

        if target is not None:
            ty = _fmt(y_of(float(target)))
            parts.append(
                f'<line class="chart__target" x1="0" x2="{width}" y1="{ty}" y2="{ty}" '
                f'stroke="currentColor" stroke-opacity="0.5" stroke-dasharray="3 2" stroke-width="1"/>'
            )
        for run in _segments(xs, [None if v is None else y_of(v) for v in values]):
            if len(run) == 1:
                continue
            coords = " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in run)
            parts.append(
                f'<polyline class="chart__line" points="{coords}" fill="none" stroke="currentColor" '
                f'stroke-width="1.5"/>'
            )
        last = max(i for i, v in enumerate(values) if v is not None)
        parts.append(
            f'<circle class="chart__latest" cx="{_fmt(xs[last])}" cy="{_fmt(y_of(values[last] or 0))}" r="2.5" '
            f'fill="currentColor"/>'
        )
    else:
        parts.append(
            f'<text x="{width // 2}" y="{height // 2 + 4}" text-anchor="middle" font-size="10" '
            f'fill="currentColor">not collected</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped


def trend_chart(
    points: Sequence[Point],
    *,
    title: str,
    unit: str = "",
    y_label: str = "",
    target: Number | None = None,
    bands: Sequence[Band] = (),
    width: int = 560,
    height: int = 220,
) -> SafeString:
    """A trend over periods with labelled axes, the target line and named bands (e.g. DORA tiers)."""
    chart_id = _chart_id("trend", title, points)
    left, right, top, bottom = 56, 12, 12, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [None if p.value is None else float(p.value) for p in points]
    collected = [v for v in values if v is not None]
    # The scale follows the data and the target; bands are clipped to it (a tier reaching 6 months
    # must not flatten a series of hours). Without data, the bands give the scale.
    target_edge = [float(target)] if target is not None else []
    band_edges = [float(edge) for band in bands for edge in (band.low, band.high) if edge is not None]
    low, high = _scale(collected or target_edge + band_edges or [0.0], target_edge if collected else [])
    step = plot_w / max(len(points) - 1, 1)
    xs = [left + i * step for i in range(len(points))]

    def y_of(value: float) -> float:
        clamped = min(max(value, low), high)
        return top + plot_h - (clamped - low) / (high - low) * plot_h

    axis_name = y_label or unit
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart--trend" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'font-family="sans-serif" font-size="11">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(describe(points, unit=unit, target=target))}</desc>',
    ]
    for band in bands:
        band_top = y_of(float(band.high) if band.high is not None else high)
        band_bottom = y_of(float(band.low) if band.low is not None else low)
        if band_bottom - band_top < 1:
            continue
        css = f"chart__band {escape(band.css_class)}".strip()
        parts.append(
            f'<g class="{css}"><rect x="{left}" y="{_fmt(band_top)}" width="{plot_w}" '
            f'height="{_fmt(band_bottom - band_top)}" fill="currentColor" fill-opacity="0.06" '
            f'stroke="currentColor" stroke-opacity="0.15"/>'
            f'<text x="{width - right - 4}" y="{_fmt(band_top + min(12, (band_bottom - band_top) / 2 + 4))}" '
            f'text-anchor="end" fill-opacity="0.7" fill="currentColor">{escape(band.label)}</text></g>'
        )
    # Axes: the value axis with its low and high ticks and its name; the period axis with every label.
    parts.append(
        f'<g class="chart__axes" stroke="currentColor" stroke-opacity="0.6">'
        f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}"/>'
        f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}"/></g>'
    )
    for tick in (low, (low + high) / 2, high):
        parts.append(
            f'<text class="chart__tick" x="{left - 6}" y="{_fmt(y_of(tick) + 4)}" text-anchor="end" '
            f'fill="currentColor">{escape(_label(round(tick, 2), unit))}</text>'
        )
    if axis_name:
        parts.append(
            f'<text class="chart__axis-name" transform="translate(12 {_fmt(top + plot_h / 2)}) rotate(-90)" '
            f'text-anchor="middle" fill="currentColor">{escape(axis_name)}</text>'
        )
    every = max(1, len(points) // 8)
    for i, point in enumerate(points):
        if i % every == 0 or i == len(points) - 1:
            parts.append(
                f'<text class="chart__period" x="{_fmt(xs[i])}" y="{height - 12}" text-anchor="middle" '
                f'fill="currentColor">{escape(point.label)}</text>'
            )
    if target is not None:
        ty = _fmt(y_of(float(target)))
        parts.append(
            f'<g class="chart__target"><line x1="{left}" x2="{width - right}" y1="{ty}" y2="{ty}" '
            f'stroke="currentColor" stroke-dasharray="6 4" stroke-width="1.5"/>'
            f'<text x="{left + 4}" y="{_fmt(float(ty) - 4)}" fill="currentColor">'
            f"target {escape(_label(target, unit))}</text></g>"
        )
    for run in _segments(xs, [None if v is None else y_of(v) for v in values]):
        if len(run) > 1:
            coords = " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in run)
            parts.append(
                f'<polyline class="chart__line" points="{coords}" fill="none" stroke="currentColor" stroke-width="2"/>'
            )
    for i, (point, value) in enumerate(zip(points, values, strict=True)):
        if value is None:
            parts.append(
                f'<circle class="chart__missing" cx="{_fmt(xs[i])}" cy="{top + plot_h}" r="3.5" fill="none" '
                f'stroke="currentColor"><title>{escape(point.label)}: not collected</title></circle>'
            )
        else:
            parts.append(
                f'<circle class="chart__point" cx="{_fmt(xs[i])}" cy="{_fmt(y_of(value))}" r="3" fill="currentColor">'
                f"<title>{escape(point.label)}: {escape(_label(point.value, unit))}</title></circle>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped
