"""SLO windows in: counts of good and valid events for a service (or a team) in a period, with the
objective, turned into values of the blueprint's "SLO attainment" (in %) and "Error budget burn"
(a burn rate: 1 spends the budget exactly over the window) by kpis.slo, and written through the
measurement ingest, so the same upsert, audit and trend rules apply.

An item: `role`, `subject_type`, `subject`, `team` (for a service), `period`, `source`, `objective`
(a fraction such as 0.999, or a percentage such as 99.9), `good` and `valid` (whole numbers). A
window with no valid events measures nothing ("not collected") and writes nothing; the batch is
otherwise all or nothing, every problem named by the index of the item that caused it.
"""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied

from kpis.measurements import _checked, measurements_ingest
from kpis.services import MAX_ITEMS, IngestError, IngestResult, Problems, _json_kind, _shown
from kpis.slo import slo_figures
from staffrole import access

ATTAINMENT_KPI = "SLO attainment"
BURN_KPI = "Error budget burn"
BURN_UNIT = "burn rate"
PASSED_ON = ("role", "subject_type", "subject", "team", "period", "source")


def _objective(raw: Any) -> tuple[str, Decimal | None]:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str) or raw == "":
        return f"Expected a number such as 0.999 or 99.9, got {_shown(raw)}.", None
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        return f"Not a number: {_shown(raw)}.", None
    if not value.is_finite():
        return f"Not a finite number: {_shown(raw)}.", None
    if Decimal(1) <= value < Decimal(100):
        value /= 100  # given in %
    if not Decimal(0) < value < Decimal(1):
        return f"An objective is between 0 and 1 (0.999) or between 1 and 100 in % (99.9), not {_shown(raw)}.", None
    return "", value


def _count(raw: Any, name: str) -> tuple[str, int | None]:
    if isinstance(raw, bool) or not isinstance(raw, int):
        return f"Expected a whole number of events, got {_shown(raw)}.", None
    if raw < 0:
        return f"A count of {name} events cannot be negative.", None
    return "", raw


def slo_windows_ingest(*, actor: Any, items: Any, source: str = "API") -> IngestResult:
    if actor is not None and not access.can_ingest_kpis(actor):
        raise PermissionDenied("Only HR and KPI ingest accounts can send SLO windows.")
    if not isinstance(items, list):
        raise IngestError({}, f"Expected a JSON list of SLO windows, one object per window; got {_json_kind(items)}.")
    if len(items) > MAX_ITEMS // 2:
        raise IngestError(
            {}, f"A batch holds at most {MAX_ITEMS // 2:,} SLO windows; this one has {len(items):,}. Send it in parts."
        )
    errors: dict[int, Problems] = {}
    expanded: list[dict[str, Any]] = []
    origin: list[int] = []  # the window each expanded measurement comes from
    for index, raw in enumerate(items):
        if not isinstance(raw, dict):
            errors[index] = {"non_field_errors": [f"Expected an object (an SLO window), got {_shown(raw)}."]}
            continue
        problems: Problems = {}
        checked = {
            "objective": _objective(raw["objective"]) if raw.get("objective") is not None else None,
            "good": _count(raw["good"], "good") if raw.get("good") is not None else None,
            "valid": _count(raw["valid"], "valid") if raw.get("valid") is not None else None,
        }
        for name, outcome in checked.items():
            if outcome is None:
                problems[name] = ["This field is required."]
            elif outcome[0]:
                problems[name] = [outcome[0]]
        figures = None
        if not problems:
            try:
                figures = slo_figures(
                    good=checked["good"][1],  # type: ignore[index, arg-type]
                    valid=checked["valid"][1],  # type: ignore[index, arg-type]
                    objective=checked["objective"][1],  # type: ignore[index, arg-type]
                )
            except ValueError as exc:
                problems["good"] = [str(exc)]
        if problems:
            errors[index] = problems
            continue
        if figures is None or figures.attainment is None or figures.burn_rate is None:
            continue  # no valid events: nothing to measure in this window
        common = {name: raw[name] for name in PASSED_ON if name in raw}
        for kpi, value, unit in (
            (ATTAINMENT_KPI, figures.attainment * 100, "%"),
            (BURN_KPI, figures.burn_rate, BURN_UNIT),
        ):
            expanded.append({**common, "kpi": kpi, "value": str(value.quantize(Decimal("0.000001"))), "unit": unit})
            origin.append(index)
    if errors:
        # Report the measurement-level problems (names, periods) of the other windows too.
        try:
            _checked(expanded)
        except IngestError as exc:
            _merge(errors, exc, origin)
        raise IngestError(errors)
    try:
        return measurements_ingest(actor=actor, items=expanded, source=source)
    except IngestError as exc:
        if not exc.errors:
            raise
        _merge(errors, exc, origin)
        raise IngestError(errors) from None


def _merge(errors: dict[int, Problems], exc: IngestError, origin: list[int]) -> None:
    """The problems of expanded measurements, under the index of the window they came from."""
    for position, problems in exc.errors.items():
        merged = errors.setdefault(origin[position], {})
        for name, messages in problems.items():
            for message in messages:
                if message not in merged.setdefault(name, []):
                    merged[name].append(message)
