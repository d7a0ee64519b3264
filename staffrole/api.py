"""API-wide behaviour: every error is JSON, never an HTML page."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import PolymorphicProxySerializer, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        detail: Any = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(detail)
    return drf_exception_handler(exc, context)


ERROR_DETAILS = {404: "Not found.", 500: "Server error."}


def json_errors_middleware(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Under /api/, an error page that Django rendered as HTML (an unmatched URL, DEBUG's technical
    pages) becomes JSON, so API clients never have to parse HTML."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code >= 400
            and response.get("Content-Type", "").startswith("text/html")
        ):
            detail = ERROR_DETAILS.get(response.status_code, response.reason_phrase)
            return JsonResponse({"detail": detail}, status=response.status_code)
        return response

    return middleware


def list_or_page(name: str, item: type[serializers.Serializer]) -> PolymorphicProxySerializer:
    """The schema of a list that answers the whole list, or a LimitOffsetPagination page when `limit` is given."""
    page = inline_serializer(
        name=f"Paginated{name}List",
        fields={
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": item(many=True),
        },
    )
    return PolymorphicProxySerializer(
        component_name=f"{name}ListOrPage",
        serializers=[item(many=True), page],
        resource_type_field_name=None,
        many=False,
    )


class FieldErrorsSerializer(serializers.Serializer):
    """DRF's field errors, `{"field": ["problem", ...]}`, for the schema only."""


class FieldErrorsSchema(OpenApiSerializerExtension):
    target_class = FieldErrorsSerializer

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        return {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}


def field_errors_or(name: str, other: type[serializers.Serializer]) -> PolymorphicProxySerializer:
    """The schema of a 400 that is either `other` or field errors."""
    return PolymorphicProxySerializer(
        component_name=name, serializers=[other, FieldErrorsSerializer], resource_type_field_name=None, many=False
    )
