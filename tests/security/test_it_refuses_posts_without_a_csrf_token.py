"""A POST without the CSRF token is refused with 403, on plain forms, on htmx posts and on the API with a
session; the token that templates/base.html puts in htmx's X-CSRFToken header gets the same post through."""

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from scorecards.models import ScorecardDimension
from tests.security.conftest import PAYLOAD

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _client(username: str | None) -> Client:
    client = Client(enforce_csrf_checks=True)
    if username:
        client.force_login(User.objects.get(username=username))
    return client


def _rating_url(hostile_demo: dict[str, Any]) -> str:
    review = hostile_demo["review"]
    dimension = ScorecardDimension.objects.filter(version=review.blueprint_version).order_by("position").first()
    assert dimension is not None
    return f"/reviews/{review.pk}/ratings/{dimension.pk}/manager/"


FORMS = [
    (None, "/accounts/login/", {"username": "engineer", "password": "demo"}),
    ("engineer", "/accounts/logout/", {}),
    ("engineer", "/accounts/password_change/", {"old_password": "demo", "new_password1": "x", "new_password2": "x"}),
    ("hr", "/cycles/new/", {"name": "Sneaky"}),
    ("hr", "/org/import/", {}),
    ("hr", "/roles/import/", {}),
    ("hr", "/kpis/measurements/upload/", {}),
    ("manager", "/reviews/{review}/transitions/", {"action": "submit_manager"}),
    ("hr", "/roles/staff-software-engineer/drafts/", {}),
    ("hr", "/people/engineer/edit/", {"name": "Mallory"}),
]


@pytest.mark.parametrize(("who", "url", "data"), FORMS)
def test_a_form_post_without_a_token_is_refused(
    hostile_demo: dict[str, Any], who: str | None, url: str, data: dict[str, str]
) -> None:
    response = _client(who).post(url.format(review=hostile_demo["review"].pk), data)
    assert response.status_code == 403, url


def test_an_htmx_autosave_without_the_header_is_refused_and_changes_nothing(hostile_demo: dict[str, Any]) -> None:
    from reviews.models import Rating

    url = _rating_url(hostile_demo)
    before = list(Rating.objects.order_by("pk").values_list("score", "comment"))
    response = _client("manager").post(url, {"score": "1", "comment": "forged"}, **HTMX)
    assert response.status_code == 403
    assert list(Rating.objects.order_by("pk").values_list("score", "comment")) == before


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("manager", "/reviews/{review}/potential/"),
        ("hr", "/cycles/{cycle}/calibration/{review}/"),
        ("manager", "/roles/staff-software-engineer/export/"),
        ("manager", "/reviews/{review}/packet/"),
        ("manager", "/reviews/{review}/kpis/attach/"),
    ],
)
def test_other_htmx_posts_without_the_header_are_refused(hostile_demo: dict[str, Any], who: str, url: str) -> None:
    path = url.format(review=hostile_demo["review"].pk, cycle=hostile_demo["cycle"].pk)
    assert _client(who).post(path, {}, **HTMX).status_code == 403, path


def test_the_header_that_base_html_sets_gets_an_htmx_post_through(hostile_demo: dict[str, Any]) -> None:
    client = _client("manager")
    page = client.get(f"/reviews/{hostile_demo['review'].pk}/").content.decode()
    token = re.search(r"hx-headers='\{\"X-CSRFToken\": \"([^\"]+)\"\}'", page)
    assert token, "base.html puts the token in htmx's headers"
    response = client.post(
        _rating_url(hostile_demo), {"score": "4", "comment": "fine"}, HTTP_X_CSRFTOKEN=token.group(1), **HTMX
    )
    assert response.status_code != 403


def test_the_api_refuses_a_session_post_without_a_token(hostile_demo: dict[str, Any]) -> None:
    response = _client("hr").post(
        "/api/v1/reviews/{}/transitions/".format(hostile_demo["review"].pk),
        {"action": "reopen", "reason": PAYLOAD},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def _views(patterns: list[URLPattern | URLResolver], prefix: str = "") -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found += _views(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            found.append((prefix + str(pattern.pattern), pattern.callback))
    return found


def test_no_page_opts_out_of_csrf_protection() -> None:
    """Only DRF's API views are csrf_exempt, and DRF checks the token itself for session callers (above)."""
    exempt = [
        route
        for route, view in _views(get_resolver().url_patterns)
        if getattr(view, "csrf_exempt", False) and not hasattr(view, "cls") and not route.startswith("api/")
    ]
    assert exempt == []
