"""The user journey of issue 2 in a real browser: HR logs in, opens the blueprint, exports its PDF
through the progress bar (a real worker renders it) and downloads it."""

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

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


@pytest.mark.browser
@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_it_logs_in_exports_the_role_pdf_and_downloads_it(
    live_server, hr_user, staff_blueprint, worker, browser_page, tmp_path
):
    # Data first, browser last: inside Playwright's sync API the ORM would open a second connection.
    page = browser_page
    page.goto(f"{live_server.url}/roles/staff-software-engineer/")
    assert "/accounts/login/" in page.url

    page.fill("#id_username", "hr")
    page.fill("#id_password", "wrong")
    page.click("button[type=submit]")
    assert page.locator(".errorlist, .form-error, [role=alert]").count() >= 1

    page.fill("#id_username", "hr")
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/roles/staff-software-engineer/")
    assert page.locator("h1").first.inner_text().strip().startswith("Staff Software Engineer")
    assert page.get_by_text("System design & architecture").first.is_visible()

    page.get_by_role("button", name="Export PDF").click()
    page.locator("progress, [role=progressbar]").first.wait_for(state="attached")
    download_link = page.get_by_role("link", name="Download")
    download_link.wait_for(timeout=60_000)
    with page.expect_download() as download_info:
        download_link.click()
    target = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(target)

    assert target.name == "staff-software-engineer-v1.pdf"
    reader = PdfReader(io.BytesIO(target.read_bytes()))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Staff Software Engineer" in text and "System design & architecture" in text
    assert "scorecards.tasks.role_pdf_render" in worker["log"].read_text(errors="replace")
