"""The plan endpoints: read the plans the caller may see, update goals, adapt the plan, tick indicators off.

Every view fetches the plan through staffrole.access (404 out of scope) and writes through plans.services,
whose refusals `answers_plan_errors` turns into 403/409/400.
"""

import functools
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from plans import selectors, services
from plans.api.serializers import (
    GoalAddSerializer,
    GoalSerializer,
    GoalUpdateSerializer,
    IndicatorCheckSerializer,
    IndicatorSerializer,
    PlanConflictSerializer,
    PlanSerializer,
    PlanSummarySerializer,
    goal_data,
    indicator_data,
    plan_summary_data,
)
from plans.models import Goal, Indicator, Plan
from plans.services import PlanConflict
from reviews.api.serializers import ErrorSerializer
from staffrole import access

NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such plan (or goal), or not one the caller may read.")
FORBIDDEN = OpenApiResponse(
    ErrorSerializer, description="In scope, but not for this role (or the plan is closed: a newer plan replaced it)."
)
STALE = OpenApiResponse(PlanConflictSerializer, description="`version` is stale: someone else saved first.")
UNAUTHENTICATED = OpenApiResponse(ErrorSerializer, description="Not signed in.")
BAD = OpenApiResponse(description="Bad values (field errors; nothing changed).")


def answers_plan_errors(view: Callable[..., Response]) -> Callable[..., Response]:
    @functools.wraps(view)
    def wrapper(request: Request, *args: Any, **kwargs: Any) -> Response:
        try:
            return view(request, *args, **kwargs)
        except PlanConflict as exc:
            return Response({"detail": str(exc), "version": exc.current_version}, status=409)
        except ValidationError as exc:
            body: dict[str, Any] = {"detail": " ".join(exc.messages)}
            if hasattr(exc, "error_dict"):
                body = dict(exc.message_dict)
            return Response(body, status=400)
        except PermissionDenied as exc:
            return Response({"detail": str(exc) or "You may not do this."}, status=403)
        except Http404 as exc:
            return Response({"detail": str(exc) or "Not found."}, status=404)

    return wrapper


def _plan_answer(request: Request, plan: Plan) -> Response:
    today = timezone.localdate()
    summary = selectors.with_counts(Plan.objects.filter(pk=plan.pk), today=today).get()
    summary.employee, summary.blueprint_version = plan.employee, plan.blueprint_version
    goals = Goal.objects.filter(plan=plan, removed=False).order_by("position", "pk")
    indicators = Indicator.objects.filter(plan=plan).select_related("checked_by").order_by("position", "pk")
    return Response(
        {
            **plan_summary_data(summary),
            "closed_at": plan.closed_at,
            "goals": [goal_data(goal, today) for goal in goals],
            "indicators": [indicator_data(indicator) for indicator in indicators],
            "can_update_goals": access.can_update_goal(request.user, plan),
            "can_adapt": access.can_adapt_plan(request.user, plan),
        }
    )


@extend_schema(
    summary="30/60/90 plans the caller may read",
    description=(
        "The caller's own plans and those of everyone below them in the manager chain; every plan for HR. "
        "Newest first, closed plans included (filter with `state`). Each with its goals counted by status."
    ),
    parameters=[
        OpenApiParameter("employee", OpenApiTypes.STR, description="the person's username"),
        OpenApiParameter("state", OpenApiTypes.STR, enum=Plan.State.values),
    ],
    responses={200: PlanSummarySerializer(many=True), 400: BAD, 401: UNAUTHENTICATED},
)
@api_view(["GET"])
def plan_list(request: Request) -> Response:
    state = request.query_params.get("state", "").strip() or None
    if state is not None and state not in Plan.State.values:
        return Response({"state": [f"Expected one of: {', '.join(Plan.State.values)}."]}, status=400)
    access.subtree_of(request.user)
    plans = selectors.with_counts(
        selectors.visible_plans(
            user=request.user, employee=request.query_params.get("employee", "").strip() or None, state=state
        ).select_related("blueprint_version__role"),
        today=timezone.localdate(),
    )
    return Response([plan_summary_data(plan) for plan in plans])


@extend_schema(
    summary="One plan with its goals and success indicators",
    description="Goals taken off the plan by the manager are left out; `overdue_days` counts from the due date.",
    responses={200: PlanSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
)
@api_view(["GET"])
@answers_plan_errors
def plan_detail(request: Request, plan_id: int) -> Response:
    return _plan_answer(request, access.get_plan_for_user(request.user, plan_id))


@extend_schema(
    summary="Add a goal to a plan",
    description="The person's manager (and HR) adapt the plan. Without `due_date` the goal is due with its horizon.",
    request=GoalAddSerializer,
    responses={201: GoalSerializer, 400: BAD, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
    examples=[
        OpenApiExample(
            "A goal for the first month",
            request_only=True,
            value={"horizon": "30d", "text": "Pair with the on-call engineer for one week"},
        )
    ],
)
@api_view(["POST"])
@answers_plan_errors
def goal_add(request: Request, plan_id: int) -> Response:
    plan = access.get_plan_for_user(request.user, plan_id)
    if not access.can_adapt_plan(request.user, plan):
        raise PermissionDenied("Only the manager adapts this plan.")
    serializer = GoalAddSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    goal = services.plan_goal_add(
        actor=request.user, plan=plan, horizon=data["horizon"], text=data["text"], due_date=data.get("due_date")
    )
    return Response(goal_data(goal, timezone.localdate()), status=201)


@extend_schema(
    summary="Update a goal, adapt it, or take it off the plan",
    description=(
        "The person, their manager and HR write `status`, `notes` and `evidence`; the manager and HR also "
        "`text`, `due_date` and `removed: true` (or DELETE). `version` is the goal's version you read: a stale "
        "one answers 409 with the current version. Answers the goal with its new version."
    ),
    request=GoalUpdateSerializer,
    parameters=[OpenApiParameter("version", OpenApiTypes.INT, description="DELETE only: the goal's version")],
    responses={
        200: GoalSerializer,
        204: None,
        400: BAD,
        401: UNAUTHENTICATED,
        403: FORBIDDEN,
        404: NOT_FOUND,
        409: STALE,
    },
    examples=[
        OpenApiExample(
            "Record progress",
            request_only=True,
            value={"version": 1, "status": "in_progress", "notes": "Mapped the billing flows", "evidence": []},
        )
    ],
)
@api_view(["PATCH", "DELETE"])
@answers_plan_errors
def goal_detail(request: Request, plan_id: int, goal_id: int) -> Response:
    plan = access.get_plan_for_user(request.user, plan_id)
    if request.method == "DELETE":
        if not access.can_adapt_plan(request.user, plan):
            raise PermissionDenied("Only the manager adapts this plan.")
        raw = request.query_params.get("version", "")
        if not raw.isdigit():
            return Response({"version": ["The goal's version is required (?version=N)."]}, status=400)
        services.plan_goal_remove(actor=request.user, plan=plan, goal_id=goal_id, version=int(raw))
        return Response(status=204)
    if not access.can_update_goal(request.user, plan):
        raise PermissionDenied("You may not update the goals of this plan.")
    serializer = GoalUpdateSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    adapting = {"text", "due_date", "removed"} & set(data)
    if adapting and not access.can_adapt_plan(request.user, plan):
        raise PermissionDenied("Only the manager changes a goal's text or due date, or removes it.")
    version = data["version"]
    goal = None
    if {"status", "notes", "evidence"} & set(data):
        goal = services.plan_goal_update(
            actor=request.user,
            plan=plan,
            goal_id=goal_id,
            version=version,
            status=data.get("status"),
            notes=data.get("notes"),
            evidence="\n".join(data["evidence"]) if "evidence" in data else None,
        )
        version = goal.version
    if "text" in data or "due_date" in data:
        goal = services.plan_goal_edit(
            actor=request.user,
            plan=plan,
            goal_id=goal_id,
            version=version,
            text=data.get("text"),
            due_date=data.get("due_date"),
            clear_due_date="due_date" in data and data["due_date"] is None,
        )
        version = goal.version
    if data.get("removed"):
        services.plan_goal_remove(actor=request.user, plan=plan, goal_id=goal_id, version=version)
        return Response(status=204)
    if goal is None:
        goal = Goal.objects.filter(plan=plan, pk=goal_id, removed=False).first()
        if goal is None:
            raise Http404("No such goal in this plan.")
        if goal.version != version:
            raise PlanConflict(goal.version)
    return Response(goal_data(goal, timezone.localdate()))


@extend_schema(
    summary="Tick a success indicator off (or back on)",
    description="The person's manager and HR judge the success indicators. `checked` defaults to true.",
    request=IndicatorCheckSerializer,
    responses={200: IndicatorSerializer, 400: BAD, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND, 409: STALE},
)
@api_view(["POST"])
@answers_plan_errors
def indicator_check(request: Request, plan_id: int, indicator_id: int) -> Response:
    plan = access.get_plan_for_user(request.user, plan_id)
    if not access.can_adapt_plan(request.user, plan):
        raise PermissionDenied("Only the manager ticks success indicators off.")
    serializer = IndicatorCheckSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    indicator = services.plan_indicator_check(
        actor=request.user,
        plan=plan,
        indicator_id=indicator_id,
        checked=serializer.validated_data["checked"],
        version=serializer.validated_data["version"],
    )
    return Response(indicator_data(indicator))
