"""Logins, logouts, failed logins and lockouts become security events (and audit entries for people).

Connected in OrgConfig.ready(). Refused requests are logged by
staffrole.observability.refused_requests_middleware.
"""

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from audit.services import audit_record
from staffrole.accounts import carry_lockout_to_django_request
from staffrole.observability import security_event

USERNAME_LOG_LENGTH = 150


@receiver(user_logged_in, dispatch_uid="staffrole.auth.login")
def log_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    security_event("auth.login", request=request, user=user)
    # Only sign-ins through the site are audited: a session opened in code (the test client's
    # force_login, a shell) has no request that went through the middleware, so no request id.
    if request is not None and getattr(request, "request_id", None):
        audit_record(actor=user, action="auth.login", target=user)


@receiver(user_logged_out, dispatch_uid="staffrole.auth.logout")
def log_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    security_event("auth.logout", request=request, user=user)


@receiver(user_login_failed, dispatch_uid="staffrole.auth.login_failed")
def log_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Django has already masked the password in `credentials`; only the username is ever read.
    username = str(credentials.get("username") or "")[:USERNAME_LOG_LENGTH]
    security_event("auth.login_failed", request=request, username=username)
    person = get_user_model().objects.filter(username=username).first() if username else None
    if person is not None:
        audit_record(actor=None, action="auth.login_failed", target=person)


@receiver(user_locked_out, dispatch_uid="staffrole.auth.locked_out")
def log_locked_out(sender: Any, request: Any, username: str | None = None, **kwargs: Any) -> None:
    security_event("auth.locked_out", request=request, username=str(username or "")[:USERNAME_LOG_LENGTH])


user_locked_out.connect(carry_lockout_to_django_request, dispatch_uid="staffrole.auth.locked_out_api")
