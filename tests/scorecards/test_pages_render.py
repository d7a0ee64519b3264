import pytest

pytestmark = pytest.mark.django_db

ROLE_URL = "/roles/staff-software-engineer/"


def test_it_renders_the_role_pages_for_an_engineer(client, engineer_user, staff_blueprint):
    client.force_login(engineer_user)
    for url in ("/", "/roles/", ROLE_URL, f"{ROLE_URL}versions/", f"{ROLE_URL}diff/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Staff Software Engineer" in response.content.decode(), url
    page = client.get(ROLE_URL).content.decode()
    assert "Import blueprint" not in page
    assert "Manage this blueprint" not in page
    assert "Export PDF" in page


def test_it_renders_the_role_pages_for_hr_with_their_actions(client, hr_user, staff_blueprint):
    client.force_login(hr_user)
    listing = client.get("/roles/").content.decode()
    assert 'href="/roles/import/"' in listing
    page = client.get(ROLE_URL).content.decode()
    assert "Manage this blueprint" in page
    assert 'action="/roles/staff-software-engineer/drafts/"' in page
    assert client.get("/roles/import/").status_code == 200


def test_it_shows_the_role_at_a_glance(client, engineer_user, staff_blueprint):
    client.force_login(engineer_user)
    page = client.get(ROLE_URL).content.decode()
    # Weights as bars with name and weight, and as a table.
    assert '<span class="bar__label">System design &amp; architecture</span>' in page
    assert '<span class="bar__value">25 %</span>' in page
    assert "What “meets the bar” looks like" in page
    # Skills with importance badges, the context-specific marker and the original wording.
    assert '<span class="badge badge--critical">Critical</span>' in page
    assert '<span class="badge badge--context">Context-specific</span>' in page
    assert "Optional to Important; depends on org" in page
    # KPI targets with the machine-read badge.
    assert "≥ 99.9 %" in page
    # Timeline, hiring signals, promotion criteria, career path and generic sections.
    for text in (
        "30 days",
        "Long term",
        "Red flags",
        "Promotion criteria",
        "Next likely roles",
        "Decision rights and scope of authority",
        "Tools, platforms and software",
        "Datadog",
    ):
        assert text in page, text


def test_it_shows_the_login_page_with_a_clear_error(client, engineer_user):
    response = client.post("/accounts/login/", {"username": "engineer", "password": "wrong"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'role="alert"' in page and "Please enter a correct username and password" in page


def test_it_logs_out_with_a_post_form(client, engineer_user):
    client.force_login(engineer_user)
    page = client.get("/").content.decode()
    assert '<form method="post" action="/accounts/logout/">' in page
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_it_sends_anonymous_visitors_to_the_login_page(client, staff_blueprint):
    for url in ("/", "/roles/", ROLE_URL, "/roles/import/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


def test_it_renders_the_password_change_pages(client, engineer_user):
    client.force_login(engineer_user)
    assert client.get("/accounts/password_change/").status_code == 200
    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": "demo",
            "new_password1": "a-much-longer-passphrase",
            "new_password2": "a-much-longer-passphrase",
        },
    )
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


def test_it_answers_an_unknown_role_with_the_404_page(client, engineer_user):
    client.force_login(engineer_user)
    response = client.get("/roles/no-such-role/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
