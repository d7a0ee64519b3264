import pytest
from django.contrib.auth.models import User
from django.test import Client

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


def test_it_locks_the_account_on_the_fifth_failure_with_a_clear_page(client, engineer_user, log_in):
    for _ in range(4):
        assert log_in(client, "engineer", "wrong").status_code == 200
    response = log_in(client, "engineer", "wrong")
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    page = response.content.decode()
    assert "Logging in is paused" in page
    assert "Try again in 15 minutes" in page
    assert "ask HR to unlock your account" in page


def test_it_still_refuses_the_right_password_while_locked(client, engineer_user, log_in):
    for _ in range(5):
        log_in(client, "engineer", "wrong")
    response = log_in(client, "engineer", "demo")
    assert response.status_code == 429
    assert not response.wsgi_request.user.is_authenticated
    assert client.get("/").status_code == 302


def test_it_locks_the_api_token_endpoint_with_a_json_answer(client, engineer_user):
    for _ in range(4):
        response = client.post(
            TOKEN_URL, {"username": "engineer", "password": "wrong"}, content_type="application/json"
        )
        assert response.status_code == 400
    response = client.post(TOKEN_URL, {"username": "engineer", "password": "wrong"}, content_type="application/json")
    assert response.status_code == 429
    assert "try again in 15 minutes" in response.json()["detail"]
    response = client.post(TOKEN_URL, {"username": "engineer", "password": "demo"}, content_type="application/json")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert "token" not in response.json()


def test_it_shares_the_count_between_the_login_page_and_the_api(client, engineer_user, log_in):
    for _ in range(5):
        log_in(client, "engineer", "wrong")
    response = client.post(TOKEN_URL, {"username": "engineer", "password": "demo"}, content_type="application/json")
    assert response.status_code == 429


def test_it_locks_only_that_username_from_that_address(client, engineer_user, log_in):
    User.objects.create_user("engineer2", password="demo")
    for _ in range(5):
        log_in(client, "engineer", "wrong")
    assert log_in(client, "engineer2").status_code == 302
    elsewhere = Client(REMOTE_ADDR="10.0.0.9")
    assert log_in(elsewhere, "engineer").status_code == 302


def test_it_forgets_earlier_failures_after_a_successful_login(client, engineer_user, log_in):
    for _ in range(4):
        log_in(client, "engineer", "wrong")
    assert log_in(client, "engineer").status_code == 302
    client.post("/accounts/logout/")
    for _ in range(4):
        assert log_in(client, "engineer", "wrong").status_code == 200
    assert log_in(client, "engineer").status_code == 302
