"""The 30/60/90 plan journey of issue 7 in a real browser: newhire updates two goals of their plan (status and
a note) and logs out; their manager logs in, opens the new hires page and sees both goals' new statuses on
newhire's plan. (That an overdue goal reaches the reminder email: tests/plans/test_plan_reminders.py.)"""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

WIDTH, HEIGHT = 1280, 900


@pytest.fixture
def newhire_plan(transactional_db, staff_blueprint):
    """The demo organisation with newhire's plan (three weeks in), but without the demo's goal progress."""
    from django.utils import timezone

    from org.models import Employee
    from plans.models import Plan
    from plans.services import plan_create_for
    from reviews.demo import demo_seed

    demo_seed(cycle=False, events=False)
    newhire = Employee.objects.get(user__username="newhire")
    assert newhire.start_date == timezone.localdate() - timedelta(weeks=3)
    plan = plan_create_for(employee=newhire, reason=Plan.Reason.START, actor=None)
    assert plan is not None
    # Read here, before the browser starts: inside Playwright's sync API the ORM would open a second connection.
    return list(plan.goals.order_by("position")[:2])


def _login(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def _logout(page):
    page.locator(".usermenu summary").click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/accounts/**")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_newhire_updates_two_goals_and_the_manager_sees_them(live_server, newhire_plan, browser_page):
    page = browser_page
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    base = live_server.url
    first, second = newhire_plan

    _login(page, base, "newhire")
    page.get_by_role("link", name="Plans", exact=True).click()
    page.get_by_role("link", name="Staff Software Engineer").click()
    expect(page.get_by_role("heading", name="Your 30/60/90 plan")).to_be_visible()

    goal = page.locator(f"#goal-{first.pk}")
    goal.get_by_label("Status").select_option("done")
    goal.get_by_label("Notes", exact=True).fill("Walked the customer journeys with the PM.")
    with page.expect_response(lambda r: f"/goals/{first.pk}/" in r.url and r.request.method == "POST") as saved:
        goal.get_by_role("button", name="Save goal").click()
    assert saved.value.status == 200
    expect(page.locator(f"#goal-{first.pk} [data-testid=goal-status]")).to_have_text("Done")
    expect(page.locator(f"#goal-{first.pk}")).to_contain_text("Saved at")

    goal = page.locator(f"#goal-{second.pk}")
    goal.get_by_label("Status").select_option("in_progress")
    goal.get_by_label("Notes", exact=True).fill("Service map drafted.")
    with page.expect_response(lambda r: f"/goals/{second.pk}/" in r.url and r.request.method == "POST") as saved:
        goal.get_by_role("button", name="Save goal").click()
    assert saved.value.status == 200
    expect(page.locator(f"#goal-{second.pk} [data-testid=goal-status]")).to_have_text("In progress")

    # Reloaded, the page shows what was saved.
    page.reload()
    expect(page.locator(f"#goal-{first.pk} [data-testid=goal-status]")).to_have_text("Done")
    expect(page.locator(f"#goal-{second.pk}").get_by_label("Notes", exact=True)).to_have_value("Service map drafted.")
    _logout(page)

    _login(page, base, "manager")
    page.get_by_role("link", name="Plans", exact=True).click()
    hires = page.get_by_role("region", name="Your new hires")
    row = hires.get_by_role("row").filter(has_text="Noor Newhire")
    expect(row).to_contain_text("1 of")
    expect(row).to_contain_text("1 in progress")
    row.get_by_role("link", name="Noor Newhire").click()
    expect(page.get_by_role("heading", name="Noor Newhire's 30/60/90 plan")).to_be_visible()
    expect(page.locator(f"#goal-{first.pk} [data-testid=goal-status]")).to_have_text("Done")
    expect(page.locator(f"#goal-{second.pk} [data-testid=goal-status]")).to_have_text("In progress")
    expect(page.locator(f"#goal-{first.pk}").get_by_label("Notes", exact=True)).to_have_value(
        "Walked the customer journeys with the PM."
    )
    expect(page.locator(f"#goal-{first.pk}")).to_contain_text("Last changed by")
