"""The files that run the app (docker-compose.yml, Dockerfile, Procfile, Makefile, .ci/run) stay consistent
with the code: every command they start names something that exists, and production is wired safely."""

import os
import re
import shlex
import shutil
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ("migrate", "web", "worker", "beat")
LONG_RUNNING = ("web", "worker", "beat", "db", "redis")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def procfile() -> dict[str, str]:
    processes = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_-]+):\s*(.+)$", line)
        if match:
            processes[match[1]] = match[2]
    return processes


def assert_command_exists(command: list[str]) -> None:
    """Fail unless the program is installed and what it is asked to load is in this project."""
    program, *args = command
    assert shutil.which(program, path=str(Path(sys.executable).parent)) or shutil.which(program), program
    if program == "gunicorn":
        module, _, attribute = args[0].partition(":")
        spec = find_spec(module)
        assert spec is not None and spec.origin, module
        assert re.search(rf"^{attribute or 'application'} = ", Path(spec.origin).read_text(), re.MULTILINE)
    elif program == "celery":
        assert args[:2] == ["-A", "staffrole"], command
        assert find_spec("staffrole.celery") is not None
        assert args[2] in {"worker", "beat", "inspect"}, command
    elif program == "python":
        assert args[0] == "manage.py", command
        assert args[1] in get_commands(), f"no management command {args[1]!r}"
    else:
        pytest.fail(f"unexpected program {program!r}")


def test_it_defines_the_services_of_a_deployment(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) == {*APP_SERVICES, "db", "redis"}
    assert compose["services"]["db"]["image"].startswith("postgres:16")
    assert compose["services"]["redis"]["image"].startswith("redis:7")


def test_it_health_checks_web_database_and_redis(compose: dict[str, Any]) -> None:
    services = compose["services"]
    web_check = services["web"]["healthcheck"]["test"]
    assert web_check[:3] == ["CMD", "python", "-c"]
    assert "/healthz" in web_check[3]
    compile(web_check[3], "web-healthcheck", "exec")
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert services["redis"]["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]
    assert "inspect ping" in services["worker"]["healthcheck"]["test"][1]


def test_it_starts_the_app_after_healthy_services_and_migrations(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert services["migrate"]["depends_on"] == {
        "db": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
    }
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"] == {
            "db": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
            "migrate": {"condition": "service_completed_successfully"},
        }, name


def test_it_restarts_long_running_services_but_not_the_migration(compose: dict[str, Any]) -> None:
    services = compose["services"]
    for name in LONG_RUNNING:
        assert services[name]["restart"] in {"always", "unless-stopped"}, name
    assert services["migrate"]["restart"] == "no"


def test_it_requires_a_secret_key_and_allowed_hosts(compose: dict[str, Any]) -> None:
    for name in APP_SERVICES:
        environment = compose["services"][name]["environment"]
        assert re.fullmatch(r"\$\{SECRET_KEY:\?[^}]+\}", environment["SECRET_KEY"]), name
        assert re.fullmatch(r"\$\{ALLOWED_HOSTS:\?[^}]+\}", environment["ALLOWED_HOSTS"]), name


def test_it_runs_the_app_with_production_settings_postgresql_and_redis(compose: dict[str, Any]) -> None:
    for name in APP_SERVICES:
        environment = compose["services"][name]["environment"]
        assert environment["DJANGO_SETTINGS_MODULE"] == "staffrole.settings.production", name
        assert re.fullmatch(r"postgres://staffrole:[^@]+@db:5432/staffrole", environment["DATABASE_URL"]), name
        assert environment["REDIS_URL"].startswith("redis://redis:6379/"), name
    assert compose["services"]["db"]["environment"]["POSTGRES_DB"] == "staffrole"


def test_it_shares_media_between_web_and_worker(compose: dict[str, Any]) -> None:
    mounts = {}
    for name in ("web", "worker"):
        service = compose["services"][name]
        media_root = service["environment"]["MEDIA_ROOT"]
        (mount,) = [volume for volume in service["volumes"] if volume.split(":")[1] == media_root]
        mounts[name] = mount
    assert mounts["web"] == mounts["worker"]
    assert mounts["web"].split(":")[0] in compose["volumes"]


def test_it_gives_page_views_priority_over_pdf_rendering(compose: dict[str, Any]) -> None:
    """On a shared host the export worker yields the CPU to web (docs/slo.md); the load test does the same."""
    services = compose["services"]
    assert services["worker"]["cpu_shares"] < services["web"].get("cpu_shares", 1024)
    load = (ROOT / "load" / "run.py").read_text()
    assert '"nice", "-n", str(options.worker_nice)' in load


def test_it_keeps_database_and_redis_data_on_volumes(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert "postgres-data:/var/lib/postgresql/data" in services["db"]["volumes"]
    assert "redis-data:/data" in services["redis"]["volumes"]
    assert {"postgres-data", "redis-data", "media"} <= set(compose["volumes"])


def test_it_starts_only_commands_that_exist(compose: dict[str, Any]) -> None:
    for name in APP_SERVICES:
        assert_command_exists(compose["services"][name]["command"])
    assert_command_exists(shlex.split(compose["services"]["worker"]["healthcheck"]["test"][1]))


def test_it_runs_web_worker_and_beat_from_the_procfile(procfile: dict[str, str]) -> None:
    assert set(procfile) == {"web", "worker", "beat"}
    for command in procfile.values():
        assert_command_exists(shlex.split(command))
    assert "127.0.0.1:8000" in procfile["web"]
    # The solo pool ignores soft and hard time limits; prefork enforces them as in production.
    assert "--pool prefork" in procfile["worker"]


def test_it_names_every_compose_variable_in_the_env_example(compose: dict[str, Any]) -> None:
    used = set(re.findall(r"\$\{([A-Z_]+)", (ROOT / "docker-compose.yml").read_text()))
    documented = set(re.findall(r"^#? ?([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    assert used - documented == set()
    assert {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "MEDIA_ROOT"} <= documented


def test_it_builds_a_non_root_image_with_static_files_and_pdf_libraries() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim", dockerfile, re.MULTILINE)
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0"):
        assert package in dockerfile
    assert "collectstatic --noinput" in dockerfile
    assert "DJANGO_SETTINGS_MODULE=staffrole.settings.production" in dockerfile
    users = re.findall(r"^USER (\S+)", dockerfile, re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", ".env", "var"} <= set(ignored)


def test_it_runs_ci_under_strict_bash_against_real_services() -> None:
    script = ROOT / ".ci" / "run"
    subprocess.run(["bash", "-n", str(script)], check=True)
    text = script.read_text()
    assert "set -euo pipefail" in text
    assert "export DATABASE_URL=postgres://" in text
    assert "export REDIS_URL=redis://" in text
    assert re.search(r"^make test", text, re.MULTILINE)
    # The dependency audit runs too, and its failure is CI's (docs/adr/0023-content-security-policy.md).
    assert re.search(r"^make audit \|\| audit_status=\$\?", text, re.MULTILINE)
    assert "status=$audit_status" in text


def test_it_wires_make_run_and_make_test() -> None:
    environment = {key: value for key, value in os.environ.items() if key not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL"}}

    def dry_run(target: str) -> str:
        result = subprocess.run(
            ["make", "-n", target], cwd=ROOT, env=environment, capture_output=True, text=True, check=True
        )
        return result.stdout

    run = dry_run("run")
    blueprint = re.search(r"import_blueprint (\S+) --publish", run)
    assert blueprint and (ROOT / blueprint[1]).is_file()
    for step in ("migrate --noinput", "seed_demo", "honcho start"):
        assert step in run
    test = dry_run("test")
    for step in ("ruff check", "mypy", "pytest -n"):
        assert step in test
    assert {"import_blueprint", "seed_demo"} <= set(get_commands())


def test_it_links_only_to_documents_that_exist() -> None:
    adr_dir = ROOT / "docs" / "adr"
    index = (adr_dir / "README.md").read_text()
    for adr in sorted(adr_dir.glob("[0-9][0-9][0-9][0-9]-*.md")):
        assert f"({adr.name})" in index, f"{adr.name} missing from docs/adr/README.md"
    for document in (ROOT / "README.md", adr_dir / "README.md"):
        for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", document.read_text()):
            if not re.match(r"[a-z]+:", target):
                assert (document.parent / target).exists(), f"{document.name} links to missing {target}"
