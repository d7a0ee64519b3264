import pytest

pytestmark = pytest.mark.django_db


def test_it_says_clearly_that_the_username_or_password_is_wrong(client, engineer_user, log_in):
    response = log_in(client, "engineer", "not-the-password")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="form-errors" role="alert"' in page
    assert "Please enter a correct username and password" in page
    assert not response.wsgi_request.user.is_authenticated


def test_it_names_the_missing_fields(client, db):
    page = client.post("/accounts/login/", {"username": "", "password": ""}).content.decode()
    assert page.count("This field is required.") == 2


def test_it_offers_a_password_reset_from_the_login_page(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/password_reset/">Forgot your password?</a>' in page
