"""People pages: the directory, a person's profile and HR's edit form."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from audit.models import AuditEntry
from org.models import Employee, Team
from org.people_forms import EmployeeForm
from org.selectors import DIRECTORY_SCOPES, direct_reports, employee_directory, manager_chain
from org.services import EmployeeChanges, employee_update
from scorecards.models import Role
from staffrole import access

PAGE_SIZE = 50
HISTORY_SIZE = 20


@login_required
@require_GET
def people_list(request: HttpRequest) -> HttpResponse:
    who = access.viewer(request.user)
    scope = request.GET.get("scope", "all")
    if scope not in DIRECTORY_SCOPES:
        scope = "all"
    filters = {
        "q": request.GET.get("q", "").strip()[:100],
        "team": request.GET.get("team", "").strip()[:100],
        "role": request.GET.get("role", "").strip()[:200],
        "manager": request.GET.get("manager", "").strip()[:150],
    }
    include_inactive = access.can_list_inactive_employees(request.user) and request.GET.get("inactive") == "1"
    people = employee_directory(user_employee=who.employee, include_inactive=include_inactive, scope=scope, **filters)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "org/people_list.html",
        {
            "page": page,
            "scope": scope,
            "filters": filters,
            "include_inactive": include_inactive,
            "can_list_inactive": access.can_list_inactive_employees(request.user),
            "has_reports": bool(who.employee and access.subtree_of(request.user)),
            "teams": Team.objects.all(),
            "roles": Role.objects.filter(employees__isnull=False).distinct(),
            "query": query.urlencode(),
            "can_import": access.can_import_org(request.user),
        },
    )


@login_required
@require_GET
def person_detail(request: HttpRequest, username: str) -> HttpResponse:
    employee = access.get_employee_for_user(request.user, username)
    full = access.can_read_employee_full(request.user, employee)
    context = {
        "person": employee,
        "full": full,
        "relation": access.relation_to(request.user, employee).value,
        "reports": direct_reports(manager=employee),
        "chain": manager_chain(employee=employee) if full else [],
        "can_edit": access.can_edit_employee(request.user, employee),
        "history": _history(employee) if access.can_edit_employee(request.user, employee) else [],
    }
    return render(request, "org/person_detail.html", context)


def _history(employee: Employee) -> list[dict[str, Any]]:
    """The record's audited changes, newest first, as (field, old, new) rows."""
    entries = AuditEntry.objects.filter(target_type="org.employee", target_id=str(employee.pk)).select_related("actor")
    history = []
    for entry in entries[:HISTORY_SIZE]:
        before = entry.before if isinstance(entry.before, dict) else {}
        after = entry.after if isinstance(entry.after, dict) else {}
        changes = [
            {"field": name.replace("_", " "), "old": before.get(name), "new": after.get(name)}
            for name in dict.fromkeys([*before, *after])
        ]
        history.append({"entry": entry, "changes": changes})
    return history


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, username: str) -> HttpResponse:
    employee = access.get_employee_for_user(request.user, username, edit=True)
    form = EmployeeForm(request.POST if request.method == "POST" else None, employee=employee)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            employee = employee_update(
                actor=request.user,
                employee=employee,
                changes=EmployeeChanges(
                    name=data["name"],
                    email=data["email"],
                    title=data["title"],
                    role=data["role"],
                    level=data["level"],
                    team=data["team"],
                    manager=data["manager"],
                    start_date=data["start_date"],
                    active=data["active"],
                ),
                reason=data["reason"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, f"Saved {employee.name}'s record.")
            return redirect("org:person", username=employee.user.username)
    return render(request, "org/person_edit.html", {"person": employee, "form": form})
