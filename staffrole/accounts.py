"""Accounts: the answer to a locked-out login, and absolute links for emails.

Repeated failed logins are counted by django-axes (docs/adr/0008-login-lockout-and-security-logs.md);
`lockout_response` is its AXES_LOCKOUT_CALLABLE.
"""

from datetime import timedelta
from typing import Any

from axes.helpers import get_cool_off
from django import template
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.request import Request
from rest_framework.response import Response

from audit.services import audit_record
from staffrole.observability import security_event

LOCKED_OUT_STATUS = 429


def lockout_minutes(request: HttpRequest | None = None) -> int:
    cool_off = get_cool_off(request) or timedelta(0)
    return max(1, round(cool_off.total_seconds() / 60))


def lockout_message(minutes: int) -> str:
    return (
        f"Too many failed log-in attempts for this account. For your security, logging in is paused: "
        f"try again in {minutes} minutes, or ask HR to unlock your account."
    )


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """JSON under /api/, the locked-out page elsewhere; 429 with Retry-After either way."""
    minutes = lockout_minutes(request)
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": lockout_message(minutes)}, status=LOCKED_OUT_STATUS)
    else:
        response = render(
            request,
            "registration/locked_out.html",
            {"minutes": minutes, "message": lockout_message(minutes)},
            status=LOCKED_OUT_STATUS,
        )
    response["Retry-After"] = str(minutes * 60)
    return response


def carry_lockout_to_django_request(sender: Any, request: Any, **kwargs: Any) -> None:
    """Receiver of axes' `user_locked_out`. DRF's token view hands authenticate() its own Request wrapper,
    and axes marks the lockout on that wrapper; AxesMiddleware reads the Django request underneath, so the
    mark is copied there and the token endpoint answers 429 like the log-in page."""
    django_request = getattr(request, "_request", None)
    if isinstance(django_request, HttpRequest):
        django_request.axes_locked_out = True  # type: ignore[attr-defined]
        django_request.axes_credentials = getattr(request, "axes_credentials", None)  # type: ignore[attr-defined]


register = template.Library()


@register.simple_tag
def absolute_url(view_name: str, *args: Any, **kwargs: Any) -> str:
    """`{% absolute_url 'password_reset_confirm' uidb64=uid token=token %}`: a link on SITE_URL, for emails,
    which are rendered without a request and must not trust the Host header of the one that sent them."""
    return settings.SITE_URL.rstrip("/") + reverse(view_name, args=args, kwargs=kwargs)


class TokenObtainView(ObtainAuthToken):
    """POST /api/v1/auth/token/: DRF's token exchange, with the issue logged and audited like a log-in."""

    @extend_schema(
        request=AuthTokenSerializer,
        responses={
            200: inline_serializer("AuthToken", {"token": serializers.CharField()}),
            400: OpenApiResponse(description="Missing fields, or a wrong username or password (field errors)."),
            429: OpenApiResponse(description="Too many failed log-ins for this account: paused (`detail`)."),
        },
        summary="Exchange a username and password for an API token",
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        token, _created = Token.objects.get_or_create(user=user)
        security_event("auth.token_issued", request=request, user=user)
        audit_record(actor=user, action="auth.token_issued", target=user)
        return Response({"token": token.key})
