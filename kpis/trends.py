"""Trends of the KPI series, computed by the database and stored in KPITrend and KPITrendTier.

For each series, over its last TREND_POINTS measured periods (a period's value is the mean of what
its sources sent):

- latest and previous value, and the change between them in % of the previous one (none when the
  previous is 0);
- the moving average of the last three measured periods;
- the least-squares slope per period, with x the period's number, so a gap counts as time passed;
- the baseline: the oldest value of the window, which relative targets are measured against;
- target attainment, read from the newest published blueprint of the series' role:
  * "at least N" / "at most N" (e.g. "≥ 99.9%", "< 10-15%", "median < 1 business day"): the latest
    value against N, only when the series is in the target's unit;
  * "reduce / improve by N%" (decrease) and "increase by N%": the latest value against the
    baseline moved by N%; "downward trend" / "increase" without a figure: the slope's sign;
  * "maintain or increase" (at least, relative, no figure): the latest value against the baseline;
  * anything else, or a window of one period for a relative target: no judgement ("").
- the DORA tier of the latest value in every report year, for a series of one of the four DORA
  KPIs whose unit converts to the tier's (hours or days; deploy days per week; % or a fraction).

Everything is a handful of set-based statements (window functions and aggregates over all the
series at once), not a loop over rows; a recompute of some series deletes and re-inserts their rows
in one transaction, serialised with other recomputes by an advisory lock on PostgreSQL. The SQL is
built from table names and numbers of our own; every value goes in as a query parameter.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from kpis.models import DoraTier, KPISeries, KPITrend, KPITrendTier, Measurement
from scorecards.models import BlueprintVersion, KPIDefinition

TREND_POINTS = 12
MOVING_AVERAGE_POINTS = 3
CHUNK = 900  # series ids per statement, under SQLite's oldest limit on parameters
_LOCK_KEY = 7_310_542  # pg_advisory_xact_lock key of trend recomputes

# The DORA KPIs of a blueprint, found by name, and the units their values can be judged in:
# unit (lower case) -> factor to the tier table's unit.
_DORA = (
    (re.compile(r"lead time", re.I), DoraTier.Metric.LEAD_TIME, {"hours": 1, "h": 1, "days": 24}),
    (
        re.compile(r"deploy(ment)? frequency", re.I),
        DoraTier.Metric.DEPLOYMENT_FREQUENCY,
        {"deploy days/week": 1, "deploy days per week": 1, "days/week": 1},
    ),
    (re.compile(r"change failure rate", re.I), DoraTier.Metric.CHANGE_FAILURE_RATE, {"%": 0.01, "fraction": 1}),
    (
        re.compile(r"time to restore|mttr", re.I),
        DoraTier.Metric.TIME_TO_RESTORE,
        {"hours": 1, "h": 1, "days": 24, "minutes": 1 / 60},
    ),
)


@dataclass(frozen=True)
class RecomputeResult:
    series: int  # series with a trend after the recompute
    tiers: int


def dora_metric_of(kpi_name: str) -> str | None:
    for pattern, metric, _units in _DORA:
        if pattern.search(kpi_name):
            return metric.value
    return None


def trends_recompute(series_ids: Iterable[int] | None = None) -> RecomputeResult:
    """Recompute the trends of these series (all of them when None); one transaction."""
    ids = None if series_ids is None else sorted(set(series_ids))
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
        if ids is None:
            cursor.execute(f"DELETE FROM {KPITrendTier._meta.db_table}")  # noqa: S608
            cursor.execute(f"DELETE FROM {KPITrend._meta.db_table}")  # noqa: S608
            series = _insert_trends(cursor, None)
            tiers = _insert_tiers(cursor, None)
        else:
            series = tiers = 0
            for start in range(0, len(ids), CHUNK):
                chunk = ids[start : start + CHUNK]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    f"DELETE FROM {KPITrendTier._meta.db_table} WHERE trend_id IN ({marks})",  # noqa: S608
                    chunk,
                )
                cursor.execute(f"DELETE FROM {KPITrend._meta.db_table} WHERE series_id IN ({marks})", chunk)  # noqa: S608
                series += _insert_trends(cursor, chunk)
                tiers += _insert_tiers(cursor, chunk)
    return RecomputeResult(series=series, tiers=tiers)


def _where(column: str, chunk: Sequence[int] | None) -> tuple[str, list[int]]:
    if chunk is None:
        return "", []
    return f"WHERE {column} IN ({', '.join(['%s'] * len(chunk))})", list(chunk)


def _insert_trends(cursor: Any, chunk: Sequence[int] | None) -> int:
    measurement = Measurement._meta.db_table
    series = KPISeries._meta.db_table
    version = BlueprintVersion._meta.db_table
    kpi = KPIDefinition._meta.db_table
    trend = KPITrend._meta.db_table
    where, params = _where("m.series_id", chunk)
    latest, baseline, slope = "st.latest_value", "st.baseline_value", "st.slope"
    attainment = f"""
        CASE
          WHEN t.target_direction IS NULL OR t.target_direction = '' THEN ''
          WHEN t.target_direction IN ('at_least', 'at_most') AND t.target_threshold IS NOT NULL THEN
            CASE
              WHEN t.target_relative OR LOWER(t.target_unit) <> LOWER(st.unit) THEN ''
              WHEN t.target_direction = 'at_least' AND {latest} >= t.target_threshold THEN 'met'
              WHEN t.target_direction = 'at_most' AND {latest} <= t.target_threshold THEN 'met'
              ELSE 'missed'
            END
          WHEN st.n < 2 THEN ''
          WHEN t.target_direction = 'at_least' AND t.target_relative THEN
            CASE WHEN {latest} >= {baseline} THEN 'met' ELSE 'missed' END
          WHEN t.target_direction = 'at_most' AND t.target_relative THEN
            CASE WHEN {latest} <= {baseline} THEN 'met' ELSE 'missed' END
          WHEN t.target_direction = 'decrease' AND t.target_threshold IS NOT NULL THEN
            CASE
              WHEN {baseline} <= 0 THEN ''
              WHEN {latest} <= {baseline} * (100 - t.target_threshold) / 100 THEN 'met'
              ELSE 'missed'
            END
          WHEN t.target_direction = 'increase' AND t.target_threshold IS NOT NULL THEN
            CASE
              WHEN {baseline} <= 0 THEN ''
              WHEN {latest} >= {baseline} * (100 + t.target_threshold) / 100 THEN 'met'
              ELSE 'missed'
            END
          WHEN t.target_direction = 'decrease' THEN CASE WHEN {slope} < 0 THEN 'met' ELSE 'missed' END
          WHEN t.target_direction = 'increase' THEN CASE WHEN {slope} > 0 THEN 'met' ELSE 'missed' END
          ELSE ''
        END"""
    # One pass per series: the latest, previous and oldest period of the window are picked out by
    # conditional aggregates, not by joining the window to itself. The series row is joined before
    # that aggregate and grouped by its key, so the planner expects one row per series (not the 200
    # it guesses for a group over a window) and hashes the targets instead of looping over them.
    sql = f"""
        INSERT INTO {trend} (
            series_id, points, latest_period_start, latest_value, previous_period_start, previous_value,
            change_pct, moving_average, slope, baseline_value, attainment, computed_at
        )
        WITH per_period AS (
            SELECT m.series_id, m.period_start, m.period_index, AVG(m.value) AS value
            FROM {measurement} m
            {where}
            GROUP BY m.series_id, m.period_start, m.period_index
        ),
        numbered AS (
            SELECT series_id, period_start, period_index, value,
                ROW_NUMBER() OVER (PARTITION BY series_id ORDER BY period_index DESC) AS back,
                COUNT(*) OVER (PARTITION BY series_id) AS periods,
                MAX(period_index) OVER (PARTITION BY series_id) AS last_index
            FROM per_period
        ),
        recent AS (
            SELECT series_id, period_start, value, back, period_index - last_index AS x,
                CASE WHEN periods < {TREND_POINTS} THEN periods ELSE {TREND_POINTS} END AS oldest
            FROM numbered
            WHERE back <= {TREND_POINTS}
        ),
        sums AS (
            SELECT ks.id AS series_id, ks.role_id, ks.kpi, ks.unit, COUNT(*) AS n,
                SUM(x) AS sx, SUM(value) AS sy, SUM(x * value) AS sxy, SUM(x * x) AS sxx,
                MAX(CASE WHEN back = 1 THEN period_start END) AS latest_period_start,
                MAX(CASE WHEN back = 1 THEN value END) AS latest_value,
                MAX(CASE WHEN back = 2 THEN period_start END) AS previous_period_start,
                MAX(CASE WHEN back = 2 THEN value END) AS previous_value,
                AVG(CASE WHEN back <= {MOVING_AVERAGE_POINTS} THEN value END) AS moving_average,
                MAX(CASE WHEN back = oldest THEN value END) AS baseline_value
            FROM recent
            JOIN {series} ks ON ks.id = recent.series_id
            GROUP BY ks.id, ks.role_id, ks.kpi, ks.unit
        ),
        st AS (
            SELECT series_id, role_id, kpi, unit, n, latest_period_start, latest_value, previous_period_start,
                previous_value, moving_average, baseline_value,
                CASE WHEN n < 2 OR n * sxx - sx * sx = 0 THEN NULL
                     ELSE (n * sxy - sx * sy) * 1.0 / (n * sxx - sx * sx) END AS slope
            FROM sums
        ),
        current_version AS (
            SELECT role_id, MAX(number) AS number
            FROM {version}
            WHERE status = 'published'
            GROUP BY role_id
        ),
        targets AS (
            SELECT v.role_id, k.name, k.target_direction, k.target_threshold, k.target_unit, k.target_relative
            FROM {kpi} k
            JOIN {version} v ON v.id = k.version_id
            JOIN current_version cv ON cv.role_id = v.role_id AND cv.number = v.number
        )
        SELECT st.series_id, st.n, st.latest_period_start, st.latest_value, st.previous_period_start, st.previous_value,
            CASE
              WHEN st.previous_value IS NULL OR st.previous_value = 0 THEN NULL
              WHEN ABS(st.latest_value - st.previous_value) >= ABS(st.previous_value) * 1e20 THEN NULL
              ELSE (st.latest_value - st.previous_value) * 100.0 / ABS(st.previous_value)
            END,
            st.moving_average, st.slope, st.baseline_value,
            {attainment},
            %s
        FROM st
        LEFT JOIN targets t ON t.role_id = st.role_id AND t.name = st.kpi
    """  # noqa: S608
    cursor.execute(sql, [*params, timezone.now()])
    return cursor.rowcount


def _dora_units() -> list[tuple[str, str, str, float, bool]]:
    """(KPI name, unit, DORA metric, factor, more is better) for each series kind a tier applies to."""
    rows = []
    pairs = KPISeries.objects.order_by().values_list("kpi", "unit").distinct()
    for name, unit in pairs:
        for pattern, metric, units in _DORA:
            if pattern.search(name):
                factor = units.get(unit.strip().lower())
                if factor is not None:
                    more = metric == DoraTier.Metric.DEPLOYMENT_FREQUENCY
                    rows.append((name, unit, metric.value, factor, more))
                break
    return rows


def _insert_tiers(cursor: Any, chunk: Sequence[int] | None) -> int:
    units = _dora_units()
    if not units:
        return 0
    tier, trend, series = DoraTier._meta.db_table, KPITrend._meta.db_table, KPISeries._meta.db_table
    rows = " UNION ALL ".join(
        ["SELECT %s AS kpi, %s AS unit, %s AS metric, CAST(%s AS NUMERIC) AS factor, %s AS more"] * len(units)
    )
    params: list[object] = [value for row in units for value in row]
    where, ids = _where("tr.series_id", chunk)
    sql = f"""
        INSERT INTO {KPITrendTier._meta.db_table} (trend_id, report_year, tier)
        WITH dora AS ({rows}),
        years AS (SELECT DISTINCT report_year FROM {tier}),
        judged AS (
            SELECT tr.series_id, y.report_year, (
                SELECT d.tier FROM {tier} d
                WHERE d.report_year = y.report_year AND d.metric = dora.metric AND (
                    d.bound IS NULL
                    OR (dora.more AND tr.latest_value * dora.factor >= d.bound)
                    OR (NOT dora.more AND tr.latest_value * dora.factor <= d.bound)
                )
                ORDER BY d.rank
                LIMIT 1
            ) AS tier
            FROM {trend} tr
            JOIN {series} ks ON ks.id = tr.series_id
            JOIN dora ON dora.kpi = ks.kpi AND dora.unit = ks.unit
            CROSS JOIN years y
            {where}
        )
        SELECT series_id, report_year, tier FROM judged WHERE tier IS NOT NULL
    """  # noqa: S608
    cursor.execute(sql, [*params, *ids])
    return cursor.rowcount
