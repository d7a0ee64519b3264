from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view, parser_classes
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from org import importer, services
from org.api.parsers import CsvParser
from org.importer import RowError, problems_message, size_limit
from staffrole import access

FLAGS = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}


class OrgImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The org CSV (UTF-8).")


class OrgImportResultSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    deactivated = serializers.IntegerField()
    reactivated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    teams_created = serializers.IntegerField()
    warnings = serializers.ListField(child=serializers.CharField())


class OrgImportProblemSerializer(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True, help_text="1 is the header; null for the file as a whole")
    column = serializers.CharField(allow_null=True)
    value = serializers.CharField(allow_blank=True)
    reason = serializers.CharField()


OrgImportErrorSerializer = inline_serializer(
    name="OrgImportErrors",
    fields={"detail": serializers.CharField(), "errors": OrgImportProblemSerializer(many=True, required=False)},
)


def _flag(request: Request, name: str, default: bool) -> bool | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    return FLAGS.get(raw.lower())


def _problems(errors: list[RowError]) -> Response:
    return Response(
        {"detail": problems_message(len(errors)), "errors": [error.as_dict() for error in errors]}, status=400
    )


@extend_schema(
    summary="Import the organisation from a CSV (HR)",
    description=(
        "Columns: `username,email,name,title,role,level,team,manager,start_date` (`role` a blueprint slug, "
        "`manager` a username or empty for the top, `start_date` YYYY-MM-DD). Send the file as the multipart "
        "field `file` or as a `text/csv` body. All or nothing: a 400 lists every problem with its row (the header "
        "is row 1), column and reason, and nothing is written. By default the file is the whole organisation: "
        "employees missing from it are deactivated. Importing the same file again changes nothing. New people "
        "are emailed a link to choose their password."
    ),
    request={"multipart/form-data": OrgImportUploadSerializer, "text/csv": OpenApiTypes.BINARY},
    parameters=[
        OpenApiParameter("dry_run", OpenApiTypes.BOOL, description="1: check and count only, write nothing"),
        OpenApiParameter(
            "deactivate_missing", OpenApiTypes.BOOL, description="0: keep employees missing from the file (default 1)"
        ),
        OpenApiParameter("invite", OpenApiTypes.BOOL, description="0: do not email new people (default 1)"),
    ],
    responses={
        200: OrgImportResultSerializer,
        400: OpenApiResponse(
            OrgImportErrorSerializer,
            description="Nothing was imported",
            examples=[
                OpenApiExample(
                    "Bad rows",
                    value={
                        "detail": "The file has 2 problems; nothing was imported.",
                        "errors": [
                            {"row": 4, "column": "manager", "value": "mia", "reason": "unknown manager 'mia'"},
                            {"row": 7, "column": "start_date", "value": "2024-02-30", "reason": "not a real date"},
                        ],
                    },
                )
            ],
        ),
        401: OpenApiResponse(description="Not signed in"),
        403: OpenApiResponse(description="Not HR"),
    },
)
@api_view(["POST"])
@parser_classes([MultiPartParser, CsvParser])
def org_import(request: Request) -> Response:
    if not access.can_import_org(request.user):
        return Response({"detail": "Only HR can import the organisation."}, status=403)
    options: dict[str, Any] = {}
    for name, default in (("dry_run", False), ("deactivate_missing", True), ("invite", True)):
        value = _flag(request, name, default)
        if value is None:
            return Response(
                {"detail": f"Nothing was imported: {name} is 1 or 0.", name: ["Expected 1 or 0."]}, status=400
            )
        options[name] = value

    if request.content_type.split(";")[0].strip().lower() == CsvParser.media_type:
        data = request.data
        content, source_name = (data if isinstance(data, bytes) else b""), "request body"
    else:
        upload = request.FILES.get("file")
        if upload is None:
            return Response(
                {"detail": "Send the CSV as the multipart field `file`, or as a body with Content-Type text/csv."},
                status=400,
            )
        if upload.size is not None and upload.size > importer.MAX_BYTES:
            return _problems([RowError(None, None, "", f"the file is larger than {size_limit()}")])
        content, source_name = upload.read(), upload.name or "upload.csv"

    try:
        result = services.org_import(
            actor=request.user,
            content=content,
            source_name=source_name,
            deactivate_missing=options["deactivate_missing"],
            dry_run=options["dry_run"],
            send_invites=options["invite"],
        )
    except services.OrgImportError as exc:
        return _problems(exc.errors)
    return Response({"dry_run": result.dry_run, **result.counts(), "warnings": result.plan.warnings})
