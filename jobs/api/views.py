from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from jobs.api.serializers import JobSerializer
from jobs.views import result_response
from staffrole.access import get_job_for_user


@extend_schema(
    responses={200: JobSerializer, 404: OpenApiResponse(description="No such job, or not the caller's.")},
    summary="A background job's state and progress",
    description="Only the job's requester and HR see a job; poll until `state` is succeeded or failed.",
)
@api_view(["GET"])
def job_detail(request: Request, job_id: str) -> Response:
    job = get_job_for_user(request.user, job_id)
    return Response(JobSerializer(job, context={"request": request}).data)


@extend_schema(
    responses={
        (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description="The file: PDF or ZIP."),
        404: OpenApiResponse(description="No such job or not the caller's, no file yet, or the file expired."),
    },
    summary="Download a finished job's file",
    description="The job's requester and HR; the same file as the job page's download link.",
)
@api_view(["GET"])
def job_download(request: Request, job_id: str) -> FileResponse:
    return result_response(get_job_for_user(request.user, job_id))
