from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.decorators import api_view
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response

from org.api.serializers import EmployeeSerializer, EmployeeUpdateSerializer, MeSerializer
from org.models import Employee, Team
from org.selectors import DIRECTORY_SCOPES, direct_reports, employee_directory
from org.services import EmployeeChanges, employee_update
from scorecards.models import Role
from staffrole import access
from staffrole.api import list_or_page


@extend_schema(responses=MeSerializer, summary="The caller: account, groups, manager and reports")
@api_view(["GET"])
def me(request: Request) -> Response:
    who = access.viewer(request.user)
    employee = who.employee
    reports = list(direct_reports(manager=employee).values_list("user__username", flat=True)) if employee else []
    subtree = access.subtree_of(request.user)
    return Response(
        {
            "username": request.user.get_username(),
            "employee_id": employee.pk if employee else None,
            "name": employee.name if employee else (request.user.get_full_name() or request.user.get_username()),  # type: ignore[union-attr]
            "groups": sorted(request.user.groups.values_list("name", flat=True)),
            "manager": employee.manager.user.username if employee and employee.manager else None,
            "reports": reports,
            "is_hr": who.hr,
            "is_manager": bool(reports),
            "is_director": bool(employee) and len(subtree) > len(reports),
        }
    )


def _full_reader(request: Request) -> Any:
    who = access.viewer(request.user)
    own = who.employee.pk if who.employee else None
    subtree = access.subtree_of(request.user)
    return lambda employee: who.hr or employee.pk == own or employee.pk in subtree


@extend_schema(
    responses={
        200: list_or_page("Employee", EmployeeSerializer),
        400: OpenApiResponse(description="A bad filter (field errors)."),
        403: OpenApiResponse(description="Deactivated people are listed for HR only (field errors)."),
    },
    summary="People the caller can see, filtered",
    operation_id="employees_list",
    description=(
        "Every colleague's basic record; `level` and `start_date` only for the caller, their reports at any "
        "depth, and for HR. Deactivated people are listed for HR only (`active=all` or `active=false`). "
        "Without `limit` the whole list is returned; with it, a page `{count, next, previous, results}`."
    ),
    parameters=[
        OpenApiParameter("scope", OpenApiTypes.STR, enum=list(DIRECTORY_SCOPES), description="all, reports, org"),
        OpenApiParameter("team", OpenApiTypes.STR, description="team slug"),
        OpenApiParameter("role", OpenApiTypes.STR, description="role blueprint slug"),
        OpenApiParameter("manager", OpenApiTypes.STR, description="the manager's username"),
        OpenApiParameter("q", OpenApiTypes.STR, description="search in name, username, title and email"),
        OpenApiParameter("active", OpenApiTypes.STR, enum=["true", "false", "all"], description="HR only"),
        OpenApiParameter("limit", OpenApiTypes.INT),
        OpenApiParameter("offset", OpenApiTypes.INT),
    ],
)
@api_view(["GET"])
def employee_list(request: Request) -> Response:
    params = request.query_params
    scope = params.get("scope", "all")
    if scope not in DIRECTORY_SCOPES:
        return Response({"scope": [f"Expected one of: {', '.join(DIRECTORY_SCOPES)}."]}, status=400)
    active = params.get("active", "true")
    if active not in ("true", "false", "all"):
        return Response({"active": ["Expected true, false or all."]}, status=400)
    if active != "true" and not access.can_list_inactive_employees(request.user):
        return Response({"active": ["Only HR can list deactivated people."]}, status=403)
    people = employee_directory(
        user_employee=access.viewer(request.user).employee,
        include_inactive=active != "true",
        scope=scope,
        q=params.get("q", "").strip()[:100],
        team=params.get("team", "").strip(),
        role=params.get("role", "").strip(),
        manager=params.get("manager", "").strip(),
    )
    if active == "false":
        people = people.filter(active=False)
    context = {"full": _full_reader(request)}
    paginator = LimitOffsetPagination()
    page = paginator.paginate_queryset(people, request)
    if page is not None:
        return paginator.get_paginated_response(EmployeeSerializer(page, many=True, context=context).data)
    return Response(EmployeeSerializer(people, many=True, context=context).data)


@extend_schema(
    methods=["GET"],
    responses={200: EmployeeSerializer, 404: OpenApiResponse(description="No such person, or not visible.")},
    summary="One person",
)
@extend_schema(
    methods=["PATCH"],
    request=EmployeeUpdateSerializer,
    responses={
        200: EmployeeSerializer,
        400: OpenApiResponse(description="Invalid values; nothing changed."),
        403: OpenApiResponse(description="Only HR edits people's records."),
        404: OpenApiResponse(description="No such person, or not visible."),
    },
    summary="HR edits a person's record (partial update; audited)",
)
@api_view(["GET", "PATCH"])
def employee_detail(request: Request, pk: int) -> Response:
    employee = access.get_employee_by_id_for_user(request.user, pk)
    if request.method == "PATCH":
        if not access.can_edit_employee(request.user, employee):
            return Response({"detail": "Only HR can edit a person's record."}, status=403)
        serializer = EmployeeUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        errors: dict[str, list[str]] = {}
        role = employee.role
        if "role" in data:
            role = Role.objects.filter(slug=data["role"]).first() if data["role"] else None
            if data["role"] and role is None:
                errors["role"] = [f"No role blueprint has the slug {data['role']!r}."]
        team = employee.team
        if "team" in data:
            team = Team.objects.filter(slug=data["team"]).first() if data["team"] else None
            if data["team"] and team is None:
                errors["team"] = [f"No team has the slug {data['team']!r}."]
        manager = employee.manager
        if "manager" in data:
            manager = Employee.objects.filter(user__username=data["manager"]).first() if data["manager"] else None
            if data["manager"] and manager is None:
                errors["manager"] = [f"Nobody has the username {data['manager']!r}."]
        if errors:
            return Response(errors, status=400)
        try:
            employee = employee_update(
                actor=request.user,
                employee=employee,
                changes=EmployeeChanges(
                    name=data.get("name", employee.name),
                    email=data.get("email", employee.user.email),
                    title=data.get("title", employee.title),
                    role=role,
                    level=data.get("level", employee.level),
                    team=team,
                    manager=manager,
                    start_date=data.get("start_date", employee.start_date),
                    active=data.get("active", employee.active),
                ),
                reason=data.get("reason", ""),
            )
        except ValidationError as exc:
            return Response(exc.message_dict, status=400)
    full = access.can_read_employee_full(request.user, employee)
    return Response(EmployeeSerializer(employee, context={"full": lambda _employee: full}).data)
