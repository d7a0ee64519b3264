"""The user journey of issue 3 in a real browser: HR uploads the organisation, checks the preview and
confirms; the new person sets a password from the invitation email, logs in and sees only their own
things."""

import csv
import io
import re
from datetime import timedelta

import pytest


def _org_csv() -> bytes:
    from django.utils import timezone

    from org.models import Employee

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["username", "email", "name", "title", "role", "level", "team", "manager", "start_date"])
    for person in Employee.objects.select_related("user", "role", "team", "manager__user").order_by("pk"):
        writer.writerow(
            [
                person.user.username,
                person.user.email,
                person.name,
                person.title,
                person.role.slug if person.role else "",
                person.level,
                person.team.slug if person.team else "",
                person.manager.user.username if person.manager else "",
                person.start_date.isoformat(),
            ]
        )
    writer.writerow(
        [
            "ravi",
            "ravi@example.test",
            "Ravi Raman",
            "Staff Software Engineer",
            "staff-software-engineer",
            "Staff",
            "platform",
            "manager",
            # A recent start, whatever day the suite runs: new starters are pointed at their blueprint.
            (timezone.localdate() - timedelta(days=3)).isoformat(),
        ]
    )
    return out.getvalue().encode()


@pytest.fixture
def org_upload(transactional_db, staff_blueprint, tmp_path):
    """The demo organisation, and a file of it with one new person."""
    from reviews.demo import demo_seed

    demo_seed()
    upload = tmp_path / "people.csv"
    upload.write_bytes(_org_csv())
    return upload


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_imports_the_org_and_the_new_person_sees_only_their_own_things(
    live_server, org_upload, mailoutbox, browser_page
):
    # Data first, browser last: inside Playwright's sync API the ORM would open a second connection.
    upload = org_upload
    page = browser_page

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "hr")
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")
    page.get_by_role("link", name="Import organisation").first.click()
    page.set_input_files("input[type=file]", str(upload))
    page.get_by_role("button", name="Upload and preview").click()

    page.get_by_role("heading", name="Preview: people.csv").wait_for()
    assert page.get_by_role("heading", name="New people (1)").is_visible()
    assert page.get_by_text("Ravi Raman").first.is_visible()
    page.get_by_role("button", name="Confirm import").click()
    page.wait_for_url(f"{live_server.url}/people/")
    assert page.get_by_role("link", name="Ravi Raman").is_visible()
    page.locator("summary").filter(has_text="Harper").click()
    page.get_by_role("button", name="Log out").click()

    # The invitation email carries a link to set a password.
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["ravi@example.test"]
    link = re.search(r"https?://\S+/accounts/reset/\S+/", mailoutbox[0].body)
    assert link, mailoutbox[0].body
    path = link.group(0).split("/accounts/", 1)[1]
    page.goto(f"{live_server.url}/accounts/{path}")
    page.fill("#id_new_password1", "a-long-new-passphrase-42")
    page.fill("#id_new_password2", "a-long-new-passphrase-42")
    page.click("button[type=submit]")
    page.get_by_role("link", name=re.compile("log in", re.IGNORECASE)).first.click()

    page.fill("#id_username", "ravi")
    page.fill("#id_password", "a-long-new-passphrase-42")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", name="Hello, Ravi Raman").is_visible()
    assert page.get_by_role("link", name="Morgan Manager").first.is_visible()
    assert page.get_by_text("Read the Staff Software Engineer blueprint").is_visible()
    assert page.get_by_text("Your team").count() == 0
    assert page.get_by_role("link", name="Import organisation").count() == 0

    # A colleague's basic profile only; HR's pages and other people's edits are refused.
    page.goto(f"{live_server.url}/people/engineer/")
    assert page.get_by_text("Level, start date and reviews are visible to").is_visible()
    assert page.locator("dt", has_text="Start date").count() == 0
    for url in ("/people/engineer/edit/", "/org/import/", "/people/ravi/edit/"):
        response = page.goto(f"{live_server.url}{url}")
        assert response is not None and response.status == 403, url
    page.goto(f"{live_server.url}/people/ravi/")
    assert page.locator("dt", has_text="Start date").count() == 1
    assert page.locator("dd", has_text="Morgan Manager").count() == 1
