"""Settings are read from the environment; each case runs in a fresh interpreter with only the variables it sets."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRINT_SETTINGS = (
    "import json, django; from django.conf import settings; django.setup(); "
    "database = settings.DATABASES['default']; "
    "print(json.dumps({'engine': database['ENGINE'], 'name': str(database['NAME']), "
    "'broker': settings.CELERY_BROKER_URL, 'cache': settings.CACHES['default']['BACKEND'], "
    "'media_root': str(settings.MEDIA_ROOT), 'debug': settings.DEBUG}))"
)


def run_python(*args: str, **environment: str) -> subprocess.CompletedProcess[str]:
    clean = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), "LANG": "C.UTF-8", **environment}
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120)


def read_settings(**environment: str) -> dict[str, object]:
    result = run_python("-c", PRINT_SETTINGS, **environment)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_it_refuses_to_start_production_without_a_secret_key() -> None:
    result = run_python(
        "-c",
        "import django; django.setup()",
        DJANGO_SETTINGS_MODULE="staffrole.settings.production",
        ALLOWED_HOSTS="example.com",
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr


def test_it_refuses_to_start_production_without_allowed_hosts() -> None:
    result = run_python(
        "-c",
        "import django; django.setup()",
        DJANGO_SETTINGS_MODULE="staffrole.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
    )
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_it_serves_wsgi_with_production_settings_by_default() -> None:
    result = run_python("-c", "import staffrole.wsgi")
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr


def test_it_runs_manage_py_and_celery_with_local_settings_by_default() -> None:
    result = run_python("manage.py", "shell", "-c", "from django.conf import settings; print(settings.SETTINGS_MODULE)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "staffrole.settings.local"
    result = run_python("-c", "import os, staffrole.celery; print(os.environ['DJANGO_SETTINGS_MODULE'])")
    assert result.stdout.split()[-1] == "staffrole.settings.local"


def test_it_passes_the_deployment_checklist_in_production() -> None:
    result = run_python(
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="staffrole.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_uses_sqlite_under_var_and_the_embedded_broker_without_service_urls() -> None:
    found = read_settings(DJANGO_SETTINGS_MODULE="staffrole.settings.local")
    assert found["debug"] is True
    assert found["engine"] == "django.db.backends.sqlite3"
    assert found["name"] == str(ROOT / "var" / "staffrole.sqlite3")
    assert found["broker"] == "filesystem://"
    assert found["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert found["media_root"] == str(ROOT / "var" / "media")


def test_it_uses_postgresql_redis_and_media_root_from_the_environment() -> None:
    found = read_settings(
        DJANGO_SETTINGS_MODULE="staffrole.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="example.com",
        DATABASE_URL="postgres://staffrole:pw@db.internal:5432/staffrole",
        REDIS_URL="redis://cache.internal:6379/2",
        MEDIA_ROOT="/srv/staffrole/media",
    )
    assert found["debug"] is False
    assert found["engine"] == "django.db.backends.postgresql"
    assert found["name"] == "staffrole"
    assert found["broker"] == "redis://cache.internal:6379/2"
    assert found["cache"] == "staffrole.cache.FailOpenRedisCache"
    assert found["media_root"] == "/srv/staffrole/media"
