"""KPI measurements in, and a team's KPI trends out.

`POST /api/v1/kpis/measurements/` takes a batch of values with the rules of the event endpoints
(kpis.api.views): checked all at once, every problem by item index, nothing written on a problem.
`GET /api/v1/kpis/trends/?team=` answers the team's series with what the workers stored about each
(kpis.team_trends); a team the caller may not see answers 404, like one that does not exist.
"""

from decimal import Decimal
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.decorators import api_view, parser_classes
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from kpis import measurements, services, slo_ingest
from kpis.api.serializers import KPITrendSerializer, MeasurementItemSerializer, SloWindowSerializer
from kpis.api.views import _ingest, _responses
from kpis.models import KPISeries
from kpis.team_trends import KINDS, SeriesTrend, team_trends
from org.models import Team
from reviews.api.serializers import ErrorSerializer
from staffrole import access

FORBIDDEN_DETAIL = "Only HR and KPI ingest accounts can send measurements."
NOT_FOUND = {"detail": "No such team."}
KPI_MAX_LENGTH = KPISeries._meta.get_field("kpi").max_length or 255
SLUG_MAX_LENGTH = Team._meta.get_field("slug").max_length or 100

TEAM_EXAMPLE = {
    "role": "staff-software-engineer",
    "kpi": "Change failure rate (DORA)",
    "subject_type": "team",
    "subject": "platform",
    "period": "2026-11",
    "value": 8.5,
    "unit": "%",
    "source": "ci",
}
SERVICE_EXAMPLE = {
    "role": "staff-software-engineer",
    "kpi": "slo-attainment",
    "subject_type": "service",
    "subject": "billing-api",
    "team": "platform",
    "period": "2026-Q4",
    "value": 99.95,
    "unit": "%",
    "source": "slo-report",
}


@extend_schema(
    summary="Send KPI measurements (upsert by KPI, subject, period and source)",
    description=(
        f"The body is a JSON list (at most {services.MAX_ITEMS:,} items) of values of the KPIs of published role "
        "blueprints. Every field is required but `team`, which a service's measurement needs (the team that owns "
        f"it); strings are trimmed. Periods: {measurements.PERIOD_FORMATS}. All or nothing: a 400 names every bad "
        "item by its index (from 0) with its problems by field, and nothing of the batch is written. Items are "
        "upserted by (KPI, subject, period, source): a value equal to the stored one changes nothing, so sending "
        "the same batch twice writes nothing the second time. A series (a KPI of a subject at one granularity) "
        "keeps one unit. The answer is 200 with the counts; the trends of the changed series are recomputed in the "
        "background. HR and members of the `KPI ingest` group may send."
    ),
    request=MeasurementItemSerializer(many=True),
    responses=_responses(
        "measurement",
        {
            "0": {"kpi": ["The Staff Software Engineer blueprint has no KPI 'Change failure rates'."]},
            "2": {"period": ["Not a period: '2026-13-01'. Write " + measurements.PERIOD_FORMATS + "."]},
        },
    ),
    # One item per example: the schema shows each as a list of that item.
    examples=[
        OpenApiExample("A team's month", value=TEAM_EXAMPLE, request_only=True),
        OpenApiExample("A service's quarter, by the KPI's slug", value=SERVICE_EXAMPLE, request_only=True),
    ],
)
@api_view(["POST"])
@parser_classes([JSONParser])
def measurements_ingest(request: Request) -> Response:
    return _ingest(request, measurements.measurements_ingest, forbidden=FORBIDDEN_DETAIL)


@extend_schema(
    summary="Send SLO windows: good and valid event counts become SLO attainment and error budget burn",
    description=(
        f"The body is a JSON list (at most {services.MAX_ITEMS // 2:,} windows). Each window's counts and objective "
        "give two measurements of the role's blueprint: `SLO attainment` = good / valid, in %, and `Error budget "
        "burn` = observed error rate / (1 - SLO), as a burn rate (1 spends the budget exactly over the window). "
        "A window with no valid events measures nothing and writes nothing. Otherwise the rules of "
        "`POST /api/v1/kpis/measurements/` apply: all or nothing, every problem by the window's index, upsert by "
        "(KPI, subject, period, source)."
    ),
    request=SloWindowSerializer(many=True),
    responses=_responses(
        "SLO window",
        {"1": {"good": ["There cannot be more good events (11) than valid ones (10)."]}},
    ),
)
@api_view(["POST"])
@parser_classes([JSONParser])
def slo_windows_ingest(request: Request) -> Response:
    return _ingest(
        request, slo_ingest.slo_windows_ingest, forbidden="Only HR and KPI ingest accounts can send SLO windows."
    )


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def trend_data(row: SeriesTrend) -> dict[str, Any]:
    trend = row.trend
    return {
        "role": row.series.role.slug,
        "kpi": row.series.kpi,
        "subject_type": row.series.subject_kind,
        "subject": row.subject,
        "period": row.series.period,
        "unit": row.series.unit,
        "points": None if trend is None else trend.points,
        "latest_period": row.latest_period,
        "latest_value": None if trend is None else _number(trend.latest_value),
        "previous_value": None if trend is None else _number(trend.previous_value),
        "change_pct": None if trend is None else _number(trend.change_pct),
        "moving_average": None if trend is None else _number(trend.moving_average),
        "slope": None if trend is None else _number(trend.slope),
        "attainment": (trend.attainment or None) if trend is not None else None,
        "tiers": {str(year): tier for year, tier in row.tiers.items()},
    }


@extend_schema(
    summary="A team's KPI series and their trends",
    description=(
        "Every KPI series kept for the team, for its services and for its engineers, with the trend the workers "
        "stored: over the last 12 measured periods, the latest and previous values (a period's value is the mean "
        "of its sources), the change in %, the moving average of the last three, the least-squares slope per "
        "period, the target's attainment and, for the DORA KPIs, the tier of the latest value per report year. A "
        "series whose trend is not computed yet has null figures. An engineer's series is listed only to whoever "
        "may read that engineer's full record (they, their manager chain, HR). A team the caller may not see "
        "answers 404, like one that does not exist. Team first, then services, then engineers; by KPI within each."
    ),
    parameters=[
        OpenApiParameter("team", OpenApiTypes.STR, required=True, description="a team slug"),
        OpenApiParameter("kind", OpenApiTypes.STR, enum=list(KINDS), description="only series of this subject type"),
        OpenApiParameter("kpi", OpenApiTypes.STR, description="only this KPI, by name or slug"),
    ],
    responses={
        200: KPITrendSerializer(many=True),
        400: OpenApiResponse(description="Missing or bad parameters (field errors)."),
        401: OpenApiResponse(ErrorSerializer, description="Not signed in."),
        404: OpenApiResponse(ErrorSerializer, description="No such team, or not one the caller may see."),
    },
    examples=[
        OpenApiExample(
            "A DORA KPI of a team",
            response_only=True,
            value={
                "role": "staff-software-engineer",
                "kpi": "Change failure rate (DORA)",
                "subject_type": "team",
                "subject": "platform",
                "period": "month",
                "unit": "%",
                "points": 12,
                "latest_period": "2026-11",
                "latest_value": 8.5,
                "previous_value": 10.0,
                "change_pct": -15.0,
                "moving_average": 9.833333,
                "slope": -0.412587,
                "attainment": "met",
                "tiers": {"2021": "elite", "2023": "high"},
            },
        )
    ],
)
@api_view(["GET"])
def trends(request: Request) -> Response:
    params = request.query_params
    errors: dict[str, list[str]] = {}
    slug = params.get("team", "").strip()
    if not slug:
        errors["team"] = ["Required: a team's slug."]
    elif len(slug) > SLUG_MAX_LENGTH:
        errors["team"] = [f"A team slug has at most {SLUG_MAX_LENGTH} characters."]
    kind = params.get("kind", "").strip() or None
    if kind is not None and kind not in KINDS:
        errors["kind"] = [f"Expected one of: {', '.join(KINDS)}."]
    kpi = params.get("kpi", "").strip() or None
    if kpi is not None and len(kpi) > KPI_MAX_LENGTH:
        errors["kpi"] = [f"A KPI name has at most {KPI_MAX_LENGTH} characters."]
    if errors:
        return Response(errors, status=400)

    team = Team.objects.filter(slug=slug).first()
    if team is None or not access.can_view_team_kpis(request.user, team):
        return Response(NOT_FOUND, status=404)
    return Response([trend_data(row) for row in team_trends(user=request.user, team=team, kind=kind, kpi=kpi)])
