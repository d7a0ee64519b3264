"""Every redirect after an action that takes its target from the request (log-in and log-out `next`, the
feedback decisions' `next`, calibration's `return`) stays on this site, whatever the target says."""

from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.contrib.auth.models import User
from django.test import Client

pytestmark = pytest.mark.django_db

HOSTILE_TARGETS = [
    "https://evil.example",
    "https://evil.example/accounts/login/",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "http:evil.example",
    "https:/evil.example",
    " https://evil.example",
    "\thttps://evil.example",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https://testserver@evil.example",
    "https://evil.example\\@testserver/",
    "/%2F%2Fevil.example",
    "%2F%2Fevil.example",
]


def _stays_on_site(response: Any) -> None:
    assert response.status_code in (301, 302, 303), response.status_code
    location = response["Location"]
    # Read as a browser does: leading blanks and control characters dropped, backslashes taken as slashes.
    as_browsed = location.lstrip("".join(map(chr, range(33)))).replace("\\", "/")
    parts = urlsplit(urljoin("https://testserver/accounts/login/", as_browsed))
    assert (parts.scheme, parts.netloc) == ("https", "testserver"), location


@pytest.mark.parametrize("target", HOSTILE_TARGETS)
def test_log_in_goes_home_instead_of_elsewhere(db: None, engineer_user: Any, target: str) -> None:
    response = Client().post("/accounts/login/", {"username": "engineer", "password": "demo", "next": target})
    _stays_on_site(response)


@pytest.mark.parametrize("target", HOSTILE_TARGETS[:6])
def test_log_in_from_a_link_with_next_in_the_query_stays_on_site(db: None, engineer_user: Any, target: str) -> None:
    response = Client().post(
        "/accounts/login/?" + urlencode({"next": target}), {"username": "engineer", "password": "demo"}
    )
    _stays_on_site(response)


@pytest.mark.parametrize("target", HOSTILE_TARGETS[:6])
def test_log_out_stays_on_site(db: None, engineer_user: Any, target: str) -> None:
    client = Client()
    client.force_login(engineer_user)
    _stays_on_site(client.post("/accounts/logout/", {"next": target}))


@pytest.mark.parametrize("action", ["approve", "decline"])
@pytest.mark.parametrize("target", HOSTILE_TARGETS[:6])
def test_a_feedback_decision_stays_on_site(hostile_demo: dict[str, Any], action: str, target: str) -> None:
    client = Client()
    client.force_login(User.objects.get(username="manager"))
    asked = hostile_demo["feedback_request"]
    response = client.post(f"/feedback/{asked.pk}/{action}/", {"next": target, "due": "2999-01-01"})
    _stays_on_site(response)


@pytest.mark.parametrize("target", ["https://evil.example", "//evil.example", "/\\evil.example", "team=x&next=//e"])
def test_calibration_goes_back_to_its_own_page(hostile_demo: dict[str, Any], target: str) -> None:
    client = Client()
    client.force_login(User.objects.get(username="hr"))
    cycle, review = hostile_demo["cycle"], hostile_demo["review"]
    response = client.post(f"/cycles/{cycle.pk}/calibration/{review.pk}/", {"return": target, "final_rating": "3"})
    if response.status_code in (301, 302, 303):
        _stays_on_site(response)
        assert response["Location"].startswith(f"/cycles/{cycle.pk}/calibration/")
    else:
        assert response.status_code in (200, 400, 403, 409), response.status_code
