"""The ladder endpoints: read the ladder (HR edits it), write one's own self-assessment, read a person's
assessments as the policy allows, record a manager's view, export a PDF.

Every object is fetched through staffrole.access (404 out of scope, 403 in scope but not allowed) and
written through ladder.services, whose refusals `answers_errors` turns into 403/409/400.
"""

import functools
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from jobs.models import Job
from jobs.services import job_request
from ladder import selectors, services
from ladder.api.serializers import (
    AssessmentPatchSerializer,
    AssessmentSerializer,
    LadderConflictSerializer,
    LadderIncompleteSerializer,
    LadderManagerViewOutSerializer,
    LadderSubmitSerializer,
    LevelInputSerializer,
    LevelPatchSerializer,
    ManagerViewInputSerializer,
    TrackInputSerializer,
    TrackPatchSerializer,
    TrackSerializer,
    assessment_data,
    track_data,
)
from ladder.models import Assessment, Level, Track
from reviews.api.errors import validation_body
from reviews.api.export_views import QUEUE_UNAVAILABLE, STARTED, _started
from reviews.api.serializers import ErrorSerializer
from scorecards.models import Role
from staffrole import access
from staffrole.api import field_errors_or

NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such thing, or not one the caller may see.")
FORBIDDEN = OpenApiResponse(ErrorSerializer, description="In scope, but not for this role or in this state.")
HR_ONLY = OpenApiResponse(ErrorSerializer, description="Only HR edits the ladder.")
STALE = OpenApiResponse(LadderConflictSerializer, description="`version` is stale: someone saved first.")
UNAUTHENTICATED = OpenApiResponse(ErrorSerializer, description="Not signed in.")
BAD = OpenApiResponse(description="Field errors; nothing changed.")

View = Callable[..., Response]


def answers_errors(view: View) -> View:
    @functools.wraps(view)
    def wrapper(request: Request, *args: Any, **kwargs: Any) -> Response:
        try:
            return view(request, *args, **kwargs)
        except services.AssessmentConflict as exc:
            return Response({"detail": str(exc), "version": exc.current_version}, status=409)
        except services.AssessmentIncomplete as exc:
            return Response(
                {"detail": str(exc), "missing_skills": exc.missing_skills, "missing_criteria": exc.missing_criteria},
                status=400,
            )
        except ValidationError as exc:
            return Response(validation_body(exc), status=400)
        except PermissionDenied as exc:
            return Response({"detail": str(exc) or "You may not do this."}, status=403)
        except Http404 as exc:
            return Response({"detail": str(exc) or "Not found."}, status=404)

    return wrapper


def _id(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise Http404("Not found.") from exc
    if number < 1 or number > 10**18:
        raise Http404("Not found.")
    return number


def _track_row(track_id: int) -> Any:
    row = next((row for row in selectors.ladder_tracks() if row.track.pk == track_id), None)
    if row is None:
        raise Http404("No such track.")
    return row


def _role(slug: str | None) -> Role | None:
    if not slug:
        return None
    role = Role.objects.filter(slug=slug).first()
    if role is None:
        raise ValidationError({"role": [f"No role has the slug {slug!r}."]})
    return role


def _require_editor(request: Request) -> None:
    if not access.can_edit_ladder(request.user):
        raise PermissionDenied("Only HR edits the career ladder.")


# --- The ladder -----------------------------------------------------------------------------------


@extend_schema(
    methods=["GET"],
    summary="The career ladder",
    description=(
        "Every track with its levels in order (position 1 is the first rung); each level's blueprint (the newest "
        "published version of its role), that blueprint's promotion criteria and career path (feeder roles, next "
        "roles, adjacent paths, how the role evolves)."
    ),
    responses={200: TrackSerializer(many=True), 401: UNAUTHENTICATED},
)
@extend_schema(
    methods=["POST"],
    summary="Add a track (HR)",
    request=TrackInputSerializer,
    responses={201: TrackSerializer, 400: BAD, 401: UNAUTHENTICATED, 403: HR_ONLY},
    examples=[OpenApiExample("A track", request_only=True, value={"name": "Engineering management"})],
)
@api_view(["GET", "POST"])
@answers_errors
def track_list(request: Request) -> Response:
    if request.method == "GET":
        return Response([track_data(row) for row in selectors.ladder_tracks()])
    _require_editor(request)
    serializer = TrackInputSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    track = services.ladder_track_create(actor=request.user, **serializer.validated_data)
    return Response(track_data(_track_row(track.pk)), status=201)


@extend_schema(
    methods=["GET"], summary="One track", responses={200: TrackSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND}
)
@extend_schema(
    methods=["PATCH"],
    summary="Rename or describe a track (HR)",
    request=TrackPatchSerializer,
    responses={200: TrackSerializer, 400: BAD, 401: UNAUTHENTICATED, 403: HR_ONLY, 404: NOT_FOUND},
)
@api_view(["GET", "PATCH"])
@answers_errors
def track_detail(request: Request, track_id: int) -> Response:
    row = _track_row(_id(track_id))
    if request.method == "GET":
        return Response(track_data(row))
    _require_editor(request)
    serializer = TrackPatchSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    if data:
        services.ladder_track_save(
            actor=request.user,
            track=row.track,
            name=data.get("name", row.track.name),
            description=data.get("description", row.track.description),
        )
    return Response(track_data(_track_row(row.track.pk)))


@extend_schema(
    summary="Add a level at the top of a track (HR)",
    request=LevelInputSerializer,
    responses={201: TrackSerializer, 400: BAD, 401: UNAUTHENTICATED, 403: HR_ONLY, 404: NOT_FOUND},
    examples=[
        OpenApiExample(
            "A linked level",
            request_only=True,
            value={"name": "Staff Software Engineer", "role": "staff-software-engineer"},
        )
    ],
)
@api_view(["POST"])
@answers_errors
def level_create(request: Request, track_id: int) -> Response:
    track = Track.objects.filter(pk=_id(track_id)).first()
    if track is None:
        raise Http404("No such track.")
    _require_editor(request)
    serializer = LevelInputSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    services.ladder_level_save(
        actor=request.user,
        track=track,
        name=data["name"],
        role=_role(data.get("role")),
        summary=data.get("summary", ""),
    )
    return Response(track_data(_track_row(track.pk)), status=201)


@extend_schema(
    methods=["GET"], summary="One level's track", responses={200: TrackSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND}
)
@extend_schema(
    methods=["PATCH"],
    summary="Rename, describe, link or move a level (HR)",
    description="Fields not sent keep their values; `position` moves the level, the others keep their order.",
    request=LevelPatchSerializer,
    responses={200: TrackSerializer, 400: BAD, 401: UNAUTHENTICATED, 403: HR_ONLY, 404: NOT_FOUND},
)
@api_view(["GET", "PATCH"])
@answers_errors
def level_detail(request: Request, level_id: int) -> Response:
    level = Level.objects.select_related("track", "role").filter(pk=_id(level_id)).first()
    if level is None:
        raise Http404("No such level.")
    if request.method == "GET":
        return Response(track_data(_track_row(level.track_id)))
    _require_editor(request)
    serializer = LevelPatchSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    if {"name", "role", "summary"} & set(data):
        level = services.ladder_level_save(
            actor=request.user,
            track=level.track,
            level=level,
            name=data.get("name", level.name),
            role=_role(data["role"]) if "role" in data else level.role,
            summary=data.get("summary", level.summary),
        )
    if "position" in data:
        services.ladder_level_move(actor=request.user, level=level, position=data["position"])
    return Response(track_data(_track_row(level.track_id)))


# --- Self-assessments -----------------------------------------------------------------------------


def _answer(assessment_id: int, status: int = 200) -> Response:
    loaded = selectors.with_rows(
        Assessment.objects.select_related("employee__user", "blueprint_version__role", "level", "next_level")
    ).get(pk=assessment_id)
    return Response(assessment_data(loaded), status=status)


@extend_schema(
    methods=["GET"],
    summary="Self-assessments: the caller's, or a person's",
    description=(
        "Without `employee`, the caller's own (drafts included), newest first. With `employee=USERNAME`, that "
        "person's submitted ones for their manager chain and HR (their own drafts too for the person); 404 for "
        "anyone else."
    ),
    parameters=[OpenApiParameter("employee", OpenApiTypes.STR, description="a username")],
    responses={200: AssessmentSerializer(many=True), 401: UNAUTHENTICATED, 404: NOT_FOUND},
)
@extend_schema(
    methods=["POST"],
    summary="Start a self-assessment (or get the draft in progress)",
    description=(
        "Against the newest published blueprint of the caller's role, with the promotion criteria of the next level "
        "of the ladder (its own blueprint's when that level has none). 201 when started, 200 with the draft the "
        "caller already has."
    ),
    request=None,
    responses={200: AssessmentSerializer, 201: AssessmentSerializer, 400: BAD, 401: UNAUTHENTICATED, 403: FORBIDDEN},
)
@api_view(["GET", "POST"])
@answers_errors
def assessment_list(request: Request) -> Response:
    if request.method == "POST":
        assessment, created = services.assessment_start(actor=request.user)
        return _answer(assessment.pk, status=201 if created else 200)
    username = request.query_params.get("employee", "").strip()
    me = access.viewer(request.user).employee
    if username:
        employee = access.get_employee_for_user(request.user, username)
        if not access.can_read_assessments(request.user, employee):
            raise Http404("No such person.")
    elif me is None:
        return Response([])
    else:
        employee = me
    own = access.relation_to(request.user, employee) is access.Relation.SELF
    rows = selectors.assessment_list(user=request.user, employee=employee, include_drafts=own)
    return Response([assessment_data(row) for row in rows])


@extend_schema(
    methods=["GET"],
    summary="One self-assessment, with where the person stands",
    description=(
        "Each skill's score, gap (max(0, 3 - score)) and weighted gap (critical 3, important 2, optional 1, expert 1); "
        "the weighted score; gaps by group and importance; the suggested readiness for the next level (a "
        "suggestion: the manager records the actual view); the manager views, newest first. A draft is its "
        "author's alone (403 to their readers)."
    ),
    responses={200: AssessmentSerializer, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
)
@extend_schema(
    methods=["PATCH"],
    summary="Answer skills and criteria of one's own draft",
    description=(
        "Skills and criteria not named keep their answers; all or nothing. Answers the assessment with its new "
        "`version`."
    ),
    request=AssessmentPatchSerializer,
    responses={200: AssessmentSerializer, 400: BAD, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND, 409: STALE},
    examples=[
        OpenApiExample(
            "Rate a skill with evidence",
            request_only=True,
            value={
                "version": 3,
                "skills": [
                    {
                        "skill": 12,
                        "score": 3,
                        "evidence": "Led the ledger split design review.",
                        "links": ["https://wiki.example.com/adr/42"],
                        "kpis": ["Change failure rate (DORA)"],
                    }
                ],
                "criteria": [{"criterion": 4, "status": "partly", "evidence": "Two-quarter roadmap for payments."}],
            },
        )
    ],
)
@api_view(["GET", "PATCH"])
@answers_errors
def assessment_detail(request: Request, assessment_id: int) -> Response:
    assessment = access.get_assessment_for_user(request.user, _id(assessment_id))
    if request.method == "GET":
        return _answer(assessment.pk)
    if not access.can_edit_assessment(request.user, assessment):
        raise PermissionDenied(
            "Only its author changes a self-assessment, while it is a draft."
            if assessment.is_draft
            else "This self-assessment is submitted: it can no longer be changed."
        )
    serializer = AssessmentPatchSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    services.assessment_save(
        actor=request.user,
        assessment=assessment,
        version=data["version"],
        skills=[
            services.SkillInput(
                skill=item["skill"],
                score=item.get("score"),
                clear_score="score" in item and item["score"] is None,
                evidence=item.get("evidence"),
                links=item.get("links"),
                kpis=item.get("kpis"),
            )
            for item in data.get("skills", [])
        ],
        criteria=[
            services.CriterionInput(
                criterion=item["criterion"], status=item.get("status"), evidence=item.get("evidence")
            )
            for item in data.get("criteria", [])
        ],
    )
    return _answer(assessment.pk)


@extend_schema(
    summary="Submit one's own draft",
    description=(
        "Needs every skill rated and every criterion answered (a 400 lists what is missing). The figures are "
        "frozen for the trend."
    ),
    request=LadderSubmitSerializer,
    responses={
        200: AssessmentSerializer,
        400: OpenApiResponse(
            field_errors_or("LadderSubmitRefused", LadderIncompleteSerializer),
            description="Skills or criteria unanswered (listed), or a bad `version` (field errors).",
        ),
        401: UNAUTHENTICATED,
        403: FORBIDDEN,
        404: NOT_FOUND,
        409: STALE,
    },
)
@api_view(["POST"])
@answers_errors
def assessment_submit(request: Request, assessment_id: int) -> Response:
    assessment = access.get_assessment_for_user(request.user, _id(assessment_id))
    serializer = LadderSubmitSerializer(data=request.data or {})
    serializer.is_valid(raise_exception=True)
    services.assessment_submit(
        actor=request.user, assessment=assessment, version=serializer.validated_data.get("version")
    )
    return _answer(assessment.pk)


@extend_schema(
    summary="Record the manager's view of a submitted self-assessment",
    description="The person's manager and those above them; each view is a new row (earlier ones are kept).",
    request=ManagerViewInputSerializer,
    responses={201: LadderManagerViewOutSerializer, 400: BAD, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
    examples=[
        OpenApiExample("A view", request_only=True, value={"readiness": "ready_soon", "comment": "One more quarter."})
    ],
)
@api_view(["POST"])
@answers_errors
def assessment_manager_view(request: Request, assessment_id: int) -> Response:
    assessment = access.get_assessment_for_user(request.user, _id(assessment_id))
    if not access.can_record_manager_view(request.user, assessment):
        raise PermissionDenied("Their manager and those above them record a view on a submitted self-assessment.")
    serializer = ManagerViewInputSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    view = services.manager_view_record(actor=request.user, assessment=assessment, **serializer.validated_data)
    return Response(
        {
            "manager": {"username": view.manager.user.username, "name": view.manager.name},
            "readiness": view.readiness,
            "comment": view.comment,
            "created_at": view.created_at,
        },
        status=201,
    )


@extend_schema(
    summary="Render a self-assessment as PDF",
    description="Anyone who may read the assessment; 202 with the job to poll at `GET /jobs/{id}/`.",
    request=None,
    responses={202: STARTED, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND, 503: QUEUE_UNAVAILABLE},
)
@api_view(["POST"])
@answers_errors
def assessment_pdf(request: Request, assessment_id: int) -> Response:
    assessment = access.get_assessment_for_user(request.user, _id(assessment_id))
    job, created = job_request(
        kind=Job.Kind.ASSESSMENT_PDF, requester=request.user, params={"assessment": assessment.pk}
    )
    return _started(request, job, created)
