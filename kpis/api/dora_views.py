"""`GET /api/v1/kpis/dora/`: a team's (or a service's) DORA figures per UTC calendar period, with tiers.

Parse and check the query (400 with field errors), find the team through the access policy (a team
the caller may not see answers exactly like one that does not exist: 404), then one call to
kpis.dora.dora_figures. Numbers are rounded here, once: hours to 2 places, rates to 4, deploy days per
week to 2. See docs/adr/0013-dora-figures-and-tiers.md.
"""

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, cast

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from kpis.dora import DEFAULT_REPORT_YEAR, PERIODS, DoraRow, Period, dora_figures
from kpis.models import Deployment, DoraTier
from org.models import Team
from reviews.api.serializers import ErrorSerializer
from reviews.models import Cycle
from staffrole import access

DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Years outside these cannot hold an engineering event, and whole periods around them must stay representable.
EARLIEST, LATEST = dt.date(1970, 1, 1), dt.date(9998, 12, 31)
# Enough for trends, and at most 262 weekly rows.
MAX_RANGE_YEARS = 5
MAX_ID_DIGITS = 18
SERVICE_MAX_LENGTH = Deployment._meta.get_field("service").max_length or 200

HOURS, RATE, FREQUENCY = Decimal("0.01"), Decimal("0.0001"), Decimal("0.01")

TIER = serializers.CharField(allow_null=True, help_text="elite, high, medium or low; null without a figure")


class DoraRowSerializer(serializers.Serializer):
    """For the schema: the rows are built by `dora_row_data`."""

    period_start = serializers.DateField(help_text="First day of the UTC calendar period (weeks start on Monday).")
    deployment_count = serializers.IntegerField(allow_null=True, help_text="Production deployments that succeeded.")
    deploy_days_per_week = serializers.FloatField(
        allow_null=True, help_text="Distinct UTC days with a deployment ÷ the period's length in weeks (2 places)."
    )
    lead_time_hours_median = serializers.FloatField(
        allow_null=True, help_text="Median over (deployment, commit) pairs of deploy time - commit time > 0, hours."
    )
    change_failure_rate = serializers.FloatField(
        allow_null=True, help_text="Deployments named by an incident ÷ deployment_count, 0..1 (4 places)."
    )
    time_to_restore_hours_median = serializers.FloatField(
        allow_null=True, help_text="Median resolved - started, hours, of resolved incidents started in the period."
    )
    open_incidents = serializers.IntegerField(allow_null=True, help_text="Unresolved incidents started in the period.")
    tiers = inline_serializer(
        "DoraTiers",
        {
            "deployment_frequency": TIER,
            "lead_time": TIER,
            "change_failure_rate": TIER,
            "time_to_restore": TIER,
        },
    )


def _rounded(value: Decimal | None, places: Decimal) -> float | None:
    return None if value is None else float(value.quantize(places, rounding=ROUND_HALF_UP))


def dora_row_data(row: DoraRow) -> dict[str, Any]:
    return {
        "period_start": row.period_start.isoformat(),
        "deployment_count": row.deployment_count,
        "deploy_days_per_week": _rounded(row.deploy_days_per_week, FREQUENCY),
        "lead_time_hours_median": _rounded(row.lead_time_hours_median, HOURS),
        "change_failure_rate": _rounded(row.change_failure_rate, RATE),
        "time_to_restore_hours_median": _rounded(row.time_to_restore_hours_median, HOURS),
        "open_incidents": row.open_incidents,
        "tiers": dict(row.tiers),
    }


def _date(raw: str, name: str, errors: dict[str, list[str]]) -> dt.date | None:
    if not raw:
        errors[name] = ["Required: a date, YYYY-MM-DD."]
        return None
    try:
        if not DATE.fullmatch(raw):
            raise ValueError
        day = dt.date.fromisoformat(raw)
    except ValueError:
        errors[name] = [f"Expected a date, YYYY-MM-DD, not {raw[:40]!r}."]
        return None
    if not EARLIEST <= day <= LATEST:
        errors[name] = [f"Expected a date between {EARLIEST} and {LATEST}."]
        return None
    return day


def _years_after(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (29 February: 1 March), or the last date there is."""
    if day.year + years > dt.MAXYEAR:
        return dt.date.max
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


def _whole_number(raw: str, digits: int = MAX_ID_DIGITS) -> int | None:
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= digits else None


def _report_year(params: Any, errors: dict[str, list[str]]) -> int:
    raw_year = params.get("report_year", "").strip()
    raw_cycle = params.get("cycle", "").strip()
    if raw_year and raw_cycle:
        errors["report_year"] = ["Give a report year or a cycle, not both."]
        return DEFAULT_REPORT_YEAR
    if raw_cycle:
        cycle_id = _whole_number(raw_cycle)
        year = None
        if cycle_id is not None:
            year = Cycle.objects.filter(pk=cycle_id).values_list("dora_report_year", flat=True).first()
        if year is None:
            errors["cycle"] = [f"No cycle has the id {raw_cycle[:40]!r}."]
            return DEFAULT_REPORT_YEAR
        return year
    if not raw_year:
        return DEFAULT_REPORT_YEAR
    year = _whole_number(raw_year, digits=4)
    if year is None or not DoraTier.objects.filter(report_year=year).exists():
        known = DoraTier.objects.order_by("report_year").values_list("report_year", flat=True).distinct()
        errors["report_year"] = [f"No DORA tiers for {raw_year[:40]!r}; known years: {', '.join(map(str, known))}."]
        return DEFAULT_REPORT_YEAR
    return year


NOT_FOUND = {"detail": "No such team."}


@extend_schema(
    summary="DORA figures and tiers per period",
    description=(
        "One row per UTC calendar period (a week from Monday, a month or a quarter) sharing at least one day "
        "with `start`..`end`; each row covers its whole period, so `period_start` may come before `start`. "
        "Only production deployments that succeeded count. A figure with no data is null, never 0: a period "
        "without deployments has no deployment_count, frequency or failure rate; one in which no incident "
        "started has no open_incidents. Tiers follow the DORA report of `report_year` (or of `cycle`'s chosen "
        "year; 2023 by default). A team the caller may not see answers 404, like one that does not exist; "
        "a service without a team is HR's (the whole organisation's)."
    ),
    parameters=[
        OpenApiParameter("team", OpenApiTypes.STR, description="a team slug"),
        OpenApiParameter("service", OpenApiTypes.STR, description="a service name; with `team`, that team's part"),
        OpenApiParameter("period", OpenApiTypes.STR, enum=list(PERIODS), required=True),
        OpenApiParameter("start", OpenApiTypes.DATE, required=True),
        OpenApiParameter("end", OpenApiTypes.DATE, required=True, description="before the same day five years on"),
        OpenApiParameter("report_year", OpenApiTypes.INT, description="the DORA report whose tiers apply (2023)"),
        OpenApiParameter("cycle", OpenApiTypes.INT, description="a review cycle: its chosen report year applies"),
    ],
    responses={
        200: DoraRowSerializer(many=True),
        400: OpenApiResponse(description="Missing or bad parameters (field errors)."),
        401: OpenApiResponse(ErrorSerializer, description="Not signed in."),
        403: OpenApiResponse(ErrorSerializer, description="A service across every team, asked by someone not HR."),
        404: OpenApiResponse(ErrorSerializer, description="No such team, or not one the caller may see."),
    },
    examples=[
        OpenApiExample(
            "A month",
            response_only=True,
            value=[
                {
                    "period_start": "2026-01-01",
                    "deployment_count": 4,
                    "deploy_days_per_week": 0.68,
                    "lead_time_hours_median": 6.0,
                    "change_failure_rate": 0.5,
                    "time_to_restore_hours_median": 3.5,
                    "open_incidents": 1,
                    "tiers": {
                        "deployment_frequency": "medium",
                        "lead_time": "elite",
                        "change_failure_rate": "low",
                        "time_to_restore": "high",
                    },
                }
            ],
        )
    ],
)
@api_view(["GET"])
def dora(request: Request) -> Response:
    params = request.query_params
    errors: dict[str, list[str]] = {}
    slug = params.get("team", "").strip()
    service = params.get("service", "").strip()
    if not slug and not service:
        errors["team"] = ["Name a team, a service, or both."]
    if len(service) > SERVICE_MAX_LENGTH:
        errors["service"] = [f"A service name has at most {SERVICE_MAX_LENGTH} characters."]
    period = params.get("period", "").strip()
    if period not in PERIODS:
        errors["period"] = [f"Expected one of: {', '.join(PERIODS)}."]
    start = _date(params.get("start", "").strip(), "start", errors)
    end = _date(params.get("end", "").strip(), "end", errors)
    if start is not None and end is not None:
        if end < start:
            errors["end"] = ["The range ends before it starts."]
        elif end >= _years_after(start, MAX_RANGE_YEARS):
            errors["end"] = [f"A range is at most {MAX_RANGE_YEARS} years long."]
    report_year = _report_year(params, errors)
    if errors or start is None or end is None:
        return Response(errors, status=400)

    team = None
    if slug:
        team = Team.objects.filter(slug=slug).first()
        if team is None or not access.can_view_team_kpis(request.user, team):
            return Response(NOT_FOUND, status=404)
    elif access.visible_team_ids(request.user) is not None:
        return Response({"detail": "Only HR may ask for a service across every team; name your team."}, status=403)

    rows = dora_figures(
        team=team,
        service=service or None,
        period=cast(Period, period),
        start=start,
        end=end,
        report_year=report_year,
    )
    return Response([dora_row_data(row) for row in rows])
