"""API-wide behaviour: every error is JSON, never an HTML page."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from rest_framework import exceptions
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
