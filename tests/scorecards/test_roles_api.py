import re

import pytest
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db


def test_it_issues_a_token_for_a_username_and_password(client, engineer_user):
    response = client.post(
        "/api/v1/auth/token/", {"username": "engineer", "password": "demo"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=engineer_user).key}
    bad = client.post(
        "/api/v1/auth/token/", {"username": "engineer", "password": "wrong"}, content_type="application/json"
    )
    assert bad.status_code == 400


def test_it_lists_published_roles_with_their_version(client, engineer_user, staff_blueprint):
    token = Token.objects.create(user=engineer_user)
    response = client.get("/api/v1/roles/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert response.json() == [{"slug": "staff-software-engineer", "title": "Staff Software Engineer", "version": 1}]


def test_it_answers_the_blueprint_json_of_the_contract(client, engineer_user, staff_blueprint):
    client.force_login(engineer_user)
    body = client.get("/api/v1/roles/staff-software-engineer/").json()
    assert {
        "slug",
        "title",
        "version",
        "status",
        "summary",
        "mission",
        "responsibilities",
        "skills",
        "kpis",
        "milestones",
        "scorecard",
        "promotion_criteria",
    } <= body.keys()
    assert body["status"] == "published"
    assert body["scorecard"][0] == {
        "name": "System design & architecture",
        "meets_bar": "Designs scalable, operable systems with clear tradeoffs and migration plans",
        "weight": 25,
    }
    assert sum(d["weight"] for d in body["scorecard"]) == 100
    assert body["responsibilities"][0]["category"] == "strategic"
    skill = next(s for s in body["skills"] if s["name"] == "API design (REST/gRPC/event APIs)")
    assert skill["importance"] == "critical" and skill["group"] == "technical_must_have"
    assert body["milestones"][0]["horizon"] == "30d"


def test_it_hides_drafts_from_the_api_unless_asked_by_version_and_allowed(
    client, engineer_user, hr_user, staff_blueprint
):
    from scorecards.services import blueprint_start_draft

    blueprint_start_draft(actor=hr_user, role=staff_blueprint.role)
    client.force_login(engineer_user)
    assert client.get("/api/v1/roles/staff-software-engineer/").json()["version"] == 1
    assert client.get("/api/v1/roles/staff-software-engineer/?version=2").status_code == 404
    assert client.get("/api/v1/roles/").json()[0]["version"] == 1
    client.force_login(hr_user)
    assert client.get("/api/v1/roles/staff-software-engineer/?version=2").json()["status"] == "draft"


def test_it_answers_json_errors(client, engineer_user, staff_blueprint):
    assert client.get("/api/v1/roles/").status_code in (401, 403)
    client.force_login(engineer_user)
    missing = client.get("/api/v1/roles/no-such-role/")
    assert missing.status_code == 404 and missing.json() == {"detail": "No such role blueprint."}
    bad = client.get("/api/v1/roles/staff-software-engineer/?version=abc")
    assert bad.status_code == 400 and "version" in bad.json()
    unknown = client.get("/api/v1/nothing-here/")
    assert unknown.status_code == 404 and unknown["Content-Type"] == "application/json"


def test_it_serves_the_schema_and_offline_docs(client, engineer_user):
    client.force_login(engineer_user)
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {"/api/v1/roles/", "/api/v1/roles/{slug}/", "/api/v1/auth/token/"} <= paths.keys()
    docs = client.get("/api/v1/docs/")
    html = docs.content.decode()
    assert docs.status_code == 200
    # Every script and stylesheet comes from the app itself (the page also holds a random CSRF token,
    # so the check looks at addresses, not at any three letters).
    assert not re.findall(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    assert "/static/drf_spectacular_sidecar/" in html


@pytest.mark.parametrize("debug", [False, True])
def test_it_answers_json_for_unknown_api_urls_even_in_debug(client, engineer_user, settings, debug):
    settings.DEBUG = debug
    client.force_login(engineer_user)
    response = client.get("/api/v1/jobs/not-a-uuid/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize("version", ["\u00b2", "\u0661", "99999999999999999999", "-1", "1.0", ""])
def test_it_answers_400_to_a_version_that_is_not_a_plain_number(client, engineer_user, staff_blueprint, version):
    client.force_login(engineer_user)
    response = client.get("/api/v1/roles/staff-software-engineer/", {"version": version})
    assert response.status_code == 400
    assert response.json() == {"version": ["Expected a version number."]}
