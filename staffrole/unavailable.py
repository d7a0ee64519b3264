"""503 answers while a service the request needs is down: the export queue (the broker) or the database.

A view that cannot hand an export to the queue (jobs.services.JobQueueUnavailable), or cannot reach the
database, answers 503 with Retry-After and a message that names what is down: JSON in the API's error
shape under /api/, the message partial to htmx, otherwise a stand-alone page that needs no database.
Never a 500 or a traceback. See docs/adr/0022-service-failures.md.
"""

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader

from jobs.services import MESSAGE_QUEUE_UNAVAILABLE, QUEUE_RETRY_AFTER_SECONDS, JobQueueUnavailable

logger = logging.getLogger(__name__)

# What a lost or refused database connection raises (psycopg's and sqlite3's, as Django wraps them).
DATABASE_ERRORS = (OperationalError, InterfaceError)
MESSAGE_DATABASE_UNAVAILABLE = "The database is unavailable. Try again in a minute."
DATABASE_RETRY_AFTER_SECONDS = 30
# htmx leaves an error answer out of the page; static/js/app.js swaps in one that carries this header.
SWAP_HEADER = "X-Swap-Error"


def unavailable_response(
    request: HttpRequest, *, service: str, title: str, message: str, retry_after: int, swap: bool
) -> HttpResponse:
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=503)
    else:
        # Rendered without the request: its context processors would ask the database for the user.
        context = {"service": service, "title": title, "message": message}
        htmx = bool(getattr(request, "htmx", False))
        html = loader.render_to_string("_unavailable.html" if htmx else "503.html", context)
        response = HttpResponse(html, status=503)
        if htmx and swap:
            response[SWAP_HEADER] = "true"
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    # Logged once, as its own event, above: not again as django.request's "Service Unavailable" error.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


def queue_unavailable(request: HttpRequest) -> HttpResponse:
    return unavailable_response(
        request,
        service="queue",
        title="Exports are paused",
        message=MESSAGE_QUEUE_UNAVAILABLE,
        retry_after=QUEUE_RETRY_AFTER_SECONDS,
        swap=True,
    )


def database_unavailable(request: HttpRequest, exc: BaseException) -> HttpResponse:
    logger.warning(
        "The database is unavailable: %s",
        str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__,
        extra={"event": "database.unavailable", "error": type(exc).__name__, "path": request.path},
    )
    # Not swapped into htmx targets: an autosaving field keeps what was typed, and the page's banner shows.
    return unavailable_response(
        request,
        service="database",
        title="The database is unavailable",
        message=MESSAGE_DATABASE_UNAVAILABLE,
        retry_after=DATABASE_RETRY_AFTER_SECONDS,
        swap=False,
    )


class ServiceUnavailableMiddleware:
    """Turns a view's JobQueueUnavailable or database connection error into the 503 answer.

    Errors raised outside views (in another middleware) reach handler500, which answers the same way
    for the database (staffrole.views.server_error)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, JobQueueUnavailable):
            return queue_unavailable(request)
        if isinstance(exception, DATABASE_ERRORS):
            return database_unavailable(request, exception)
        return None
