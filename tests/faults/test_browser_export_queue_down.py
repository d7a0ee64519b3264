"""In a real browser, with the broker down: "Export PDF" shows the queue's message where the progress
bar would have been, not the general error banner, and the page stays usable."""

import pytest

from jobs.services import MESSAGE_QUEUE_UNAVAILABLE
from tests.faults.support import free_port, redis_at


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_export_pdf_shows_that_the_queue_is_unavailable(live_server, hr_user, staff_blueprint, browser_page):
    page = browser_page
    with redis_at(f"redis://127.0.0.1:{free_port()}/0"):
        page.goto(f"{live_server.url}/accounts/login/?next=/roles/staff-software-engineer/")
        page.fill("#id_username", "hr")
        page.fill("#id_password", "demo")
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/roles/staff-software-engineer/")

        page.get_by_role("button", name="Export PDF").click()

        message = page.locator('#export-slot [data-unavailable="queue"]')
        message.wait_for(timeout=15_000)
        assert message.inner_text().strip() == MESSAGE_QUEUE_UNAVAILABLE
        assert page.locator("#htmx-error").is_hidden()
        assert page.locator("h1").first.inner_text().strip().startswith("Staff Software Engineer")
