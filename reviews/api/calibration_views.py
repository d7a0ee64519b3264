"""Accepting proposed ratings as final over the API, as the calibration page's "accept as is" does: read
which manager-submitted reviews a group holds (with the versions to send back), then accept them all or
none (reviews.calibration_services.calibration_accept_as_is). HR only."""

from typing import Any

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from reviews.api.errors import answers_service_errors
from reviews.api.export_views import FORBIDDEN, NOT_FOUND, UNAUTHENTICATED, group_filters
from reviews.calibration import RATINGS, CalibrationFilters, calibration_acceptable
from reviews.calibration_services import CalibrationConflict, calibration_accept_as_is
from reviews.export_views import cycle_for_export

MAX_REVIEWS = 10_000  # a cycle of this size is far beyond any one calibration


class ReviewVersionSerializer(serializers.Serializer):
    id = serializers.IntegerField(min_value=1)
    version = serializers.IntegerField(min_value=0, help_text="The review's version as read.")


class AcceptSerializer(serializers.Serializer):
    reviews = serializers.ListField(
        child=ReviewVersionSerializer(),
        min_length=1,
        max_length=MAX_REVIEWS,
        help_text="Every review to accept, with the version read (from GET on this path, or the review).",
    )

    def validate_reviews(self, value: list[dict[str, int]]) -> dict[int, int]:
        """{review id: version read}; a review named twice must carry one version."""
        wanted: dict[int, int] = {}
        for item in value:
            if wanted.setdefault(item["id"], item["version"]) != item["version"]:
                raise serializers.ValidationError(f"Review {item['id']} is named twice, with two versions.")
        return wanted


class AcceptableSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    proposed = serializers.DictField(
        child=serializers.IntegerField(), help_text='How many would get each final rating: {"1": n, ..., "5": n}.'
    )
    reviews = serializers.ListField(child=ReviewVersionSerializer())


class AcceptedReviewSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    final_rating = serializers.IntegerField()
    version = serializers.IntegerField()


class AcceptedSerializer(serializers.Serializer):
    accepted = serializers.ListField(child=AcceptedReviewSerializer())


class AcceptConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    reviews = serializers.ListField(child=ReviewVersionSerializer(), help_text="The reviews changed since read.")


GROUP_PARAMETERS = [
    OpenApiParameter("team", int, description="A team id: only its members."),
    OpenApiParameter("manager", int, description="A reviewer's employee id: only their reviews."),
    OpenApiParameter("level", str),
]


def _filters(data: Any) -> CalibrationFilters:
    """The group, as the calibration page's filters (a state other than manager-submitted selects none)."""
    filters, _problems = CalibrationFilters.from_query(group_filters(data))
    return filters


@extend_schema(
    methods=["GET"],
    summary="The reviews accepting as is would finalise (HR)",
    description=(
        "Every manager-submitted review of the cycle with a complete manager side, in the group the query "
        "names (no query: the whole cycle), with the version to send back, and how many would get each "
        "final rating."
    ),
    parameters=GROUP_PARAMETERS,
    responses={
        200: AcceptableSerializer,
        400: OpenApiResponse(description="A filter that names no team, manager or level (field errors)."),
        401: UNAUTHENTICATED,
        403: FORBIDDEN,
        404: NOT_FOUND,
    },
)
@extend_schema(
    methods=["POST"],
    summary="Accept proposed ratings as final (HR)",
    description=(
        "Sets each review's final rating to its proposed rating (the rounded weighted manager score) and "
        "moves it to calibrated, audited per review. All or nothing: a review of another cycle, not "
        "manager-submitted, incomplete or the caller's own is a 400 naming every problem; a review changed "
        "since its version was read is a 409 naming them; either way nothing is written."
    ),
    request=AcceptSerializer,
    responses={
        200: AcceptedSerializer,
        400: OpenApiResponse(description="A malformed body, or problems with the reviews, each named (field errors)."),
        401: UNAUTHENTICATED,
        403: FORBIDDEN,
        404: NOT_FOUND,
        409: OpenApiResponse(AcceptConflictSerializer, description="Reviews changed since read: nothing was accepted."),
    },
    examples=[
        OpenApiExample(
            "Two reviews", request_only=True, value={"reviews": [{"id": 12, "version": 4}, {"id": 15, "version": 6}]}
        )
    ],
)
@api_view(["GET", "POST"])
@answers_service_errors
def calibration_accept(request: Request, cycle_id: int) -> Response:
    cycle = cycle_for_export(request.user, cycle_id)
    if request.method == "GET":
        offer = calibration_acceptable(user=request.user, cycle=cycle, filters=_filters(request.query_params))
        return Response(
            {
                "count": len(offer.reviews),
                "proposed": {str(rating): offer.proposed.get(rating, 0) for rating in RATINGS},
                "reviews": [{"id": pk, "version": version} for pk, version in offer.reviews],
            }
        )
    serializer = AcceptSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    try:
        accepted = calibration_accept_as_is(
            actor=request.user, cycle=cycle, reviews=serializer.validated_data["reviews"]
        )
    except CalibrationConflict as exc:
        stale = [{"id": review.pk, "version": review.version} for review in exc.reviews]
        return Response({"detail": str(exc), "reviews": stale}, status=409)
    return Response(
        {
            "accepted": [
                {"id": review.pk, "final_rating": review.final_rating, "version": review.version} for review in accepted
            ]
        }
    )
