"""Production cookie flags, read in a fresh interpreter (production settings need their environment)."""

import json
import secrets

from tests.test_settings import run_python

PRINT_COOKIE_SETTINGS = (
    "import json, django; from django.conf import settings as s; django.setup(); "
    "print(json.dumps({name: getattr(s, name) for name in ("
    "'SESSION_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'SESSION_COOKIE_SAMESITE', 'SESSION_COOKIE_AGE', "
    "'CSRF_COOKIE_SECURE', 'CSRF_COOKIE_SAMESITE', 'SECURE_HSTS_SECONDS', 'SITE_URL')}))"
)


def production_settings(**environment: str) -> dict[str, object]:
    result = run_python(
        "-c",
        PRINT_COOKIE_SETTINGS,
        DJANGO_SETTINGS_MODULE="staffrole.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="staffrole.example.com,www.example.com",
        **environment,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_it_sends_session_and_csrf_cookies_over_https_only():
    found = production_settings()
    assert found == {
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_AGE": 8 * 60 * 60,
        "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_SAMESITE": "Lax",
        "SECURE_HSTS_SECONDS": 31536000,
        "SITE_URL": "https://staffrole.example.com",
    }


def test_it_takes_the_session_length_and_site_url_from_the_environment():
    found = production_settings(SESSION_COOKIE_AGE="3600", SITE_URL="https://people.example.org")
    assert found["SESSION_COOKIE_AGE"] == 3600
    assert found["SITE_URL"] == "https://people.example.org"
