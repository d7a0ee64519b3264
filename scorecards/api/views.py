from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from reviews.api.serializers import ErrorSerializer  # the API's one `{"detail"}` shape
from scorecards.api.serializers import BlueprintSerializer, RoleListItemSerializer
from scorecards.selectors import blueprint_get, blueprint_to_dict, published_versions

# A version number beyond this cannot exist, and SQLite cannot compare with one past 64 bits.
MAX_VERSION_DIGITS = 9


@extend_schema(responses=RoleListItemSerializer(many=True), summary="Published role blueprints")
@api_view(["GET"])
def role_list(request: Request) -> Response:
    return Response([{"slug": v.role.slug, "title": v.title, "version": v.number} for v in published_versions()])


@extend_schema(
    responses={
        200: BlueprintSerializer,
        400: OpenApiResponse(description="A bad version number (field errors)."),
        404: OpenApiResponse(ErrorSerializer, description="No published blueprint of this role, or not this version."),
    },
    summary="One role blueprint",
    parameters=[
        OpenApiParameter("version", OpenApiTypes.INT, description="a version number (default: newest published)")
    ],
)
@api_view(["GET"])
def role_detail(request: Request, slug: str) -> Response:
    raw = request.query_params.get("version")
    number: int | None = None
    if raw is not None:
        if not (raw.isascii() and raw.isdigit() and len(raw) <= MAX_VERSION_DIGITS):
            return Response({"version": ["Expected a version number."]}, status=400)
        number = int(raw)
    try:
        version = blueprint_get(user=request.user, slug=slug, number=number, newest_draft_fallback=False)
    except Http404:
        return Response({"detail": "No such role blueprint."}, status=404)
    return Response(blueprint_to_dict(version))
