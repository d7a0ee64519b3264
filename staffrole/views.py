from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from staffrole import health
from staffrole.api import ERROR_DETAILS


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    from scorecards.selectors import role_list

    return render(request, "dashboard.html", {"roles": role_list(user=request.user)})


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks = health.check_all()
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ok" if healthy else "degraded", "checks": checks}, status=200 if healthy else 503)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": ERROR_DETAILS[404]}, status=404)
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": ERROR_DETAILS[500]}, status=500)
    # No request context: the database may be what failed.
    return HttpResponse(loader.get_template("500.html").render(), status=500)
