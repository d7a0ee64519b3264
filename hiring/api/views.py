"""The hiring endpoints: openings, candidates (with their loop and the scorecards the caller may see),
scorecard submission, the debrief and its decision, the debrief PDF, interviewer calibration.

Every object is fetched through staffrole.access: outside the hiring team 404, in the team but not
allowed 403. Writes go through hiring.services.
"""

from dataclasses import asdict
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from hiring import selectors, services
from hiring.api.serializers import (
    HiringCalibrationSerializer,
    HiringCandidateInputSerializer,
    HiringCandidateSerializer,
    HiringDebriefSerializer,
    HiringDecisionInputSerializer,
    HiringDecisionSerializer,
    HiringDraftInputSerializer,
    HiringDraftSerializer,
    HiringInterviewInputSerializer,
    HiringInterviewSerializer,
    HiringInterviewUpdateSerializer,
    HiringOpeningInputSerializer,
    HiringOpeningSerializer,
    HiringOpeningStateInputSerializer,
    HiringScorecardInputSerializer,
    HiringScorecardSerializer,
    HiringStageInputSerializer,
    HiringStageSerializer,
    candidate_data,
    debrief_data,
    draft_data,
    interview_data,
    opening_data,
    scorecard_data,
)
from jobs.models import Job
from jobs.services import job_request
from org.models import Employee
from reviews.api.errors import answers_service_errors
from reviews.api.export_views import QUEUE_UNAVAILABLE, STARTED, _started
from reviews.api.serializers import ErrorSerializer
from scorecards.models import BlueprintVersion
from staffrole import access

NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such thing, or not one of the caller's hiring team.")
FORBIDDEN = OpenApiResponse(ErrorSerializer, description="In the hiring team, but not for this role.")
UNAUTHENTICATED = OpenApiResponse(ErrorSerializer, description="Not signed in.")
BAD = OpenApiResponse(description="Field errors; nothing changed.")


def _debrief_candidate(request: Request, candidate_id: int) -> Any:
    candidate = access.get_candidate_for_user(request.user, candidate_id)
    if not access.is_hiring_manager(request.user, candidate.opening):
        raise PermissionDenied("The debrief is the hiring manager's and HR's.")
    return candidate


def _employee(username: str, field: str) -> Employee:
    employee = Employee.objects.select_related("user").filter(user__username=username, active=True).first()
    if employee is None:
        raise ValidationError({field: [f"No active person is called {username!r}."]})
    return employee


@extend_schema(
    methods=["GET"],
    summary="Openings the caller may see",
    description="HR sees every opening; everyone else the openings whose hiring team they are on.",
    responses={200: HiringOpeningSerializer(many=True), 401: UNAUTHENTICATED},
)
@extend_schema(
    methods=["POST"],
    summary="Open an opening (HR, people managers)",
    description=(
        "Pins the role's newest published blueprint version. HR names any active hiring manager; a people manager "
        "(someone with an active direct report) opens it as its own hiring manager."
    ),
    request=HiringOpeningInputSerializer,
    responses={201: HiringOpeningSerializer, 400: BAD, 401: UNAUTHENTICATED, 403: FORBIDDEN},
)
@api_view(["GET", "POST"])
@answers_service_errors
def opening_list(request: Request) -> Response:
    if request.method == "GET":
        return Response([opening_data(o) for o in selectors.openings_for(request.user)])
    if not access.can_manage_openings(request.user):
        raise PermissionDenied("HR and people managers open openings.")
    serializer = HiringOpeningInputSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    version = BlueprintVersion.objects.filter(role__slug=data["role"], status="published").order_by("-number").first()
    if version is None:
        raise ValidationError({"role": [f"No published blueprint for {data['role']!r}."]})
    opening = services.opening_create(
        actor=request.user,
        version=version,
        title=data["title"],
        hiring_manager=_employee(data["hiring_manager"], "hiring_manager"),
        members=[_employee(name, "members") for name in data.get("members", [])],
    )
    opening = access.get_opening_for_user(request.user, opening.pk)
    return Response(opening_data(opening, candidates=[]), status=201)


@extend_schema(
    summary="An opening with its candidates",
    responses={200: HiringOpeningSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
)
@api_view(["GET"])
@answers_service_errors
def opening_detail(request: Request, opening_id: int) -> Response:
    opening = access.get_opening_for_user(request.user, opening_id)
    return Response(opening_data(opening, candidates=selectors.opening_candidates(opening)))


@extend_schema(
    summary="Add a candidate (the hiring manager, HR)",
    description="A closed opening refuses new candidates (403 naming why).",
    request=HiringCandidateInputSerializer,
    responses={201: HiringCandidateSerializer, 400: BAD, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
)
@api_view(["POST"])
@answers_service_errors
def candidate_create(request: Request, opening_id: int) -> Response:
    opening = _managed_opening(request, opening_id, "The hiring manager and HR add candidates.")
    serializer = HiringCandidateInputSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    candidate = services.candidate_add(actor=request.user, opening=opening, **serializer.validated_data)
    candidate = access.get_candidate_for_user(request.user, candidate.pk)
    return Response(candidate_data(candidate, selectors.candidate_loop(user=request.user, candidate=candidate)), 201)


@extend_schema(
    summary="A candidate with their loop",
    description=(
        "Each interview with its focus dimensions and a panel entry per interviewer with their current scorecard. "
        "Another interviewer's scorecard is `null` with `scorecard_hidden` true until the caller has submitted "
        "all their own on this candidate (the hiring manager and HR see every submitted one). Drafts are never "
        "shown, except the time of the caller's own (`draft_saved_at`)."
    ),
    responses={200: HiringCandidateSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
)
@api_view(["GET"])
@answers_service_errors
def candidate_detail(request: Request, candidate_id: int) -> Response:
    candidate = access.get_candidate_for_user(request.user, candidate_id)
    return Response(candidate_data(candidate, selectors.candidate_loop(user=request.user, candidate=candidate)))


@extend_schema(
    summary="Add an interview to a candidate's loop (the hiring manager, HR)",
    description=(
        "One of the blueprint's practical exercises, its interviewers (any number, none yet included) and the "
        "dimensions it focuses on. A closed opening refuses it (403)."
    ),
    request=HiringInterviewInputSerializer,
    responses={201: HiringInterviewSerializer, 400: BAD, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
)
@api_view(["POST"])
@answers_service_errors
def interview_create(request: Request, candidate_id: int) -> Response:
    candidate = access.get_candidate_for_user(request.user, candidate_id)
    if not access.is_hiring_manager(request.user, candidate.opening):
        raise PermissionDenied("The hiring manager and HR build the loop.")
    serializer = HiringInterviewInputSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    usernames = list(data.get("interviewers", []))
    if data.get("interviewer"):
        usernames.append(data["interviewer"])
    interview = services.interview_add(
        actor=request.user,
        candidate=candidate,
        exercise=data["exercise"],
        interviewers=_people(usernames, "interviewers"),
        focus=data["focus"],
        scheduled_at=data.get("scheduled_at"),
    )
    return Response(interview_data(interview), status=201)


def _people(usernames: list[str], field: str) -> list[Employee]:
    return [_employee(name, field) for name in dict.fromkeys(usernames)]


def _managed_opening(request: Request, opening_id: int, refusal: str) -> Any:
    opening = access.get_opening_for_user(request.user, opening_id)
    if not access.is_hiring_manager(request.user, opening):
        raise PermissionDenied(refusal)
    return opening


def _managed_candidate(request: Request, candidate_id: int) -> Any:
    candidate = access.get_candidate_for_user(request.user, candidate_id)
    if not access.is_hiring_manager(request.user, candidate.opening):
        raise PermissionDenied("The hiring manager and HR manage the candidate and the loop.")
    return candidate


@extend_schema(
    summary="Close or reopen an opening (the hiring manager, HR)",
    description="A closed opening takes no new candidates or interviews (403 naming why); audited with the reason.",
    request=HiringOpeningStateInputSerializer,
    responses={200: HiringOpeningSerializer, 400: BAD, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
)
@api_view(["POST"])
@answers_service_errors
def opening_state(request: Request, opening_id: int) -> Response:
    opening = _managed_opening(request, opening_id, "The hiring manager and HR close and reopen the opening.")
    serializer = HiringOpeningStateInputSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    services.opening_set_state(actor=request.user, opening=opening, **serializer.validated_data)
    opening = access.get_opening_for_user(request.user, opening.pk)
    return Response(opening_data(opening, candidates=selectors.opening_candidates(opening)))


@extend_schema(
    summary="Move a candidate to another stage (the hiring manager, HR)",
    description=(
        "applied -> screen -> onsite -> offer -> hired, one step at a time; anyone not hired may be rejected; an "
        "offer may go back to onsite; a rejected candidate may go back to applied; hired is final. Rejecting and "
        "reconsidering need a reason. Another move is a 400 naming the allowed ones. Audited."
    ),
    request=HiringStageInputSerializer,
    responses={200: HiringStageSerializer, 400: BAD, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
)
@api_view(["POST"])
@answers_service_errors
def candidate_stage(request: Request, candidate_id: int) -> Response:
    candidate = _managed_candidate(request, candidate_id)
    serializer = HiringStageInputSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    moved = services.candidate_move(actor=request.user, candidate=candidate, **serializer.validated_data)
    return Response(
        {"id": moved.pk, "stage": moved.stage, "next_stages": [s for s, _ in services.stage_choices(moved)]}
    )


@extend_schema(
    summary="Create the default loop from the blueprint (the hiring manager, HR)",
    description=(
        "One interview per practical exercise of the pinned blueprint that the loop lacks, each with a suggested "
        "focus and no interviewer yet (assign them with PATCH /hiring/interviews/{id}/)."
    ),
    request=None,
    responses={
        201: HiringInterviewSerializer(many=True),
        400: BAD,
        401: UNAUTHENTICATED,
        403: FORBIDDEN,
        404: NOT_FOUND,
    },
)
@api_view(["POST"])
@answers_service_errors
def loop_default(request: Request, candidate_id: int) -> Response:
    candidate = _managed_candidate(request, candidate_id)
    created = services.loop_create_default(actor=request.user, candidate=candidate)
    return Response([interview_data(i) for i in created], status=201)


@extend_schema(
    methods=["GET"],
    summary="An interview of a loop",
    responses={200: HiringInterviewSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
)
@extend_schema(
    methods=["PATCH"],
    summary="Change an interview's interviewers, focus or time (the hiring manager, HR)",
    description=(
        "Someone who submitted a scorecard for it stays on it, and its focus is fixed once a scorecard is in (400)."
    ),
    request=HiringInterviewUpdateSerializer,
    responses={200: HiringInterviewSerializer, 400: BAD, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
)
@extend_schema(
    methods=["DELETE"],
    summary="Remove an interview from the loop (the hiring manager, HR)",
    description="Refused (400) once a scorecard is submitted for it: it stays as evidence.",
    responses={204: None, 400: BAD, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
)
@api_view(["GET", "PATCH", "DELETE"])
@answers_service_errors
def interview_detail(request: Request, interview_id: int) -> Response:
    interview = access.get_interview_for_user(request.user, interview_id)
    if request.method == "GET":
        return Response(interview_data(interview))
    if not access.is_hiring_manager(request.user, interview.candidate.opening):
        raise PermissionDenied("The hiring manager and HR build the loop.")
    if request.method == "DELETE":
        services.interview_remove(actor=request.user, interview=interview)
        return Response(status=204)
    serializer = HiringInterviewUpdateSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    services.interview_update(
        actor=request.user,
        interview=interview,
        interviewers=(
            _people(data["interviewers"], "interviewers")
            if "interviewers" in data
            else list(interview.interviewers.all())
        ),
        focus=data["focus"] if "focus" in data else [d.name for d in interview.focus.all()],
        scheduled_at=data.get("scheduled_at", interview.scheduled_at),
    )
    return Response(interview_data(access.get_interview_for_user(request.user, interview.pk)))


@extend_schema(
    methods=["GET"],
    summary="Your draft scorecard for an interview",
    description="Only your own draft: nobody else (HR included) reads it. 404 when you have none.",
    responses={200: HiringDraftSerializer, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
)
@extend_schema(
    methods=["PUT"],
    summary="Save your draft scorecard for an interview",
    description=(
        "Replaces your draft. Anything may still be blank; values given must be valid. A draft is never in the "
        "debrief or calibration and never reveals the others' scorecards. Submit with POST .../scorecard/."
    ),
    request=HiringDraftInputSerializer,
    responses={200: HiringDraftSerializer, 400: BAD, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
)
@extend_schema(
    methods=["DELETE"],
    summary="Discard your draft scorecard",
    responses={204: None, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
)
@api_view(["GET", "PUT", "DELETE"])
@answers_service_errors
def scorecard_draft(request: Request, interview_id: int) -> Response:
    interview = access.get_interview_for_user(request.user, interview_id, write=True)
    if request.method == "GET":
        draft = services.draft_of(request.user, interview)
        if draft is None:
            return Response({"detail": "You have no draft for this interview."}, status=404)
        return Response(draft_data(draft))
    if request.method == "DELETE":
        if not services.scorecard_draft_discard(actor=request.user, interview=interview):
            return Response({"detail": "You have no draft for this interview."}, status=404)
        return Response(status=204)
    serializer = HiringDraftInputSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    draft = services.scorecard_draft_save(
        actor=request.user,
        interview=interview,
        recommendation=data.get("recommendation", ""),
        ratings=[services.RatingInput(**{"rating": "", **r}) for r in data.get("ratings", [])],
        signals=[services.SignalInput(**sig) for sig in data.get("signals", [])],
        notes=data.get("notes", ""),
        amend_reason=data.get("amend_reason", ""),
        based_on=data.get("based_on"),
        check_based_on="based_on" in data,
    )
    return Response(draft_data(draft))


@extend_schema(
    summary="Submit (or amend) one's scorecard for an interview",
    description=(
        "Only the interview's interviewers, each their own scorecard. A submitted scorecard never changes: "
        "submitting again is an amendment (a new scorecard naming the one it replaces) and needs `amend_reason`. "
        "Submitting deletes your draft."
    ),
    request=HiringScorecardInputSerializer,
    responses={201: HiringScorecardSerializer, 400: BAD, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
)
@api_view(["POST"])
@answers_service_errors
def scorecard_submit(request: Request, interview_id: int) -> Response:
    interview = access.get_interview_for_user(request.user, interview_id, write=True)
    serializer = HiringScorecardInputSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    card = services.scorecard_submit(
        actor=request.user,
        interview=interview,
        recommendation=data["recommendation"],
        ratings=[services.RatingInput(**r) for r in data["ratings"]],
        signals=[services.SignalInput(**s) for s in data.get("signals", [])],
        notes=data.get("notes", ""),
        amend_reason=data.get("amend_reason", ""),
    )
    return Response(scorecard_data(card), status=201)


@extend_schema(
    summary="The debrief (the hiring manager, HR)",
    description=(
        "The loop's weighted score (points: strong no 1, no 2, yes 3, strong yes 4; no-decision left out; weights "
        "renormalised over the covered dimensions, as `renormalised` says), the dimensions nobody assessed, "
        "the dimensions where ratings split, red flags, and the decisions so far (newest first)."
    ),
    responses={200: HiringDebriefSerializer, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
)
@api_view(["GET"])
@answers_service_errors
def debrief(request: Request, candidate_id: int) -> Response:
    candidate = _debrief_candidate(request, candidate_id)
    return Response(debrief_data(candidate, selectors.candidate_debrief(candidate)))


@extend_schema(
    summary="Record the decision (the hiring manager, HR)",
    request=HiringDecisionInputSerializer,
    responses={201: HiringDecisionSerializer, 400: BAD, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
)
@api_view(["POST"])
@answers_service_errors
def decision_create(request: Request, candidate_id: int) -> Response:
    candidate = _debrief_candidate(request, candidate_id)
    serializer = HiringDecisionInputSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    decision = services.decision_record(actor=request.user, candidate=candidate, **serializer.validated_data)
    return Response(
        {
            "outcome": decision.outcome,
            "reason": decision.reason,
            "decided_by": request.user.get_username(),
            "decided_at": decision.decided_at,
        },
        status=201,
    )


@extend_schema(
    summary="Export the debrief as PDF (the hiring manager, HR)",
    request=None,
    responses={202: STARTED, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND, 503: QUEUE_UNAVAILABLE},
)
@api_view(["POST"])
@answers_service_errors
def debrief_pdf(request: Request, candidate_id: int) -> Response:
    candidate = _debrief_candidate(request, candidate_id)
    job, created = job_request(
        kind=Job.Kind.HIRING_DEBRIEF_PDF, requester=request.user, params={"candidate": candidate.pk}
    )
    return _started(request, job, created)


@extend_schema(
    summary="Interviewer calibration (HR, hiring managers)",
    description=(
        "Per interviewer: scorecards, rating distribution, no-decision rate, how often the focus dimensions were "
        "filled in, and leniency (mean points minus the rest of the panel's on the same candidates)."
    ),
    responses={200: HiringCalibrationSerializer(many=True), 401: UNAUTHENTICATED, 403: FORBIDDEN},
)
@api_view(["GET"])
@answers_service_errors
def calibration(request: Request) -> Response:
    if not access.can_view_interviewer_calibration(request.user):
        raise PermissionDenied("Interviewer calibration is for HR and hiring managers.")
    return Response([asdict(figures) for figures in selectors.interviewer_calibration(request.user)])
