import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db.models.signals import post_migrate

from tests.worker_process import private_queue, worker  # noqa: F401 - fixtures

# Playwright's sync API runs an event loop in the thread that also touches the database.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _dora_tiers_back(sender: Any, apps: Any = None, **kwargs: Any) -> None:
    """A transactional test flushes every table afterwards, rows of data migrations included; Django puts
    back only what post_migrate makes (content types, permissions). Put the DORA tiers back the same way,
    so the next test (and cycle_create, which checks the tiers of its report year) still finds them."""
    if getattr(sender, "label", None) != "kpis":
        return
    import importlib

    from django.apps import apps as global_apps

    importlib.import_module("kpis.migrations.0002_dora_tiers").load_tiers(apps or global_apps)


post_migrate.connect(_dora_tiers_back, dispatch_uid="tests.dora_tiers_back")

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """In CI nothing may be skipped: a skip becomes a failure that prints its reason."""
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"Skipped in CI (CI=true forbids skips): {reason}"


BUNDLED_DOCUMENT = "scorecards/blueprint_documents/staff-software-engineer.txt"


@pytest.fixture
def hr_user(django_user_model):  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("hr", password="demo")
    user.groups.add(Group.objects.get_or_create(name="HR")[0])
    return user


@pytest.fixture
def engineer_user(django_user_model):  # type: ignore[no-untyped-def]
    return django_user_model.objects.create_user("engineer", password="demo")


@pytest.fixture
def staff_blueprint(db):  # type: ignore[no-untyped-def]
    """The bundled Staff Software Engineer blueprint, imported and published (version 1)."""
    from pathlib import Path

    from scorecards.services import blueprint_import, blueprint_parse_upload

    path = Path(__file__).resolve().parents[1] / BUNDLED_DOCUMENT
    data = blueprint_parse_upload(name=path.name, content=path.read_bytes())
    return blueprint_import(actor=None, data=data, source_name=path.name, publish=True).version


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture
def browser_page(tmp_path: Path) -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(accept_downloads=True)
            page = context.new_page()
            page.set_default_timeout(30_000)
            yield page
        finally:
            browser.close()
