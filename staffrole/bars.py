"""Template filters for bars drawn as SVG rectangles.

Bars used to be spans sized by style attributes, which the Content-Security-Policy refuses (style-src 'self',
no 'unsafe-inline': docs/adr/0023-content-security-policy.md). SVG geometry attributes are not styles, so a
bar is an <svg viewBox="0 0 100 10" preserveAspectRatio="none"> whose rectangles are placed in percent.
"""

from collections.abc import Iterable
from typing import Any

from django import template

register = template.Library()


def _value(item: Any, attribute: str) -> float:
    value = item.get(attribute) if isinstance(item, dict) else getattr(item, attribute, 0)
    return float(value or 0)


@register.filter
def bar_segments(items: Iterable[Any], attribute: str = "count") -> list[dict[str, Any]]:
    """The items whose `attribute` is positive, in order, each with `x` and `width` in percent of their sum."""
    counted = [(item, _value(item, attribute)) for item in items]
    counted = [(item, value) for item, value in counted if value > 0]
    total = sum(value for _item, value in counted)
    segments = []
    offset = 0.0
    for item, value in counted:
        width = value * 100 / total
        segments.append({"item": item, "x": f"{offset:.3f}", "width": f"{width:.3f}"})
        offset += width
    return segments


@register.filter
def bar_percent(value: Any) -> str:
    """A percentage for an SVG attribute: a plain decimal between 0 and 100, whatever the locale."""
    try:
        number = float(value or 0)
    except (TypeError, ValueError):
        number = 0.0
    return f"{min(max(number, 0.0), 100.0):.2f}"
