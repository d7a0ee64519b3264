"""Read a machine-readable target from a KPI's free-text "Example target / benchmark".

`parse_target(text, name=...)` returns
``{"direction": "at_least" | "at_most" | "decrease" | "increase", "threshold": "99.9" | None,
"unit": "%", "relative": bool}`` or None when the text does not say which way the metric
should move. It never guesses: a reading is returned only where one of the rules below matches.

Rules, applied to each clause of the text (clauses are separated by ";"):

- A comparison with a number: "≥", ">=", ">", "at least", "no less than" give at_least;
  "≤", "<=", "<", "at most", "no more than", "under", "below", "within", "less than" give at_most.
  "100% of major changes ..." is at_least 100 %.
- "Reduce / decrease / cut / lower ... by N" is a decrease of N relative to the baseline;
  "increase / raise / grow ... by N" an increase. With "to" instead of "by" the number is an
  absolute bound (at_most for a reduction, at_least for an increase).
- "Improve by N": which way is better is not in the text, so it comes from the KPI name. Times,
  durations, latency, cost, toil and failure or error rates improve by going down; coverage,
  satisfaction, adoption, availability, frequency and the like by going up. A name that says
  neither, or both, gives None.
- "Downward trend" / "trend downward" is a decrease with no threshold, unless a later clause
  names one ("Downward trend; e.g., reduce Sev-1 by 30% YoY" is a decrease of 30 %).
  "Upward trend" is the same for an increase.
- "Maintain or increase" means not below today's level: at_least, no threshold, relative.
  "Maintain or reduce" is at_most the same way.
- "Deliver / complete ... N items" is at_least N of them.
- The first clause that has a reading wins: "Critical within 7 days; high within 30 days" is
  at_most 7 days (the first, most severe tier).

Ranges ("10 to 25%", written with an en dash) yield their lower number. For an upper bound such
as "< 10-15%" that is the stricter end: a value that meets it meets every reading of the
target, so a result flagged as met is never one the author meant to fail. For a floor or a
relative change ("at least 30-50% headroom", "reduce by 10-25%") the lower number is the least
the document itself still calls acceptable; the rest of the range is aspiration, and reporting
35 % headroom as a miss would contradict the document.
"""

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = ["parse_target"]

Reading = dict[str, Any]

# KPIDefinition.target_unit's length: a longer unit is not read.
UNIT_MAX_LENGTH = 40
_NUMBER = r"\d[\d,]*(?:\.\d+)?"
_RANGE = rf"(?P<low>{_NUMBER})(?:\s*(?:\u2013|\u2014|-|to)\s*(?P<high>{_NUMBER}))?"
_UNIT = r"(?P<unit>%|/\s*\d+(?:\.\d+)?|business\s+days?|[a-z]+)?"
_AT_LEAST_OPS = r"\u2265|>=|>|\bat least\b|\bno less than\b|\bminimum(?: of)?\b"
_AT_MOST_OPS = (
    r"\u2264|<=|<|\bat most\b|\bno more than\b|\bless than\b|\bunder\b|\bbelow\b|\bwithin\b|\bmaximum(?: of)?\b"
)

_COMPARISON = re.compile(
    rf"(?:(?P<least>{_AT_LEAST_OPS})|(?P<most>{_AT_MOST_OPS}))\s*{_RANGE}\s*{_UNIT}", re.IGNORECASE
)
_SHARE = re.compile(rf"(?<![\d.,]){_RANGE}\s*(?P<unit>%)\s+of\b", re.IGNORECASE)
_CHANGE = re.compile(
    rf"\b(?P<verb>reduce|decrease|cut|lower|shrink|increase|raise|grow|boost|improve)\b[^;]*?"
    rf"\b(?P<prep>by|to)\s+(?:(?P<least>{_AT_LEAST_OPS})|(?P<most>{_AT_MOST_OPS}))?\s*{_RANGE}\s*{_UNIT}",
    re.IGNORECASE,
)
_TREND = re.compile(
    r"\b(?:(?P<down>downward\s+trend|trend(?:ing)?\s+down(?:ward)?)|(?P<up>upward\s+trend|trend(?:ing)?\s+up(?:ward)?))\b",
    re.IGNORECASE,
)
_MAINTAIN = re.compile(
    r"\bmaintain\s+or\s+(?:(?P<up>increase|improve|grow|raise)|(?P<down>reduce|decrease|lower))\b", re.IGNORECASE
)
_DELIVER = re.compile(rf"\b(?:deliver|complete|close|ship|resolve)\b[^;]*?{_RANGE}\s*{_UNIT}", re.IGNORECASE)

_UNITS = {
    "%": "%",
    "ms": "ms",
    "s": "seconds",
    "sec": "seconds",
    "secs": "seconds",
    "second": "seconds",
    "seconds": "seconds",
    "min": "minutes",
    "mins": "minutes",
    "minute": "minutes",
    "minutes": "minutes",
    "h": "hours",
    "hr": "hours",
    "hrs": "hours",
    "hour": "hours",
    "hours": "hours",
    "day": "days",
    "days": "days",
    "business day": "business days",
    "business days": "business days",
    "week": "weeks",
    "weeks": "weeks",
    "month": "months",
    "months": "months",
    "quarter": "quarters",
    "quarters": "quarters",
    "year": "years",
    "years": "years",
    "team": "teams",
    "teams": "teams",
    "item": "items",
    "items": "items",
    "engineer": "engineers",
    "engineers": "engineers",
    "service": "services",
    "services": "services",
    "incident": "incidents",
    "incidents": "incidents",
    "point": "points",
    "points": "points",
    "x": "x",
}
_COUNT_UNITS = {"items", "teams", "engineers", "services", "incidents", "points"}

_DECREASE_WORDS = {
    "time",
    "duration",
    "latency",
    "cost",
    "costs",
    "toil",
    "mttr",
    "mttd",
    "spend",
    "turnaround",
    "lag",
    "backlog",
    "churn",
    "defect",
    "defects",
    "incident",
    "incidents",
    "error",
    "errors",
    "failure",
    "failures",
    "rework",
    "burn",
    "flaky",
}
_INCREASE_WORDS = {
    "coverage",
    "satisfaction",
    "adoption",
    "availability",
    "attainment",
    "frequency",
    "headroom",
    "uptime",
    "score",
    "nps",
    "retention",
    "velocity",
    "reuse",
    "success",
    "pass",
    "hit",
    "engagement",
}
# "rate" alone says little ("failure rate" falls, "adoption rate" rises): it only decides when
# nothing else in the name does.
_WEAK_DECREASE_WORDS = {"rate", "rates"}


def parse_target(text: str, *, name: str = "") -> Reading | None:
    """The target's direction, threshold and unit, or None where the text does not say."""
    readings = [_read_clause(clause, name) for clause in re.split(r";", " ".join(text.split()))]
    found = [reading for reading in readings if reading is not None]
    if not found:
        return None
    first = found[0]
    if first["threshold"] is None:
        for later in found[1:]:
            if later["direction"] == first["direction"] and later["threshold"] is not None:
                return later
    return first


def _read_clause(clause: str, name: str) -> Reading | None:
    readers: tuple[tuple[re.Pattern[str], Callable[[re.Match[str], str], Reading | None]], ...] = (
        (_COMPARISON, _from_comparison),
        (_SHARE, _from_share),
        (_CHANGE, _from_change),
        (_TREND, _from_trend),
        (_MAINTAIN, _from_maintain),
        (_DELIVER, _from_delivery),
    )
    candidates: list[tuple[int, Reading]] = []
    for pattern, reader in readers:
        for match in pattern.finditer(clause):
            reading = reader(match, name)
            if reading is not None:
                candidates.append((match.start(), reading))
                break
    if not candidates:
        return None
    return min(candidates, key=lambda candidate: candidate[0])[1]


def _from_comparison(match: re.Match[str], name: str) -> Reading | None:
    direction = "at_least" if match["least"] else "at_most"
    return _reading(direction, match, relative=False)


def _from_share(match: re.Match[str], name: str) -> Reading | None:
    return _reading("at_least", match, relative=False)


def _from_change(match: re.Match[str], name: str) -> Reading | None:
    verb = match["verb"].lower()
    if verb in {"reduce", "decrease", "cut", "lower", "shrink"}:
        falling: bool | None = True
    elif verb == "improve":
        falling = _falls_when_better(name)
    else:
        falling = False
    if falling is None:
        return None
    if match["prep"].lower() == "by":
        return _reading("decrease" if falling else "increase", match, relative=True)
    if match["least"]:
        return _reading("at_least", match, relative=False)
    if match["most"]:
        return _reading("at_most", match, relative=False)
    return _reading("at_most" if falling else "at_least", match, relative=False)


def _from_trend(match: re.Match[str], name: str) -> Reading | None:
    return _no_threshold("decrease" if match["down"] else "increase")


def _from_maintain(match: re.Match[str], name: str) -> Reading | None:
    return _no_threshold("at_least" if match["up"] else "at_most")


def _from_delivery(match: re.Match[str], name: str) -> Reading | None:
    reading = _reading("at_least", match, relative=False)
    if reading is None or reading["unit"] not in _COUNT_UNITS:
        return None
    return reading


def _reading(direction: str, match: re.Match[str], *, relative: bool) -> Reading | None:
    threshold = _number(match["low"])
    if threshold is None:
        return None
    return {"direction": direction, "threshold": threshold, "unit": _unit(match["unit"]), "relative": relative}


def _no_threshold(direction: str) -> Reading:
    return {"direction": direction, "threshold": None, "unit": "", "relative": True}


def _number(text: str) -> str | None:
    """The number as text, or None where it is not one, or one KPIDefinition.target_threshold cannot hold."""
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None
    if not threshold_fits(value):
        return None
    return format(value.normalize(), "f")


def threshold_fits(value: Decimal) -> bool:
    """Whether a threshold fits KPIDefinition.target_threshold: 8 digits before the point, 4 after."""
    if not value.is_finite():
        return False
    exponent = value.normalize().as_tuple().exponent
    return abs(value) < Decimal(10) ** 8 and isinstance(exponent, int) and exponent >= -4


def _unit(text: str | None) -> str:
    if not text:
        return ""
    if text.startswith("/"):
        unit = "/" + text[1:].strip()
        return unit if len(unit) <= UNIT_MAX_LENGTH else ""
    return _UNITS.get(" ".join(text.lower().split()), "")


def _falls_when_better(name: str) -> bool | None:
    """True when the named metric improves by going down, False when by going up, None if unknown."""
    words = set(re.findall(r"[a-z0-9]+", name.lower()))
    rises = bool(words & _INCREASE_WORDS)
    falls = bool(words & _DECREASE_WORDS)
    if rises and falls:
        return None
    if rises:
        return False
    if falls or words & _WEAK_DECREASE_WORDS:
        return True
    return None
