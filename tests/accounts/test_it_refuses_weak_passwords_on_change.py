import pytest

pytestmark = pytest.mark.django_db


def test_it_refuses_a_short_common_password_with_the_validators_messages(client, engineer_user, log_in):
    log_in(client, "engineer")
    response = client.post(
        "/accounts/password_change/",
        {"old_password": "demo", "new_password1": "password", "new_password2": "password"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "This password is too short. It must contain at least 8 characters." not in page  # "password" has 8
    assert "This password is too common." in page
    assert 'class="errorlist"' in page
    engineer_user.refresh_from_db()
    assert engineer_user.check_password("demo")


def test_it_refuses_a_password_that_is_too_short(client, engineer_user, log_in):
    log_in(client, "engineer")
    page = client.post(
        "/accounts/password_change/",
        {"old_password": "demo", "new_password1": "x7!q", "new_password2": "x7!q"},
    ).content.decode()
    assert "This password is too short. It must contain at least 8 characters." in page


def test_it_shows_the_password_rules_before_anything_is_typed(client, engineer_user, log_in):
    log_in(client, "engineer")
    page = client.get("/accounts/password_change/").content.decode()
    assert "<li>Your password must contain at least 8 characters.</li>" in page
    assert "be a commonly used password.</li>" in page


def test_it_changes_to_a_strong_password_and_keeps_the_session(client, engineer_user, log_in):
    log_in(client, "engineer")
    response = client.post(
        "/accounts/password_change/",
        {"old_password": "demo", "new_password1": "amber-lantern-91", "new_password2": "amber-lantern-91"},
    )
    assert response["Location"] == "/accounts/password_change/done/"
    assert client.get("/").status_code == 200
    client.post("/accounts/logout/")
    assert log_in(client, "engineer", "amber-lantern-91").status_code == 302
