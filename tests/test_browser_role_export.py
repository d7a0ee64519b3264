"""The user journey of issue 2 in a real browser: HR logs in, opens the blueprint, exports its PDF
through the progress bar (a real worker renders it) and downloads it."""

import io

import pytest
from pypdf import PdfReader


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
