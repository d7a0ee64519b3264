"""Every route, requested as every kind of user against the demo organisation, answers as the access
policy says. A route missing from ROUTES fails the suite: nobody can add an unguarded page."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from staffrole import access

PERSONAS = ("anonymous", "engineer", "engineer2", "manager", "manager2", "director", "hr")
# Who is who to the subject of the per-person routes, `engineer`: engineer2 is another engineer,
# manager their manager, manager2 another manager, director their director.
CHAIN = {"engineer", "manager", "director", "hr"}  # may read engineer's full record


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(PERSONAS, status)


def page(status: int = 200, **special: int) -> dict[str, int]:
    """A page behind the login: anonymous callers are sent to log in."""
    return {**everyone(status), "anonymous": 302, **special}


def api(status: int = 200, **special: int) -> dict[str, int]:
    """An API endpoint: anonymous callers are told to authenticate."""
    return {**everyone(status), "anonymous": 401, **special}


def hr_page(hr: int = 200, others: int = 403) -> dict[str, int]:
    return {**page(others), "hr": hr}


def hr_api(hr: int = 200, others: int = 403) -> dict[str, int]:
    return {**api(others), "hr": hr}


def own_job(status: int, *, anonymous: int) -> dict[str, int]:
    """Jobs and files: the requester (engineer) and HR; everyone else is out of scope."""
    return {**everyone(404), "anonymous": anonymous, "engineer": status, "hr": status}


@dataclass
class Check:
    method: str
    expected: dict[str, int]
    kwargs: Callable[[dict[str, Any]], dict[str, Any]] = lambda data: {}
    data: dict[str, Any] | None = None
    query: str = ""
    # A check that ends the session (log out) runs on clients of its own.
    fresh_clients: bool = False
    # (persona → bool): whether the answer shows the full record; checked with `marker`.
    marker: Callable[[Any], bool] | None = None
    sees_marker: set[str] = field(default_factory=set)


def engineer(data: dict[str, Any]) -> dict[str, Any]:
    return {"username": "engineer"}


def role(data: dict[str, Any]) -> dict[str, Any]:
    return {"slug": "staff-software-engineer"}


def job(data: dict[str, Any]) -> dict[str, Any]:
    return {"job_id": data["job"].pk}


def full_profile_page(response: Any) -> bool:
    return "<dt>Start date</dt>" in response.content.decode()


def full_profile_api(response: Any) -> bool:
    return response.json()["detail"] == "full"


ROUTES: dict[str, list[Check]] = {
    "dashboard": [Check("get", page())],
    "healthz": [Check("get", everyone(200))],
    "login": [Check("get", everyone(200))],
    "logout": [Check("get", everyone(405)), Check("post", everyone(302), fresh_clients=True)],
    "password_change": [Check("get", page()), Check("post", page(200))],
    "password_change_done": [Check("get", page())],
    "password_reset": [Check("get", everyone(200))],
    "password_reset_done": [Check("get", everyone(200))],
    "password_reset_confirm": [Check("get", everyone(200), kwargs=lambda d: {"uidb64": "MQ", "token": "bad-token"})],
    "password_reset_complete": [Check("get", everyone(200))],
    "scorecards:role_list": [Check("get", page())],
    "scorecards:import": [Check("get", hr_page()), Check("post", hr_page(hr=200))],
    "scorecards:import_preview": [Check("get", hr_page(hr=302), kwargs=lambda d: {"token": "expired"})],
    "scorecards:role_detail": [Check("get", page(), kwargs=role)],
    "scorecards:role_versions": [Check("get", page(), kwargs=role)],
    "scorecards:role_diff": [Check("get", page(), kwargs=role)],
    # Every colleague may export a role sheet; that path renders a PDF, covered by its own tests.
    "scorecards:role_export": [Check("get", page(405), kwargs=role)],
    "scorecards:role_publish": [Check("post", hr_page(hr=302), kwargs=role)],
    "scorecards:role_start_draft": [Check("post", hr_page(hr=302), kwargs=role)],
    "scorecards:role_discard_draft": [Check("post", hr_page(hr=302), kwargs=role)],
    "jobs:detail": [Check("get", own_job(200, anonymous=302), kwargs=job)],
    "jobs:progress": [Check("get", own_job(200, anonymous=302), kwargs=job)],
    "jobs:download": [Check("get", own_job(200, anonymous=302), kwargs=job)],
    "org:people": [Check("get", page())],
    "org:person": [
        Check("get", page(), kwargs=engineer, marker=full_profile_page, sees_marker=CHAIN),
    ],
    "org:person_edit": [Check("get", hr_page(), kwargs=engineer), Check("post", hr_page(hr=200), kwargs=engineer)],
    "org:import": [Check("get", hr_page()), Check("post", hr_page(hr=200))],
    "org:import_preview": [Check("get", hr_page(hr=302), kwargs=lambda d: {"token": "expired"})],
    "api-token": [Check("get", everyone(405)), Check("post", everyone(400))],
    "api-role-list": [Check("get", api())],
    "api-role-detail": [Check("get", api(), kwargs=role)],
    "api-job-detail": [Check("get", own_job(200, anonymous=401), kwargs=job)],
    "api-me": [Check("get", api())],
    "api-employee-list": [Check("get", api()), Check("get", hr_api(), query="?active=all")],
    "api-employee-detail": [
        Check(
            "get",
            api(),
            kwargs=lambda d: {"pk": d["engineer"].pk},
            marker=full_profile_api,
            sees_marker=CHAIN,
        ),
        Check("patch", hr_api(), kwargs=lambda d: {"pk": d["engineer"].pk}, data={}),
    ],
    "api-org-import": [Check("get", hr_api(hr=405, others=405)), Check("post", hr_api(hr=400))],
    "api-schema": [Check("get", everyone(200))],
    "api-docs": [Check("get", everyone(200))],
}

ADMIN_PREFIX = "admin/"


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> list[tuple[str, str]]:
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            found += _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else (pattern.name or "")
            found.append((name, prefix + str(pattern.pattern)))
    return found


def test_it_has_an_entry_for_every_route():
    routes = [(name, route) for name, route in _walk(get_resolver().url_patterns) if not route.startswith(ADMIN_PREFIX)]
    unnamed = [route for name, route in routes if not name]
    assert not unnamed, f"Routes without a name cannot be checked: {unnamed}"
    missing = sorted({name for name, _route in routes} - set(ROUTES))
    assert not missing, f"Add these routes to ROUTES with the answers the access policy gives: {missing}"
    stale = sorted(set(ROUTES) - {name for name, _route in routes})
    assert not stale, f"ROUTES lists routes that no longer exist: {stale}"


@pytest.fixture
def demo(db, staff_blueprint, settings, tmp_path) -> dict[str, Any]:
    from jobs.models import Job
    from jobs.services import job_attach_result
    from org.models import Employee
    from reviews.demo import demo_seed

    settings.MEDIA_ROOT = tmp_path / "media"
    demo_seed()
    requester = User.objects.get(username="engineer")
    the_job = Job.objects.create(kind=Job.Kind.ROLE_PDF, requester=requester, state=Job.State.SUCCEEDED, progress=100)
    job_attach_result(job=the_job, name="role.pdf", content=b"%PDF-1.7 tiny")
    return {"job": the_job, "engineer": Employee.objects.get(user__username="engineer")}


def _clients() -> dict[str, Client]:
    clients = {}
    for persona in PERSONAS:
        client = Client()
        if persona != "anonymous":
            client.force_login(User.objects.get(username=persona))
        clients[persona] = client
    return clients


def matrix_mismatches(data: dict[str, Any]) -> list[str]:
    """Every (route, method, persona) whose answer differs from the table."""
    shared = _clients()
    mismatches = []
    for name, checks in ROUTES.items():
        for check in checks:
            clients = _clients() if check.fresh_clients else shared
            url = reverse(name, kwargs=check.kwargs(data)) + check.query
            for persona, expected in check.expected.items():
                request = getattr(clients[persona], check.method)
                kwargs: dict[str, Any] = {}
                if check.data is not None:
                    kwargs = {"data": check.data, "content_type": "application/json"}
                response = request(url, **kwargs)
                if response.status_code != expected:
                    mismatches.append(
                        f"{check.method.upper()} {url} as {persona}: {response.status_code} != {expected}"
                    )
                elif expected == 302 and persona == "anonymous" and not url.startswith("/accounts/logout"):
                    if not response["Location"].startswith(reverse("login")):
                        mismatches.append(f"{check.method.upper()} {url} as anonymous: not sent to log in")
                elif (
                    check.marker is not None
                    and response.status_code == 200
                    and check.marker(response) is not (persona in check.sees_marker)
                ):
                    mismatches.append(f"{check.method.upper()} {url} as {persona}: wrong level of detail")
    return mismatches


def test_it_answers_every_route_as_the_policy_says(demo):
    assert matrix_mismatches(demo) == []


@pytest.mark.parametrize("persona", ["anonymous", "engineer", "manager"])
def test_it_keeps_the_admin_to_staff(demo, persona):
    client = _clients()[persona]
    for url in ("/admin/", "/admin/auth/user/", "/admin/audit/auditentry/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


# Loosening any one rule of the policy must turn the matrix red.
LOOSENED = {
    "is_hr": lambda user: True,
    "can_read_employee_full": lambda user, employee: True,
    "can_edit_employee": lambda user, employee: True,
    "can_import_org": lambda user: True,
    "can_manage_blueprints": lambda user: True,
    "can_view_job": lambda user, job: True,
    "can_list_inactive_employees": lambda user: True,
}


@pytest.mark.parametrize("rule", sorted(LOOSENED))
def test_it_fails_when_a_policy_check_is_removed(demo, monkeypatch, rule):
    monkeypatch.setattr(access, rule, LOOSENED[rule])
    assert matrix_mismatches(demo), f"Loosening access.{rule} went unnoticed"
