"""No lost work, with two real writers: the manager has the same review open twice and edits the same
comment in both; the later save gets the conflict view, with its own text intact and the other value shown.
With JavaScript the field saves itself; without, the page posts whole; both keep what was typed."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.reviews.cycle_support import open_cycle_around_today

SHOTS = Path("/tmp/review-page-shots")


@pytest.fixture
def review_url(transactional_db, staff_blueprint):
    """A review whose self-assessment is submitted, so that the manager is writing theirs."""
    from django.contrib.auth.models import User

    from reviews.models import Review
    from reviews.services import RatingInput, review_rate, review_transition

    cycle = open_cycle_around_today("Conflict cycle")
    review = Review.objects.get(cycle=cycle, employee__user__username="engineer")
    engineer = User.objects.get(username="engineer")
    names = review.blueprint_version.dimensions.order_by("position").values_list("name", flat=True)
    review_rate(actor=engineer, review=review, ratings=[RatingInput(n, 4, "self") for n in names], version=None)
    review_transition(actor=engineer, review=review, action="submit_self")
    return f"/reviews/{review.pk}/"


def _tab(browser, base_url, *, javascript=True):
    """A browser context of its own (its own session), logged in as the manager."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", "manager")
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")
    return page


def _communication(page):
    return page.get_by_role("region", name="Communication", exact=True)


def _saving(page):
    return page.expect_response(lambda r: "/ratings/" in r.url and r.request.method == "POST")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_shows_the_later_autosave_a_conflict_and_keeps_its_text(live_server, review_url, browser_page):
    browser = browser_page.context.browser
    base = live_server.url
    first, second = _tab(browser, base), _tab(browser, base)
    first.goto(f"{base}{review_url}")
    second.goto(f"{base}{review_url}")  # loaded before the first tab saves: it holds the old version

    with _saving(first) as saved:
        _communication(first).get_by_label("Comment").fill("Clear RFCs; the incident write-ups were late.")
    assert saved.value.status == 200
    expect(_communication(first).locator(".field-state__text")).to_contain_text("Saved at")

    comment = _communication(second).get_by_label("Comment")
    with _saving(second) as refused:
        comment.fill("Writes well; needs to speak up more in design reviews.")
    assert refused.value.status == 409
    section = _communication(second)
    expect(section.locator(".field-state__text")).to_have_text("Conflict: not saved")
    conflict = section.locator(".conflict")
    expect(conflict).to_contain_text("You saved this field in another tab or window")
    expect(conflict).to_contain_text("Clear RFCs; the incident write-ups were late.")
    expect(comment).to_have_value("Writes well; needs to speak up more in design reviews.")
    # A conflict is an answer, not a failure: the page's "something went wrong" banner stays hidden.
    expect(second.locator("#htmx-error")).to_be_hidden()
    SHOTS.mkdir(exist_ok=True)
    section.screenshot(path=str(SHOTS / "conflict-autosave.png"))

    # Typing on does not overwrite either: the field stays in conflict until the person chooses.
    with _saving(second) as again:
        comment.fill("Writes well; needs to speak up more in design reviews!")
    assert again.value.status == 409

    # "Keep mine" saves this tab's text over the other, knowingly.
    with _saving(second) as kept:
        conflict.get_by_role("button", name="Keep mine").click()
    assert kept.value.status == 200
    expect(section.locator(".field-state__text")).to_contain_text("Saved at")
    expect(section.locator(".conflict")).to_have_count(0)

    # Now the first tab is the stale one; it chooses "Use theirs" and gets the saved text in the box.
    with _saving(first) as stale:
        _communication(first).get_by_label("Comment").fill("Clear RFCs.")
    assert stale.value.status == 409
    _communication(first).get_by_role("button", name="Use theirs").click()
    expect(_communication(first).get_by_label("Comment")).to_have_value(
        "Writes well; needs to speak up more in design reviews!"
    )
    expect(_communication(first).locator(".conflict")).to_have_count(0)

    # Both edits are in the history, and nothing was lost on the way.
    first.reload()
    history = first.locator("#history")
    expect(history).to_contain_text("Rated Communication (manager review)")
    expect(history).to_contain_text("Writes well; needs to speak up more in design reviews!")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_shows_the_later_plain_post_a_conflict_and_keeps_its_text(live_server, review_url, browser_page):
    browser = browser_page.context.browser
    base = live_server.url
    first, second = _tab(browser, base, javascript=False), _tab(browser, base, javascript=False)
    first.goto(f"{base}{review_url}")
    second.goto(f"{base}{review_url}")

    _communication(first).get_by_label("Comment").fill("Saved first, from the first window.")
    first.get_by_role("button", name="Save", exact=True).click()
    expect(first.get_by_role("status").filter(has_text="Saved at")).to_be_visible()

    section = _communication(second)
    section.get_by_label("3 · Meets the bar").check()
    section.get_by_label("Comment").fill("Typed in the second window.")
    _dimension = second.get_by_role("region", name="Technical leadership", exact=True)
    _dimension.get_by_label("4 · Exceeds").check()
    second.get_by_role("button", name="Save", exact=True).click()

    expect(second.locator("#review-error")).to_contain_text("Someone else saved some of these fields")
    expect(second.locator("#review-error")).to_contain_text("Everything else is saved.")
    section = _communication(second)
    expect(section.get_by_label("Comment")).to_have_value("Typed in the second window.")
    expect(section.get_by_label("3 · Meets the bar")).to_be_checked()
    expect(section.locator(".conflict")).to_contain_text("Saved first, from the first window.")
    expect(
        second.get_by_role("region", name="Technical leadership", exact=True).locator(".field-state__text")
    ).to_contain_text("Last saved")
    SHOTS.mkdir(exist_ok=True)
    section.screenshot(path=str(SHOTS / "conflict-plain-post.png"))

    section.get_by_role("button", name="Keep mine").click()
    expect(second.get_by_role("status").filter(has_text="Saved at")).to_be_visible()
    expect(_communication(second).get_by_label("Comment")).to_have_value("Typed in the second window.")
    first.reload()
    expect(_communication(first).get_by_label("Comment")).to_have_value("Typed in the second window.")
