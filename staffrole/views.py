from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from staffrole import access, health
from staffrole.api import ERROR_DETAILS


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Each person's starting point: their own record, their team if they manage one, their
    organisation if they lead managers, and the organisation's figures for HR."""
    from audit.models import AuditEntry
    from org.selectors import org_branches, org_summary, team_overview
    from scorecards.selectors import role_list

    who = access.viewer(request.user)
    today = timezone.localdate()
    me = who.employee
    team = team_overview(manager=me, today=today) if me else []
    context: dict[str, Any] = {
        "roles": role_list(user=request.user),
        "me": me,
        "tenure_days": me.tenure_days(today) if me else None,
        "team": team,
        "branches": org_branches(director=me) if me and any(row["employee"].report_count for row in team) else [],
        "tasks": _tasks(me=me, team=team, today=today),
    }
    if who.hr:
        context["org"] = org_summary()
        context["imports"] = AuditEntry.objects.filter(action="org.import").select_related("actor")[:5]
    return render(request, "dashboard.html", context)


def _tasks(*, me: Any, team: list[dict[str, Any]], today: Any) -> list[dict[str, str]]:
    """What the person should do next, most urgent first."""
    from django.urls import reverse

    tasks = []
    if me is not None and me.role_id and 0 <= me.tenure_days(today) < 30:
        tasks.append(
            {
                "text": f"Read the {me.role.title} blueprint: what your first 30, 60 and 90 days should achieve.",
                "url": reverse("scorecards:role_detail", args=[me.role.slug]),
            }
        )
    missing = [row["employee"].name for row in team if row["missing_role"]]
    if missing:
        tasks.append(
            {
                "text": f"Ask HR to assign a role blueprint to {', '.join(missing)}: reviews need one.",
                "url": reverse("org:people") + "?scope=reports",
            }
        )
    return tasks


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
