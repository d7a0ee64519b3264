"""KPI pages: the teams whose figures the caller may see, and a team's DORA dashboard.

The dashboard reads its choices from a GET form (period, service, report year) so it works without
JavaScript; a choice it cannot honour falls back to the default with a message, never an error page.
A team the caller may not see answers 404, exactly like one that does not exist."""

import datetime as dt
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from kpis import selectors
from kpis.charts import sparkline, trend_chart
from kpis.dora import DEFAULT_REPORT_YEAR, PERIODS, Period
from kpis.kpi_table import team_kpi_table
from staffrole import access

DEFAULT_PERIOD: Period = "month"
PERIOD_CHOICES = [("week", "Week"), ("month", "Month"), ("quarter", "Quarter")]


def utc_today() -> dt.date:
    return timezone.now().astimezone(dt.UTC).date()


@login_required
@require_GET
def team_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "kpis/team_list.html",
        {"teams": selectors.teams_for_user(request.user), "can_ingest": access.can_ingest_kpis(request.user)},
    )


def _period(request: HttpRequest) -> Period:
    raw = request.GET.get("period", "").strip()
    if not raw:
        return DEFAULT_PERIOD
    if raw not in PERIODS:
        messages.warning(request, f"There is no period {raw[:40]!r}; showing months.")
        return DEFAULT_PERIOD
    return cast(Period, raw)


def _report_year(request: HttpRequest, known: list[int]) -> int:
    raw = request.GET.get("report_year", "").strip()
    if not raw:
        return DEFAULT_REPORT_YEAR
    if raw.isascii() and raw.isdigit() and len(raw) <= 4 and int(raw) in known:
        return int(raw)
    messages.warning(
        request, f"There are no DORA tiers for {raw[:40]!r}; showing the {DEFAULT_REPORT_YEAR} report's tiers."
    )
    return DEFAULT_REPORT_YEAR


def _service(request: HttpRequest, services: list[str]) -> str | None:
    raw = request.GET.get("service", "").strip()
    if not raw:
        return None
    if raw not in services:
        messages.warning(request, f"This team has not deployed a service named {raw[:60]!r}; showing all services.")
        return None
    return raw


def _charts(dashboard: selectors.TeamDashboard) -> list[dict[str, Any]]:
    scope = dashboard.team.name + (f" · {dashboard.service}" if dashboard.service else "")
    tiles = []
    for series, change in dashboard.tiles:
        figure = series.figure
        tiles.append(
            {
                "series": series,
                "change": change,
                "sparkline": sparkline(
                    series.points, title=f"{figure.title}, last {len(series.points)} periods", unit=figure.unit
                ),
                "trend": trend_chart(
                    series.points,
                    title=f"{figure.title} of {scope}",
                    # Ticks carry short units; deploy days per week is named on the axis instead.
                    unit="" if figure.unit == "days/week" else figure.unit,
                    y_label=figure.axis,
                    width=420,
                    height=200,
                    bands=series.bands,
                ),
            }
        )
    return tiles


@login_required
@require_GET
def team_dashboard(request: HttpRequest, team: str) -> HttpResponse:
    the_team = selectors.team_for_user(request.user, team)
    if the_team is None:
        raise Http404("No such team.")
    period = _period(request)
    known_years = selectors.report_years()
    report_year = _report_year(request, known_years)
    services = selectors.team_services(the_team)
    service = _service(request, services)
    today = utc_today()
    dashboard = selectors.team_dashboard(
        team=the_team,
        period=period,
        today=today,
        report_year=report_year,
        service=service,
        services=services,
        known_years=known_years,
    )
    return render(
        request,
        "kpis/team_dashboard.html",
        {
            "dashboard": dashboard,
            "tiles": _charts(dashboard),
            "kpi_table": team_kpi_table(team=the_team, period=period, today=today, report_year=report_year),
            "period_choices": PERIOD_CHOICES,
            "today": today,
        },
    )
