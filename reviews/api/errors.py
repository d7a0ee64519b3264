"""How the review services' refusals read over the API, in one place.

Out of scope → 404; in scope but not for this role or state → 403; a stale version → 409 with the
current one; missing ratings → 400 naming them; bad values → 400 with field errors.
"""

import functools
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from rest_framework.request import Request
from rest_framework.response import Response

from reviews.services import ReviewConflict, ReviewIncomplete

View = Callable[..., Response]


def validation_body(exc: ValidationError) -> dict[str, Any]:
    if hasattr(exc, "error_dict"):
        return exc.message_dict
    return {"detail": " ".join(exc.messages)}


def answers_service_errors(view: View) -> View:
    @functools.wraps(view)
    def wrapper(request: Request, *args: Any, **kwargs: Any) -> Response:
        try:
            return view(request, *args, **kwargs)
        except ReviewConflict as exc:
            return Response({"detail": str(exc), "version": exc.current_version}, status=409)
        except ReviewIncomplete as exc:
            return Response({"detail": str(exc), "missing": exc.missing, "side": exc.side}, status=400)
        except ValidationError as exc:
            return Response(validation_body(exc), status=400)
        except PermissionDenied as exc:
            return Response({"detail": str(exc) or "You may not do this."}, status=403)
        except Http404 as exc:
            return Response({"detail": str(exc) or "Not found."}, status=404)

    return wrapper
