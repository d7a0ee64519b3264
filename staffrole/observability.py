"""Request ids, JSON log lines and security events.

Every request carries an id (the caller's `X-Request-ID` when it is safe, otherwise a new one) that is
echoed in the response and written on every log line made while the request runs, so one line in a
proxy's log leads to everything the app logged for it. A Celery task published while a request runs
carries its id in the message headers, and every line the worker logs while running the task carries
that id with the task's name and id; a task published outside a request gets an id of its own.
Security events (logins, failed logins, lockouts, refused requests) go to the `staffrole.security`
logger with who, where and which request.
"""

import json
import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar, Token
from datetime import UTC, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse

REQUEST_ID_HEADER = "X-Request-ID"
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
REFUSED_STATUSES = frozenset({401, 403, 404, 429})
ROUTINE_EVENTS = frozenset({"auth.login", "auth.logout"})

# The message header a task's request id travels in.
TASK_REQUEST_ID_HEADER = "request_id"

current_request_id: ContextVar[str | None] = ContextVar("current_request_id", default=None)
# (task name, task id) while a Celery task runs in this process.
current_task: ContextVar[tuple[str, str] | None] = ContextVar("current_task", default=None)
security_log = logging.getLogger("staffrole.security")


def request_id_middleware(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """First in MIDDLEWARE: gives the request its id and answers with it."""

    def middleware(request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        # A caller's id goes into our logs verbatim, so only ids that cannot forge or break a line are kept.
        request_id = incoming if SAFE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = current_request_id.set(request_id)
        try:
            response = get_response(request)
        finally:
            current_request_id.reset(token)
        response[REQUEST_ID_HEADER] = request_id
        return response

    return middleware


def refused_requests_middleware(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """After AuthenticationMiddleware: every 401, 403, 404 and 429 answer becomes a `request.refused` event."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if response.status_code in REFUSED_STATUSES:
            security_event("request.refused", request=request, status=response.status_code)
        return response

    return middleware


def request_route(request: HttpRequest) -> str:
    """The URL pattern that answered (`people/<str:username>/`), or the path when none matched."""
    match = getattr(request, "resolver_match", None)
    if match is not None and match.route:
        return str(match.route)
    return str(getattr(request, "path", ""))


def security_event(event: str, *, request: HttpRequest | None, user: Any = None, **fields: Any) -> None:
    """Log one security event. `user` defaults to the request's user; anonymous callers log as null."""
    # DRF hands its own Request wrapper to authentication signals; the Django request underneath has it all.
    request = getattr(request, "_request", request)
    if user is None and request is not None:
        user = getattr(request, "user", None)
    username = user.get_username() if user is not None and getattr(user, "is_authenticated", False) else None
    data: dict[str, Any] = {
        "event": event,
        "user": username,
        "route": request_route(request) if request is not None else None,
        "method": getattr(request, "method", None),
        "ip": request.META.get("REMOTE_ADDR") if request is not None else None,
        "request_id": getattr(request, "request_id", None) or current_request_id.get(),
        **fields,
    }
    level = logging.INFO if event in ROUTINE_EVENTS else logging.WARNING
    security_log.log(level, event, extra=data)


def task_publish_tag(headers: dict[str, Any] | None = None, **kwargs: Any) -> None:
    """Celery's before_task_publish: the message carries the current request's id, or a new one."""
    if headers is not None and not headers.get(TASK_REQUEST_ID_HEADER):
        headers[TASK_REQUEST_ID_HEADER] = current_request_id.get() or uuid.uuid4().hex


_task_tokens: dict[str, tuple[Token[str | None], Token[tuple[str, str] | None]]] = {}


def task_context_enter(task_id: str | None = None, task: Any = None, **kwargs: Any) -> None:
    """Celery's task_prerun: the task's request id and name go on every line logged until it ends."""
    if task_id is None or task is None:
        return
    request = task.request
    incoming = getattr(request, TASK_REQUEST_ID_HEADER, None) or (request.headers or {}).get(TASK_REQUEST_ID_HEADER)
    if isinstance(incoming, str) and SAFE_REQUEST_ID.fullmatch(incoming):
        request_id = incoming
    else:
        # Run in place (eager, or called directly): the surrounding request's id, if any.
        request_id = current_request_id.get() or uuid.uuid4().hex
    _task_tokens[task_id] = (current_request_id.set(request_id), current_task.set((task.name, task_id)))


def task_context_exit(task_id: str | None = None, **kwargs: Any) -> None:
    """Celery's task_postrun: back to whatever ran before (nothing in a worker, the request when eager)."""
    tokens = _task_tokens.pop(task_id, None) if task_id is not None else None
    if tokens is not None:
        current_request_id.reset(tokens[0])
        current_task.reset(tokens[1])


class RequestIdFilter(logging.Filter):
    """Puts the current request's id (or None outside a request) on every record, and inside a Celery
    task the task's name and id."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = current_request_id.get()
        task = current_task.get()
        if task is not None and getattr(record, "task_id", None) is None:
            record.task_name, record.task_id = task
        return True


# Attributes every LogRecord has; anything else on a record came from `extra=` and is written out.
STANDARD_RECORD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "request_id",
    "taskName",
}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id and the record's extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or current_request_id.get(),
        }
        for key, value in vars(record).items():
            if key not in STANDARD_RECORD_ATTRIBUTES and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str)
