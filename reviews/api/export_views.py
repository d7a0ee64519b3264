"""Starting the PDF exports over the API: a review's packet, a cycle's calibration pack, a ZIP of every
packet. Each answers 202 with the job to poll at `GET /jobs/{id}/`; the same request while its job is
queued or running answers that job again."""

from typing import Any

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from jobs.models import Job
from jobs.services import job_request
from reviews.api.errors import answers_service_errors
from reviews.api.serializers import ErrorSerializer
from reviews.calibration import CalibrationFilters
from reviews.export_views import cycle_for_export
from staffrole import access

JobStartedSerializer = inline_serializer(
    name="JobStarted",
    fields={
        "job_id": serializers.UUIDField(help_text="Poll GET /api/v1/jobs/{job_id}/ until it succeeded or failed."),
        "state": serializers.ChoiceField(choices=Job.State.choices),
        "created": serializers.BooleanField(help_text="False: the same export was already running; this is that job."),
        "job_url": serializers.URLField(),
    },
)
GroupSerializer = inline_serializer(
    name="CalibrationGroup",
    fields={
        "team": serializers.IntegerField(required=False, help_text="A team id: only its members."),
        "manager": serializers.IntegerField(required=False, help_text="A reviewer's employee id: only their reviews."),
        "level": serializers.CharField(required=False),
        "state": serializers.CharField(required=False, help_text="A review state."),
        "sort": serializers.CharField(required=False, help_text="The order of the people, as on the page."),
    },
)
STARTED = OpenApiResponse(JobStartedSerializer, description="The job that renders the file.")
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such review or cycle, or not one the caller may open.")
FORBIDDEN = OpenApiResponse(ErrorSerializer, description="Not HR.")
BAD_GROUP = OpenApiResponse(description="A filter that names no team, manager, level, state or sort (field errors).")
UNAUTHENTICATED = OpenApiResponse(description="Not signed in.")
QUEUE_UNAVAILABLE = OpenApiResponse(
    ErrorSerializer,
    description="The export queue is unavailable: ask again after the Retry-After header's seconds. "
    "The job is kept as failed with this reason.",
)
CYCLE_EXPORT_RESPONSES = {
    202: STARTED,
    400: BAD_GROUP,
    401: UNAUTHENTICATED,
    403: FORBIDDEN,
    404: NOT_FOUND,
    503: QUEUE_UNAVAILABLE,
}


def _started(request: Request, job: Job, created: bool) -> Response:
    return Response(
        {
            "job_id": str(job.pk),
            "state": job.state,
            "created": created,
            "job_url": reverse("api-job-detail", args=[job.pk], request=request),
        },
        status=202,
    )


def group_filters(data: Any) -> dict[str, Any]:
    if data in (None, ""):
        data = {}
    if not hasattr(data, "items"):
        raise serializers.ValidationError({"detail": "Send the group as a JSON object, or no body for everyone."})
    values = {key: str(value) for key, value in data.items() if value not in (None, "")}
    filters, problems = CalibrationFilters.from_query(values)
    if problems:
        raise serializers.ValidationError(problems)
    return filters.as_query()


def _cycle_export(request: Request, cycle_id: int, kind: str) -> Response:
    cycle = cycle_for_export(request.user, cycle_id)
    params = {"cycle": cycle.pk, "filters": group_filters(request.data)}
    job, created = job_request(kind=kind, requester=request.user, params=params)
    return _started(request, job, created)


@extend_schema(
    summary="Render a review's packet PDF",
    description=(
        "Anyone who may open the review. The packet holds what the caller may see of the review now: the "
        "cover, the role's expectations, the scorecard with the weighted score explained, KPI trends, peer "
        "feedback as the caller may read it, comments and the acknowledgement."
    ),
    request=None,
    responses={202: STARTED, 401: UNAUTHENTICATED, 404: NOT_FOUND, 503: QUEUE_UNAVAILABLE},
)
@api_view(["POST"])
@answers_service_errors
def review_packet(request: Request, review_id: int) -> Response:
    review = access.get_review_for_user(request.user, review_id)
    job, created = job_request(kind=Job.Kind.REVIEW_PACKET, requester=request.user, params={"review": review.pk})
    return _started(request, job, created)


@extend_schema(
    summary="Render a cycle's calibration pack PDF (HR)",
    description=(
        "Summary figures, distributions, the per-manager table, every adjustment with its justification, "
        "then one condensed page per person. An optional body narrows the group like the calibration page's "
        "filters. Large packs are rendered in parts by several workers; `progress` counts the people rendered."
    ),
    request=GroupSerializer,
    responses=CYCLE_EXPORT_RESPONSES,
    examples=[OpenApiExample("One team", request_only=True, value={"team": 2, "sort": "-manager_score"})],
)
@api_view(["POST"])
@answers_service_errors
def calibration_export(request: Request, cycle_id: int) -> Response:
    return _cycle_export(request, cycle_id, Job.Kind.CALIBRATION_PACK)


@extend_schema(
    summary="Render every review packet of a cycle as one ZIP (HR)",
    description="One packet PDF per person of the group (the same optional filters as the calibration pack).",
    request=GroupSerializer,
    responses=CYCLE_EXPORT_RESPONSES,
)
@api_view(["POST"])
@answers_service_errors
def review_packets_export(request: Request, cycle_id: int) -> Response:
    return _cycle_export(request, cycle_id, Job.Kind.REVIEW_PACKETS_ZIP)
