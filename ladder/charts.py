"""Where one stands, drawn server-side as SVG (the same drawing on the page and in the PDF).

Like kpis/charts.py: an accessible image (`role="img"`, a <title> and a <desc> that says every bar in
words), the bar at 3 drawn as a dashed line labelled "bar", nothing told by colour alone (a bar below
the bar is hatched and its gap is written beside it), and all text escaped.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from kpis.charts import _fmt


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | None  # None: not rated
    note: str = ""  # said after the value, e.g. "weighted gap 6"


def _describe(bars: Sequence[Bar], expected: int) -> str:
    words = []
    for bar in bars:
        value = "not rated" if bar.value is None else f"{bar.value}"
        words.append(f"{bar.label}: {value}{f' ({bar.note})' if bar.note else ''}")
    return f"The bar is {expected}. " + "; ".join(words) + "."


def standing_bars(
    bars: Sequence[Bar], *, title: str, expected: int = 3, top: int = 5, width: int = 640, label_width: int = 230
) -> SafeString:
    """Horizontal bars from 0 to `top`, one per row, with the expected level as a dashed line."""
    row_h, pad_top, pad_bottom = 26, 8, 30
    height = pad_top + row_h * max(len(bars), 1) + pad_bottom
    plot_left, plot_right = label_width + 8, width - 70
    plot_w = plot_right - plot_left
    seed = "|".join([title, *(f"{b.label}={b.value}" for b in bars)])
    chart_id = f"bars-{hashlib.sha1(seed.encode(), usedforsecurity=False).hexdigest()[:10]}"

    def x_of(value: float) -> float:
        return plot_left + max(0.0, min(value, top)) / top * plot_w

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart--bars" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'font-family="sans-serif" font-size="12">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(_describe(bars, expected))}</desc>',
        f'<defs><pattern id="{chart_id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="currentColor" '
        f'stroke-width="2" stroke-opacity="0.55"/></pattern></defs>',
    ]
    axis_y = pad_top + row_h * max(len(bars), 1)
    for tick in range(top + 1):
        x = _fmt(x_of(tick))
        parts.append(
            f'<line class="chart__grid" x1="{x}" x2="{x}" y1="{pad_top}" y2="{axis_y}" stroke="currentColor" '
            f'stroke-opacity="0.12"/>'
            f'<text class="chart__tick" x="{x}" y="{axis_y + 14}" text-anchor="middle" '
            f'fill="currentColor">{tick}</text>'
        )
    for index, bar in enumerate(bars):
        y = pad_top + index * row_h
        label = bar.label if len(bar.label) <= 34 else bar.label[:33] + "\u2026"
        parts.append(
            f'<text class="chart__label" x="{label_width}" y="{_fmt(y + row_h / 2 + 4)}" text-anchor="end" '
            f'fill="currentColor">{escape(label)}<title>{escape(bar.label)}</title></text>'
        )
        if bar.value is None:
            parts.append(
                f'<text class="chart__value" x="{plot_left + 4}" y="{_fmt(y + row_h / 2 + 4)}" fill="currentColor" '
                f'fill-opacity="0.7">not rated</text>'
            )
            continue
        value = float(bar.value)
        below = value < expected
        fill = f"url(#{chart_id}-hatch)" if below else "currentColor"
        css = "chart__bar chart__bar--below" if below else "chart__bar"
        parts.append(
            f'<rect class="{css}" x="{plot_left}" y="{_fmt(y + 5)}" width="{_fmt(x_of(value) - plot_left)}" '
            f'height="{row_h - 10}" fill="{fill}" fill-opacity="{0.9 if below else 0.55}" stroke="currentColor" '
            f'stroke-width="1"><title>{escape(bar.label)}: {escape(str(bar.value))}</title></rect>'
        )
        text = f"{bar.value}" + (f" \u00b7 {bar.note}" if bar.note else "")
        parts.append(
            f'<text class="chart__value" x="{_fmt(max(x_of(value), x_of(expected) + 2) + 5)}" '
            f'y="{_fmt(y + row_h / 2 + 4)}" '
            f'fill="currentColor">{escape(text)}</text>'
        )
    bar_x = _fmt(x_of(expected))
    parts.append(
        f'<g class="chart__target"><line x1="{bar_x}" x2="{bar_x}" y1="{pad_top - 4}" y2="{axis_y}" '
        f'stroke="currentColor" stroke-width="2" stroke-dasharray="5 3"/>'
        f'<text x="{bar_x}" y="{height - 2}" text-anchor="middle" fill="currentColor">bar ({expected})</text></g>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped
