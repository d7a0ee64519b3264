import pytest

from audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def _events(lines, name):  # type: ignore[no-untyped-def]
    return [line for line in lines() if line["event"] == name]


def test_it_logs_a_login_with_user_route_and_request_id(client, engineer_user, log_in, security_lines):
    response = log_in(client, "engineer")
    [line] = _events(security_lines, "auth.login")
    assert line["user"] == "engineer"
    assert line["route"] == "accounts/login/"
    assert line["method"] == "POST"
    assert line["ip"] == "127.0.0.1"
    assert line["request_id"] == response["X-Request-ID"]
    assert line["logger"] == "staffrole.security" and line["level"] == "INFO"
    entry = AuditEntry.objects.get(action="auth.login")
    assert entry.actor == engineer_user and entry.target_id == str(engineer_user.pk)


def test_it_logs_a_failed_login_with_the_attempted_username_and_never_the_password(
    client, engineer_user, log_in, security_lines
):
    response = log_in(client, "engineer", "s3cret-guess")
    [line] = _events(security_lines, "auth.login_failed")
    assert line["user"] is None
    assert line["username"] == "engineer"
    assert line["route"] == "accounts/login/"
    assert line["request_id"] == response["X-Request-ID"]
    assert line["level"] == "WARNING"
    assert "s3cret-guess" not in str(security_lines())
    entry = AuditEntry.objects.get(action="auth.login_failed")
    assert entry.actor is None and entry.target_id == str(engineer_user.pk)


def test_it_logs_a_failed_login_for_an_unknown_username_without_an_audit_entry(client, db, log_in, security_lines):
    log_in(client, "nobody", "guess")
    [line] = _events(security_lines, "auth.login_failed")
    assert line["username"] == "nobody"
    assert not AuditEntry.objects.filter(action="auth.login_failed").exists()


def test_it_logs_a_logout(client, engineer_user, log_in, security_lines):
    log_in(client, "engineer")
    response = client.post("/accounts/logout/")
    [line] = _events(security_lines, "auth.logout")
    assert line["user"] == "engineer" and line["route"] == "accounts/logout/"
    assert line["request_id"] == response["X-Request-ID"]


def test_it_logs_the_lockout(client, engineer_user, log_in, security_lines):
    for _ in range(5):
        response = log_in(client, "engineer", "wrong")
    [line] = _events(security_lines, "auth.locked_out")
    assert line["username"] == "engineer" and line["request_id"] == response["X-Request-ID"]
    [refused] = _events(security_lines, "request.refused")
    assert refused["status"] == 429 and refused["route"] == "accounts/login/"


def test_it_logs_a_refused_page_with_the_user_and_route(client, engineer_user, log_in, security_lines):
    log_in(client, "engineer")
    response = client.get("/roles/import/")
    assert response.status_code == 403
    [line] = _events(security_lines, "request.refused")
    assert line == {
        **line,
        "status": 403,
        "user": "engineer",
        "route": "roles/import/",
        "method": "GET",
        "request_id": response["X-Request-ID"],
    }


def test_it_logs_a_refused_api_call_made_with_a_token(client, engineer_user, security_lines):
    token = client.post(
        "/api/v1/auth/token/", {"username": "engineer", "password": "demo"}, content_type="application/json"
    ).json()["token"]
    response = client.get("/api/v1/nothing-here/", headers={"Authorization": f"Token {token}"})
    assert response.status_code == 404
    response = client.get("/api/v1/employees/?active=all", headers={"Authorization": f"Token {token}"})
    assert response.status_code == 403
    refused = _events(security_lines, "request.refused")
    assert [(line["status"], line["route"]) for line in refused] == [
        (404, "/api/v1/nothing-here/"),
        (403, "api/v1/employees/"),
    ]
    assert refused[1]["user"] == "engineer"
    assert refused[1]["request_id"] == response["X-Request-ID"]


def test_it_logs_an_anonymous_api_call_as_refused_without_a_user(client, db, security_lines):
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    [line] = _events(security_lines, "request.refused")
    assert line["user"] is None and line["status"] == 401 and line["route"] == "api/v1/me/"
