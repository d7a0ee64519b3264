import sys
from collections.abc import Sequence
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from reviews.cycle_views import STATE_LABELS
from staffrole import access, health, unavailable
from staffrole.api import ERROR_DETAILS


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Each person's starting point: their own record and review tasks, their team and where its
    reviews stand if they manage one, their organisation if they lead managers, and the organisation's
    figures and running review cycles for HR."""
    from audit.models import AuditEntry
    from org.selectors import org_branches, org_summary, team_overview
    from plans.selectors import dashboard_plans
    from reviews.selectors import dashboard_reviews
    from scorecards.selectors import role_list

    who = access.viewer(request.user)
    today = timezone.localdate()
    me = who.employee
    team = team_overview(manager=me, today=today) if me else []
    reviews = dashboard_reviews(employee=me) if me else []
    # The newest running cycle's review of each person; reviews arrive newest cycle first.
    current: dict[int, Any] = {}
    for review in reviews:
        current.setdefault(review.employee_id, review)
    for row in team:
        row["review"] = current.get(row["employee"].pk)
        row["review_label"] = STATE_LABELS[row["review"].state] if row["review"] else ""
    context: dict[str, Any] = {
        "roles": role_list(user=request.user),
        "me": me,
        "tenure_days": me.tenure_days(today) if me else None,
        "team": team,
        "team_reviews": any(row["review"] for row in team),
        "my_review": current.get(me.pk) if me else None,
        "my_review_label": STATE_LABELS[current[me.pk].state] if me and me.pk in current else "",
        "branches": org_branches(director=me) if me and any(row["employee"].report_count for row in team) else [],
        "tasks": _tasks(me=me, team=team, today=today, reviews=reviews),
        "plans": dashboard_plans(employee=me, today=today) if me else None,
    }
    if who.hr:
        context["org"] = org_summary()
        context["imports"] = AuditEntry.objects.filter(action="org.import").select_related("actor")[:5]
        context["cycles"] = _running_cycles(request.user)
    return render(request, "dashboard.html", context)


def _running_cycles(user: Any) -> list[dict[str, Any]]:
    """Open and calibrating cycles with their reviews counted per state: two queries."""
    from reviews.models import Cycle, Review
    from reviews.selectors import review_state_counts

    cycles = list(Cycle.objects.filter(state__in=(Cycle.State.OPEN, Cycle.State.CALIBRATING)).order_by("-period_end"))
    counts = review_state_counts(user=user, cycle_ids=[cycle.pk for cycle in cycles])
    rows = []
    for cycle in cycles:
        by_state = counts.get(cycle.pk, dict.fromkeys(Review.State.values, 0))
        rows.append(
            {
                "cycle": cycle,
                "states": [(label, by_state[state]) for state, label in STATE_LABELS.items()],
                "total": sum(by_state.values()),
                "done": by_state[Review.State.SHARED] + by_state[Review.State.ACKNOWLEDGED],
            }
        )
    return rows


def _tasks(*, me: Any, team: list[dict[str, Any]], today: Any, reviews: Sequence[Any] = ()) -> list[dict[str, str]]:
    """What the person should do next, most urgent first: review work by its deadline, then the rest."""
    from django.urls import reverse
    from django.utils.dateformat import format as date_format

    dated: list[tuple[Any, dict[str, str]]] = []
    for review in reviews if me is not None else ():
        cycle, url = review.cycle, reverse("reviews:detail", args=[review.pk])
        mine = review.employee_id == me.pk
        if mine and review.state == "draft":
            due, text = cycle.self_due, f"Submit your self-assessment for {cycle.name}"
        elif mine and review.state == "shared":
            due, text = cycle.signoff_due, f"Read and acknowledge your {cycle.name} review"
        elif review.reviewer_id == me.pk and review.state == "self_submitted":
            due, text = cycle.manager_due, f"Write {review.employee.name}'s manager review"
        elif review.reviewer_id == me.pk and review.state == "calibrated":
            due, text = cycle.signoff_due, f"Share {review.employee.name}'s calibrated review"
        else:
            continue
        overdue = " (overdue)" if due < today else ""
        dated.append((due, {"text": f"{text}: due {date_format(due, 'j M')}{overdue}.", "url": url}))
    tasks = [task for _due, task in sorted(dated, key=lambda pair: pair[0])]
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
    # Django calls this while handling the error: a database that went away outside a view (in a
    # middleware) answers 503 like one inside a view (staffrole.unavailable.ServiceUnavailableMiddleware).
    exc = sys.exc_info()[1]
    if isinstance(exc, unavailable.DATABASE_ERRORS):
        return unavailable.database_unavailable(request, exc)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": ERROR_DETAILS[500]}, status=500)
    # No request context: the database may be what failed.
    return HttpResponse(loader.get_template("500.html").render(), status=500)
