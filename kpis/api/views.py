"""Engineering events in: CI/CD and incident tools post batches of deployments and incidents.

The checking and writing are kpis.services'; a view checks who is calling, hands the parsed body
over and turns the service's refusals into 400/403/409.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework.decorators import api_view, parser_classes
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from kpis import services
from kpis.api.serializers import (
    DeploymentEventSerializer,
    IncidentEventSerializer,
    IngestErrorsSerializer,
    IngestResultSerializer,
)
from reviews.api.serializers import ErrorSerializer  # the API's one `{"detail"}` shape
from staffrole import access

FORBIDDEN_DETAIL = "Only HR and KPI ingest accounts can send engineering events."


def _ingest(
    request: Request, ingest: Callable[..., services.IngestResult], *, forbidden: str = FORBIDDEN_DETAIL
) -> Response:
    # Checked before the body is read, so a caller who may not send learns nothing from its checks.
    if not access.can_ingest_kpis(request.user):
        return Response({"detail": forbidden}, status=403)
    try:
        result = ingest(actor=request.user, items=request.data, source=request.path)
    except ParseError as exc:
        # A body that is not JSON is a batch refused as a whole: the documented shape, no item named.
        return Response({"detail": str(exc.detail), "errors": {}}, status=400)
    except services.IngestError as exc:
        errors = {str(index): problems for index, problems in exc.errors.items()}
        return Response({"detail": str(exc), "errors": errors}, status=400)
    except services.IngestConflict as exc:
        return Response({"detail": str(exc)}, status=409)
    except PermissionDenied as exc:
        return Response({"detail": str(exc) or forbidden}, status=403)
    return Response(result.counts())


RULES = (
    "The body is a JSON list (at most {max_items:,} items). Every field is required; strings are trimmed; "
    "dates and times are ISO 8601 **with a time zone** (`Z` or an offset; one without is refused). "
    "All or nothing: a 400 names every bad item by its index (from 0) with its problems by field, and nothing "
    "of the batch is written. Items are upserted by `{id_field}`: an item equal to what is stored changes "
    "nothing, so sending the same batch twice writes nothing the second time. Fields not listed are ignored. "
    "The answer is 200 with the counts whether or not anything was created. HR and members of the "
    "`KPI ingest` group may send."
)


def _responses(noun: str, example_errors: dict[str, Any]) -> dict[int, Any]:
    return {
        200: OpenApiResponse(IngestResultSerializer, description="Written: how many items were new, changed, equal."),
        400: OpenApiResponse(
            IngestErrorsSerializer,
            description="Nothing of the batch was written.",
            examples=[
                OpenApiExample(
                    "Bad items",
                    value={
                        "detail": "2 items of the batch have problems; nothing of this batch was written.",
                        "errors": example_errors,
                    },
                ),
                OpenApiExample(
                    "Not a list",
                    value={
                        "detail": f"Expected a JSON list of {noun}s, one object per {noun}; got an object.",
                        "errors": {},
                    },
                ),
            ],
        ),
        401: OpenApiResponse(ErrorSerializer, description="Not signed in."),
        403: OpenApiResponse(ErrorSerializer, description="Neither HR nor a KPI ingest account."),
        409: OpenApiResponse(ErrorSerializer, description="Other batches kept creating the same ids; send again."),
    }


@extend_schema(
    summary="Send deployments (upsert by deploy_id)",
    description=RULES.format(max_items=services.MAX_ITEMS, id_field="deploy_id")
    + " Commit times after the deployment are stored; DORA's lead time leaves them out.",
    request=DeploymentEventSerializer(many=True),
    responses=_responses(
        "deployment",
        {
            "0": {"team": ["Unknown team 'platfrom': no team has this slug."]},
            "3": {
                "deployed_at": [
                    "Needs a time zone (e.g. 2024-05-01T14:30:00Z or 2024-05-01T16:30:00+02:00); "
                    "'2024-05-01T14:30:00' has none."
                ]
            },
        },
    ),
)
@api_view(["POST"])
@parser_classes([JSONParser])
def deployments_ingest(request: Request) -> Response:
    return _ingest(request, services.deployments_ingest)


@extend_schema(
    summary="Send incidents (upsert by incident_id)",
    description=RULES.format(max_items=services.MAX_ITEMS, id_field="incident_id")
    + " `deploy_ids` may name deployments not sent yet.",
    request=IncidentEventSerializer(many=True),
    responses=_responses(
        "incident",
        {
            "1": {"resolved_at": ["An incident cannot be resolved before it started (started_at)."]},
            "2": {"incident_id": ["Duplicate incident_id 'INC-7': item 0 has it too."]},
        },
    ),
)
@api_view(["POST"])
@parser_classes([JSONParser])
def incidents_ingest(request: Request) -> Response:
    return _ingest(request, services.incidents_ingest)
