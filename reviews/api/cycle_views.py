"""The cycle endpoints: everyone signed in reads cycles (with counts of the reviews they may open);
HR creates, opens, moves to calibration and closes them."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from reviews import services
from reviews.api.errors import answers_service_errors, validation_body
from reviews.api.serializers import (
    CycleCloseSerializer,
    CycleCreateSerializer,
    CycleOpenSerializer,
    CycleSerializer,
    ErrorSerializer,
    cycle_data,
    cycle_open_data,
)
from reviews.models import Cycle
from reviews.selectors import cycles_for_user, review_state_counts
from staffrole import access

NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such cycle.")
FORBIDDEN = OpenApiResponse(ErrorSerializer, description="Not HR, or not allowed in the cycle's state.")
UNAUTHENTICATED = OpenApiResponse(ErrorSerializer, description="Not signed in.")


def _cycle(request: Request, cycle_id: int) -> Cycle:
    if not access.can_view_cycle(request.user):
        raise Http404("No such cycle.")
    cycle = cycles_for_user(user=request.user).prefetch_related("teams").filter(pk=cycle_id).first()
    if cycle is None:
        raise Http404("No such cycle.")
    return cycle


def _counts(request: Request, cycle: Cycle) -> dict[str, int] | None:
    return review_state_counts(user=request.user, cycle_ids=[cycle.pk]).get(cycle.pk)


def _refuse_unless_hr(request: Request, what: str) -> None:
    if not access.can_manage_cycles(request.user):
        raise PermissionDenied(f"Only HR can {what} review cycles.")


@extend_schema(
    methods=["GET"],
    summary="Review cycles",
    description="Every cycle, newest first, with the number of reviews the caller may open in each state.",
    responses={200: CycleSerializer(many=True), 401: UNAUTHENTICATED},
)
@extend_schema(
    methods=["POST"],
    summary="Create a review cycle (HR)",
    description=(
        "A planned cycle: nobody is enrolled until it opens. Deadlines run self-assessment ≤ manager review ≤ "
        "calibration ≤ sign-off. `teams` limits it to those teams; absent, everyone is enrolled."
    ),
    request=CycleCreateSerializer,
    responses={
        201: CycleSerializer,
        400: OpenApiResponse(description="Missing or bad fields, dates out of order, unknown teams (field errors)."),
        401: UNAUTHENTICATED,
        403: FORBIDDEN,
    },
    examples=[
        OpenApiExample(
            "A quarter",
            request_only=True,
            value={
                "name": "2026 Q4",
                "period_start": "2026-10-01",
                "period_end": "2026-12-31",
                "self_due": "2026-12-05",
                "manager_due": "2026-12-12",
                "calibration_due": "2026-12-19",
                "signoff_due": "2027-01-09",
                "teams": ["platform"],
            },
        )
    ],
)
@api_view(["GET", "POST"])
@answers_service_errors
def cycle_list(request: Request) -> Response:
    if request.method == "POST":
        _refuse_unless_hr(request, "create")
        serializer = CycleCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        cycle = services.cycle_create(actor=request.user, **serializer.validated_data)
        return Response(cycle_data(cycle, user=request.user, counts=None), status=201)
    cycles = list(cycles_for_user(user=request.user).prefetch_related("teams"))
    counts = review_state_counts(user=request.user)
    return Response([cycle_data(cycle, user=request.user, counts=counts.get(cycle.pk)) for cycle in cycles])


@extend_schema(
    summary="One review cycle",
    responses={200: CycleSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
)
@api_view(["GET"])
@answers_service_errors
def cycle_detail(request: Request, cycle_id: int) -> Response:
    cycle = _cycle(request, cycle_id)
    return Response(cycle_data(cycle, user=request.user, counts=_counts(request, cycle)))


@extend_schema(
    summary="Open a planned cycle (HR)",
    description=(
        "Enrols every active person in scope: a draft review each, with their manager as reviewer and their "
        "role's newest published blueprint version, both fixed from now on. People without a published "
        "blueprint are listed in `skipped`."
    ),
    request=None,
    responses={200: CycleOpenSerializer, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
)
@api_view(["POST"])
@answers_service_errors
def cycle_open(request: Request, cycle_id: int) -> Response:
    cycle = _cycle(request, cycle_id)
    _refuse_unless_hr(request, "open")
    result = services.cycle_open(actor=request.user, cycle=cycle)
    return Response(cycle_open_data(result, user=request.user, counts=_counts(request, result.cycle)))


@extend_schema(
    summary="Move an open cycle to calibration (HR)",
    request=None,
    responses={200: CycleSerializer, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
)
@api_view(["POST"])
@answers_service_errors
def cycle_advance(request: Request, cycle_id: int) -> Response:
    cycle = _cycle(request, cycle_id)
    _refuse_unless_hr(request, "move on")
    cycle = services.cycle_advance(actor=request.user, cycle=cycle)
    return Response(cycle_data(cycle, user=request.user, counts=_counts(request, cycle)))


@extend_schema(
    summary="Close a calibrating cycle (HR)",
    description=(
        "Refused while a review is unfinished (not yet shared) unless each such review's id is in "
        "`confirm_unfinished`; the 400 lists the ids in `unfinished`."
    ),
    request=CycleCloseSerializer,
    responses={
        200: CycleSerializer,
        400: OpenApiResponse(
            description="Unconfirmed unfinished reviews: `{confirm_unfinished: [message], unfinished: [ids]}`."
        ),
        401: UNAUTHENTICATED,
        403: FORBIDDEN,
        404: NOT_FOUND,
    },
)
@api_view(["POST"])
@answers_service_errors
def cycle_close(request: Request, cycle_id: int) -> Response:
    cycle = _cycle(request, cycle_id)
    _refuse_unless_hr(request, "close")
    serializer = CycleCloseSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    try:
        cycle = services.cycle_close(
            actor=request.user,
            cycle=cycle,
            confirm_unfinished=data.get("confirm_unfinished", []),
            reason=data.get("reason", ""),
        )
    except ValidationError as exc:
        body = validation_body(exc)
        if "confirm_unfinished" in body:
            body["unfinished"] = sorted(services.unfinished_review_ids(cycle=cycle))
        return Response(body, status=400)
    return Response(cycle_data(cycle, user=request.user, counts=_counts(request, cycle)))
