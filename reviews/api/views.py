"""The review endpoints: read a review as the policy allows, write one's own side, move it along.

Every view fetches the review through staffrole.access (404 out of scope) and writes through
reviews.services, whose refusals `answers_service_errors` turns into 403/409/400.
"""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.decorators import api_view
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response

from org.models import Employee
from reviews import services
from reviews.api.errors import answers_service_errors
from reviews.api.serializers import (
    CalibrationSerializer,
    ConflictSerializer,
    ErrorSerializer,
    IncompleteSerializer,
    RatingsUpdateSerializer,
    ReassignSerializer,
    ReviewSerializer,
    SkillRatingSerializer,
    SkillRatingsUpdateSerializer,
    SkillsConflictSerializer,
    TransitionSerializer,
    review_data,
    skill_ratings_data,
)
from reviews.models import Cycle, Review
from reviews.selectors import review_skills as blueprint_skills_of
from reviews.selectors import review_with_ratings, reviews_for_user, with_ratings
from staffrole import access
from staffrole.access import Access, Relation
from staffrole.api import field_errors_or, list_or_page

# Beyond this an id cannot exist, and some databases refuse to compare with it.
MAX_ID_DIGITS = 18

NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such review, or not one the caller may open.")
FORBIDDEN = OpenApiResponse(ErrorSerializer, description="In scope, but not for this role or in this state.")
STALE = OpenApiResponse(ConflictSerializer, description="`version` is stale: someone else saved first.")
UNAUTHENTICATED = OpenApiResponse(ErrorSerializer, description="Not signed in.")


def _answer(review: Review, request: Request) -> Response:
    return Response(review_data(review, user=request.user, ratings=review_with_ratings(review=review)))


@extend_schema(
    summary="Reviews the caller may open",
    operation_id="reviews_list",
    description=(
        "The caller's own reviews, those they write, and those of everyone below them; every review for HR. "
        "Each in the shape of `GET /reviews/{id}/`. Without `limit` the whole list is returned; with it, a "
        "page `{count, next, previous, results}`."
    ),
    parameters=[
        OpenApiParameter("cycle", OpenApiTypes.INT, description="a cycle id"),
        OpenApiParameter("employee", OpenApiTypes.STR, description="the reviewed person's username"),
        OpenApiParameter("state", OpenApiTypes.STR, enum=Review.State.values),
        OpenApiParameter("limit", OpenApiTypes.INT),
        OpenApiParameter("offset", OpenApiTypes.INT),
    ],
    responses={
        200: list_or_page("Review", ReviewSerializer),
        400: OpenApiResponse(description="A bad filter (field errors)."),
        401: UNAUTHENTICATED,
    },
)
@api_view(["GET"])
def review_list(request: Request) -> Response:
    params = request.query_params
    errors: dict[str, list[str]] = {}
    cycle_id: int | None = None
    raw_cycle = params.get("cycle", "").strip()
    if raw_cycle:
        if not (raw_cycle.isascii() and raw_cycle.isdigit() and len(raw_cycle) <= MAX_ID_DIGITS):
            errors["cycle"] = ["Expected a cycle id."]
        elif not Cycle.objects.filter(pk=int(raw_cycle)).exists():
            errors["cycle"] = [f"No cycle has the id {raw_cycle}."]
        else:
            cycle_id = int(raw_cycle)
    state = params.get("state", "").strip() or None
    if state is not None and state not in Review.State.values:
        errors["state"] = [f"Expected one of: {', '.join(Review.State.values)}."]
    if errors:
        return Response(errors, status=400)
    # Knowing the caller's reports up front spares a chain lookup per review (HR's list included).
    access.subtree_of(request.user)
    reviews = with_ratings(
        reviews_for_user(
            user=request.user, cycle=cycle_id, employee=params.get("employee", "").strip() or None, state=state
        )
    )
    paginator = LimitOffsetPagination()
    page = paginator.paginate_queryset(reviews, request)
    rows = page if page is not None else reviews

    data = [review_data(review, user=request.user, ratings=review.ratings.all()) for review in rows]
    return paginator.get_paginated_response(data) if page is not None else Response(data)


@extend_schema(
    summary="One review, as the caller may see it",
    description=(
        "Fields the caller may not see yet are null: the manager side until the review is shared (for the "
        "person reviewed), the self-assessment until it is submitted (for the reviewer and above), the final "
        "rating until it is shared (for the person reviewed). Weights and weighted scores are numbers; a "
        "weighted score is Σ(weight * score) / Σ(weight) rounded half up to 2 places, null while a dimension "
        "is unrated."
    ),
    responses={200: ReviewSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
)
@api_view(["GET"])
@answers_service_errors
def review_detail(request: Request, review_id: int) -> Response:
    return _answer(access.get_review_for_user(request.user, review_id), request)


@extend_schema(
    summary="Write the caller's side of a review",
    description=(
        "The person reviewed writes the self-assessment while the review is a draft; the reviewer writes the "
        "manager review (and `potential`) until they submit it. Dimensions not named keep their values. "
        "Answers the review with its new `version`."
    ),
    request=RatingsUpdateSerializer,
    responses={
        200: ReviewSerializer,
        400: OpenApiResponse(
            description="A score outside 1..5 or not a whole number, an unknown dimension, a bad "
            "or missing version (field errors; nothing changed)."
        ),
        401: UNAUTHENTICATED,
        403: FORBIDDEN,
        404: NOT_FOUND,
        409: STALE,
    },
    examples=[
        OpenApiExample(
            "Rate two dimensions",
            request_only=True,
            value={
                "version": 3,
                "ratings": [
                    {"dimension": "Technical Leadership", "score": 4, "comment": "Led the storage migration."},
                    {"dimension": "Delivery", "score": 3, "comment": ""},
                ],
            },
        )
    ],
)
@api_view(["PATCH"])
@answers_service_errors
def review_ratings(request: Request, review_id: int) -> Response:
    review = access.get_review_for_user(request.user, review_id)
    serializer = RatingsUpdateSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data: dict[str, Any] = serializer.validated_data
    review = services.review_rate(
        actor=request.user,
        review=review,
        version=data["version"],
        potential=data.get("potential"),
        ratings=[
            services.RatingInput(
                dimension=item["dimension"],
                score=item.get("score"),
                comment=item.get("comment"),
                evidence=item.get("evidence"),
            )
            for item in data.get("ratings", [])
        ],
    )
    return _answer(review, request)


@extend_schema(
    summary="Move a review along",
    description=(
        "`submit_self` (the person reviewed, from draft), `submit_manager` (the reviewer, once self-submitted), "
        "`calibrate` (HR: accepts the rounded weighted manager score as the final rating), `share` (the reviewer, "
        "once calibrated), `acknowledge` (the person reviewed, once shared; `reason` is their comment) and "
        "`reopen` (HR, with a `reason`). Submitting needs every dimension of that side rated: a 400 lists the "
        "missing ones. With `version`, a stale one answers 409."
    ),
    request=TransitionSerializer,
    responses={
        200: ReviewSerializer,
        400: OpenApiResponse(
            field_errors_or("ReviewTransitionRefused", IncompleteSerializer),
            description="Ratings missing (listed), or an unknown action or reopen without reason (field errors).",
        ),
        401: UNAUTHENTICATED,
        403: FORBIDDEN,
        404: NOT_FOUND,
        409: STALE,
    },
)
@api_view(["POST"])
@answers_service_errors
def review_transitions(request: Request, review_id: int) -> Response:
    review = access.get_review_for_user(request.user, review_id)
    serializer = TransitionSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    review = services.review_transition(
        actor=request.user,
        review=review,
        action=data["action"],
        reason=data.get("reason", ""),
        version=data.get("version"),
    )
    return _answer(review, request)


@extend_schema(
    summary="Calibrate a review (HR)",
    description=(
        "Sets the final rating of a review whose manager review is submitted (or recalibrates it). A final "
        "rating other than the rounded weighted manager score needs a `justification`."
    ),
    request=CalibrationSerializer,
    responses={
        200: ReviewSerializer,
        400: OpenApiResponse(description="A bad final rating or version, or a missing justification."),
        401: UNAUTHENTICATED,
        403: FORBIDDEN,
        404: NOT_FOUND,
        409: STALE,
    },
)
@api_view(["POST"])
@answers_service_errors
def review_calibration(request: Request, review_id: int) -> Response:
    review = access.get_review_for_user(request.user, review_id)
    if access.calibration_access(request.user) is not Access.EDIT:
        return Response({"detail": "Only HR calibrates reviews."}, status=403)
    serializer = CalibrationSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    review = services.review_calibrate(
        actor=request.user,
        review=review,
        version=data["version"],
        final_rating=data["final_rating"],
        justification=data.get("justification", ""),
    )
    return _answer(review, request)


@extend_schema(
    summary="Give a review another reviewer (HR)",
    description=(
        "For a manager change during the cycle, before the manager review is submitted; audited with the reason."
    ),
    request=ReassignSerializer,
    responses={
        200: ReviewSerializer,
        400: OpenApiResponse(description="Unknown, deactivated or self reviewer, or no reason (field errors)."),
        401: UNAUTHENTICATED,
        403: FORBIDDEN,
        404: NOT_FOUND,
    },
)
@api_view(["POST"])
@answers_service_errors
def review_reassign(request: Request, review_id: int) -> Response:
    review = access.get_review_for_user(request.user, review_id)
    if not access.can_manage_cycles(request.user):
        return Response({"detail": "Only HR reassigns reviewers."}, status=403)
    serializer = ReassignSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    reviewer = Employee.objects.select_related("user").filter(user__username=data["reviewer"]).first()
    if reviewer is None:
        return Response({"reviewer": [f"Nobody has the username {data['reviewer']!r}."]}, status=400)
    review = services.review_reassign(actor=request.user, review=review, reviewer=reviewer, reason=data["reason"])
    return _answer(review, request)


SKILLS_DESCRIPTION = (
    "The engineer's optional detailed self-assessment: every skill of the review's pinned blueprint version, "
    "in blueprint order, with their score, comment, evidence and the rating's `version` (null, empty and 0 for "
    "a skill not rated). It is part of the self-assessment: whoever reads the self side reads it (the "
    "reviewer and above once it is submitted); in scope but not yet readable is a 403."
)


@extend_schema(
    methods=["GET"],
    summary="The engineer's rating of each skill of their blueprint",
    description=SKILLS_DESCRIPTION,
    responses={200: SkillRatingSerializer(many=True), 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
)
@extend_schema(
    methods=["PATCH"],
    summary="Rate skills of one's blueprint (the person reviewed, while the review is a draft)",
    description=(
        "Writes the named skills all at once or not at all; fields left out keep their values, a null score "
        "clears it. Each item names the `version` of the skill rating it read (0 for a skill not rated yet): "
        "if any is stale nothing is written and the 409 lists the values stored now. Answers like GET."
    ),
    request=SkillRatingsUpdateSerializer,
    responses={
        200: SkillRatingSerializer(many=True),
        400: OpenApiResponse(
            description="An unknown or repeated skill, a score outside 1..5, a comment too long, evidence that is "
            "not http(s) links, a missing version (field errors; nothing changed)."
        ),
        401: UNAUTHENTICATED,
        403: FORBIDDEN,
        404: NOT_FOUND,
        409: OpenApiResponse(SkillsConflictSerializer, description="A skill's `version` is stale: nothing written."),
    },
    examples=[
        OpenApiExample(
            "Rate two skills",
            request_only=True,
            value={
                "skills": [
                    {"skill": 12, "score": 4, "comment": "Led the storage migration.", "version": 0},
                    {"skill": 15, "score": None, "evidence": ["https://example.com/design-doc"], "version": 2},
                ]
            },
        )
    ],
)
@api_view(["GET", "PATCH"])
@answers_service_errors
def review_skills(request: Request, review_id: int) -> Response:
    review = access.get_review_for_user(request.user, review_id)
    self_access, _manager = access.review_access(request.user, review)
    if self_access is Access.NONE:
        return Response(
            {"detail": f"{review.employee.name}'s self-assessment, skills included, is shown once they submit it."},
            status=403,
        )
    if request.method == "PATCH":
        if access.review_relation(request.user, review) is not Relation.SELF or self_access is not Access.EDIT:
            return Response(
                {"detail": "Only the person reviewed rates their skills, while the review is a draft."}, status=403
            )
        serializer = SkillRatingsUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        items: list[dict[str, Any]] = serializer.validated_data["skills"]
        try:
            services.review_rate_skills(
                actor=request.user,
                review=review,
                skills={item["skill"]: {k: v for k, v in item.items() if k != "skill"} for item in items},
            )
        except services.ReviewConflict as exc:
            return Response(
                {
                    "detail": "A skill was changed since you read it: nothing was saved.",
                    "version": exc.current_version,
                    "skills": exc.fields,
                },
                status=409,
            )
    skills, ratings = blueprint_skills_of(review=review)
    return Response(skill_ratings_data(skills, ratings))
