import pytest

pytestmark = pytest.mark.django_db


def test_it_logs_in_with_the_right_password_and_lands_on_the_dashboard(client, engineer_user, log_in):
    response = log_in(client, "engineer")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").wsgi_request.user == engineer_user


def test_it_follows_next_after_logging_in(client, engineer_user):
    response = client.post("/accounts/login/", {"username": "engineer", "password": "demo", "next": "/roles/"})
    assert response["Location"] == "/roles/"


def test_it_logs_out_and_asks_to_log_in_again(client, engineer_user, log_in):
    log_in(client, "engineer")
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert client.get("/")["Location"].startswith("/accounts/login/")
