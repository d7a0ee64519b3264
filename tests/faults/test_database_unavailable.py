"""A request that loses the database answers 503 with Retry-After, never a 500: a stand-alone page that
needs no database, JSON for the API, a partial for htmx that leaves the page as it is. (The same with a
real PostgreSQL stopped and started under load: test_postgres_restart.py.)"""

import pytest
from django.db import OperationalError
from django.test import Client, RequestFactory

from staffrole import unavailable
from staffrole.views import server_error
from tests.faults.conftest import signed_in

pytestmark = pytest.mark.django_db

LOST = "server closed the connection unexpectedly\n\tThis probably means the server terminated abnormally"


@pytest.fixture
def lost_database(monkeypatch):  # type: ignore[no-untyped-def]
    def lost(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OperationalError(LOST)

    monkeypatch.setattr("scorecards.views.role_list", lost)
    monkeypatch.setattr("scorecards.api.views.published_versions", lost)


@pytest.fixture
def client(hr_user) -> Client:  # type: ignore[no-untyped-def]
    return signed_in("hr")


def test_a_page_answers_503_with_a_page_that_says_so(client, lost_database, caplog):
    response = client.get("/roles/")

    assert response.status_code == 503
    assert response["Retry-After"] == str(unavailable.DATABASE_RETRY_AFTER_SECONDS)
    html = response.content.decode()
    assert "<h1>The database is unavailable</h1>" in html
    assert "server closed the connection" not in html and "Traceback" not in html
    events = [(getattr(record, "event", None), getattr(record, "error", None)) for record in caplog.records]
    assert ("database.unavailable", "OperationalError") in events
    assert not [record for record in caplog.records if record.name == "django.request"]


def test_the_api_answers_503_json(client, lost_database):
    response = client.get("/api/v1/roles/")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": unavailable.MESSAGE_DATABASE_UNAVAILABLE}
    assert response["Retry-After"] == str(unavailable.DATABASE_RETRY_AFTER_SECONDS)


def test_htmx_gets_a_partial_that_is_not_swapped_over_the_page(client, lost_database):
    response = client.get("/roles/", headers={"HX-Request": "true"})

    assert response.status_code == 503
    assert unavailable.MESSAGE_DATABASE_UNAVAILABLE in response.content.decode()
    assert "<html" not in response.content.decode()
    assert unavailable.SWAP_HEADER not in response


def test_a_database_error_outside_a_view_answers_503_too():
    request = RequestFactory().get("/api/v1/me/")
    try:
        raise OperationalError(LOST)
    except OperationalError:
        response = server_error(request)

    assert response.status_code == 503
    assert response["Retry-After"] == str(unavailable.DATABASE_RETRY_AFTER_SECONDS)


def test_any_other_error_is_still_a_500():
    request = RequestFactory().get("/roles/")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(request)

    assert response.status_code == 500
