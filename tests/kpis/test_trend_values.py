"""Latest, previous, change, moving average, slope and baseline of series of 1, 2, 3 and many periods,
against the same figures worked out in Python from what was sent."""

import datetime as dt
import random
from decimal import Decimal
from typing import Any

import pytest

from kpis.measurements import measurements_ingest
from kpis.models import KPITrend
from kpis.trends import MOVING_AVERAGE_POINTS, TREND_POINTS, trends_recompute
from org.models import Team

pytestmark = pytest.mark.django_db

DEFECTS = "Defect escape rate"
CLOSE = Decimal("0.000001")  # the stored figures have six decimals

# Team slug -> month number (1 = January 2025) -> the values its sources sent for that month.
SERIES: dict[str, dict[int, list[Any]]] = {
    "one": {3: [7]},
    "two": {1: [4], 2: [10]},
    "two-from-zero": {1: [0], 2: [5]},
    "three-with-a-gap": {1: [10], 2: [8], 4: [2]},
    "from-a-negative": {1: [3], 2: [-4], 3: [6]},
    "five-two-sources": {1: [20, 22], 2: [10], 3: [14, 15], 4: [12], 5: [9, "8.5"]},
    "twelve": {month: [100 + (month * 37) % 23] for month in range(1, 13)},
    "thirteen": {month: [50 - (month * 11) % 17] for month in range(1, 14)},
    "fourteen-over-seventeen-months": {
        month: [Decimal(month * 7 % 19) + Decimal("0.25") * month, month % 5]
        for month in (1, 2, 3, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 17)
    },
}


def month_start(month: int) -> dt.date:
    return dt.date(2025 + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def expected(sent: dict[int, list[Any]]) -> dict[str, Any]:
    """The figures of a series from the values sent per month, the window being its last periods."""
    means = {month: sum((Decimal(str(v)) for v in values), Decimal(0)) / len(values) for month, values in sent.items()}
    months = sorted(means)[-TREND_POINTS:]
    ys = [means[month] for month in months]
    xs = [month - months[-1] for month in months]
    n = len(months)
    latest, previous = ys[-1], ys[-2] if n > 1 else None
    sx, sy, sxx = sum(xs), sum(ys, Decimal(0)), sum(x * x for x in xs)
    sxy = sum((x * y for x, y in zip(xs, ys, strict=True)), Decimal(0))
    denominator = n * sxx - sx * sx
    return {
        "points": n,
        "latest_period_start": month_start(months[-1]),
        "latest_value": latest,
        "previous_period_start": month_start(months[-2]) if n > 1 else None,
        "previous_value": previous,
        "change_pct": None if not previous else (latest - previous) * 100 / abs(previous),
        "moving_average": sum(ys[-MOVING_AVERAGE_POINTS:], Decimal(0)) / len(ys[-MOVING_AVERAGE_POINTS:]),
        "slope": None if n < 2 or denominator == 0 else (n * sxy - sx * sy) / denominator,
        "baseline_value": ys[0],
    }


def stored(row: KPITrend) -> dict[str, Any]:
    return {name: getattr(row, name) for name in expected({1: [1]})}


def same(actual: dict[str, Any], wanted: dict[str, Any]) -> bool:
    for name, value in wanted.items():
        got = actual[name]
        if isinstance(value, Decimal) and got is not None:
            if abs(got - value) > CLOSE:
                return False
        elif got != value:
            return False
    return True


@pytest.fixture
def sent(staff_blueprint: Any) -> dict[str, dict[int, list[Any]]]:
    items = []
    for slug, months in SERIES.items():
        Team.objects.create(slug=slug, name=slug.title())
        for month, values in months.items():
            for source, value in enumerate(values):
                items.append(
                    {
                        "role": "staff-software-engineer",
                        "kpi": DEFECTS,
                        "subject_type": "team",
                        "subject": slug,
                        "period": month_start(month).strftime("%Y-%m"),
                        "value": str(value),
                        "unit": "defects",
                        "source": f"source-{source}",
                    }
                )
    random.Random(7).shuffle(items)  # noqa: S311 - the order they arrive in must not matter
    measurements_ingest(actor=None, items=items)
    return SERIES


def test_every_figure_matches_the_one_worked_out_from_what_was_sent(sent: dict[str, dict[int, list[Any]]]) -> None:
    trends_recompute()
    assert KPITrend.objects.count() == len(sent)
    rows = {slug: stored(KPITrend.objects.get(series__team__slug=slug)) for slug in sent}
    for slug, months in sent.items():
        assert same(rows[slug], expected(months)), (slug, rows[slug], expected(months))


def test_a_recompute_of_some_series_gives_the_same_figures(sent: dict[str, dict[int, list[Any]]]) -> None:
    trends_recompute()
    everything = {row.series_id: stored(row) for row in KPITrend.objects.all()}
    some = sorted(everything)[::2]
    trends_recompute(some)
    assert {row.series_id: stored(row) for row in KPITrend.objects.filter(series_id__in=some)} == {
        series: everything[series] for series in some
    }


def test_the_cases_tell_previous_baseline_and_moving_average_apart() -> None:
    # The cases above would catch a swap: previous, baseline and moving average differ in them.
    five = expected(SERIES["five-two-sources"])
    assert (five["previous_value"], five["baseline_value"], five["moving_average"]) == (
        Decimal(12),
        Decimal(21),
        (Decimal("14.5") + 12 + Decimal("8.75")) / 3,
    )
    fourteen = expected(SERIES["fourteen-over-seventeen-months"])
    assert fourteen["points"] == TREND_POINTS
    assert fourteen["latest_period_start"] == dt.date(2026, 5, 1)
    assert fourteen["previous_period_start"] == dt.date(2026, 3, 1)
    assert fourteen["baseline_value"] == expected({3: SERIES["fourteen-over-seventeen-months"][3]})["latest_value"]
