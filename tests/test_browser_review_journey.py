"""The review journey of issue 4 in a real browser: the engineer assesses themselves (and first learns
exactly what is missing), the manager rates with autosave and reads the weighted score's explanation,
HR accepts the score at calibration, the manager shares and the engineer acknowledges with a comment."""

from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.reviews.cycle_support import open_cycle_around_today

SHOTS = Path("/tmp/review-page-shots")
DIMENSIONS = [
    "System design & architecture",
    "Hands-on coding & debugging",
    "Operational excellence",
    "Technical leadership",
    "Communication",
    "Security & quality mindset",
    "Collaboration & mentorship",
]
WEIGHTS = [25, 20, 15, 15, 10, 10, 5]
SELF_SCORES = [4, 4, 3, 3, 4, 3, 5]
MANAGER_SCORES = [4, 3, 3, 4, 3, 3, 3]
LABELS = {
    1: "1 · Does not meet",
    2: "2 · Partially meets",
    3: "3 · Meets the bar",
    4: "4 · Exceeds",
    5: "5 · Far exceeds",
}


@pytest.fixture
def review_url(transactional_db, staff_blueprint):
    """A fresh cycle with a draft review for engineer (whose reviewer is manager)."""
    from reviews.models import Review

    cycle = open_cycle_around_today("Journey cycle")
    review = Review.objects.get(cycle=cycle, employee__user__username="engineer")
    return f"/reviews/{review.pk}/", cycle.pk


def _login(browser, base_url, username):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")
    return page


def _dimension(page, name):
    return page.get_by_role("region", name=name, exact=True)


def _saving(page):
    """Wait for the autosave that the next action starts."""
    return page.expect_response(lambda r: "/ratings/" in r.url and r.request.method == "POST")


def _rate(page, name, score, comment=None):
    """Choose a score (and type a comment) in one dimension, and wait for autosave to say it is saved."""
    section = _dimension(page, name)
    state = section.locator(".field-state__text")
    with _saving(page) as saved:
        section.get_by_label(LABELS[score], exact=True).check()
    assert saved.value.status == 200
    expect(state).to_contain_text("Saved at")
    if comment is not None:
        with _saving(page) as saved:
            section.get_by_label("Comment").fill(comment)
        assert saved.value.status == 200
        expect(state).to_contain_text("Saved at")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_takes_a_review_from_self_assessment_to_acknowledgement(live_server, review_url, browser_page):
    # Data first, browser last: inside Playwright's sync API the ORM would open a second connection.
    url, cycle_id = review_url
    browser = browser_page.context.browser
    SHOTS.mkdir(exist_ok=True)
    base = live_server.url

    # The engineer finds the review in the list, rates two dimensions and submits too early.
    engineer = _login(browser, base, "engineer")
    engineer.goto(f"{base}/reviews/?cycle={cycle_id}")
    engineer.get_by_role("link", name="Eli Engineer").click()
    engineer.wait_for_url(f"{base}{url}")
    expect(engineer.get_by_role("heading", name="Eli Engineer")).to_be_visible()
    expect(engineer.locator(".step--current")).to_contain_text("Draft")
    _rate(engineer, DIMENSIONS[0], SELF_SCORES[0], "Led the ledger split with no downtime.")
    _rate(engineer, DIMENSIONS[1], SELF_SCORES[1])
    engineer.get_by_role("button", name="Submit self-assessment").click()
    missing = engineer.locator("#missing")
    expect(missing).to_contain_text("5 dimensions of the self-assessment are not rated yet")
    expect(missing.locator("li")).to_have_text(DIMENSIONS[2:])
    expect(_dimension(engineer, DIMENSIONS[0]).get_by_label("Comment")).to_have_value(
        "Led the ledger split with no downtime."
    )
    engineer.screenshot(path=str(SHOTS / "engineer-missing.png"), full_page=False)

    # Following a link of the list goes to the dimension; rating the rest, the submit goes through.
    missing.get_by_role("link", name=DIMENSIONS[2]).click()
    for name, score in zip(DIMENSIONS[2:], SELF_SCORES[2:], strict=True):
        _rate(engineer, name, score)
    engineer.get_by_role("button", name="Submit self-assessment").click()
    expect(engineer.get_by_role("status").filter(has_text="Submitted your self-assessment.")).to_be_visible()
    expect(engineer.get_by_role("button", name="Submit self-assessment")).to_have_count(0)
    expect(engineer.locator("#score-self-value")).to_contain_text("3.65")

    # The manager reads the self-assessment and rates, each choice saved as it is made.
    manager = _login(browser, base, "manager")
    manager.goto(f"{base}{url}")
    expect(_dimension(manager, DIMENSIONS[0]).locator(".rating-field--read")).to_contain_text(
        "Led the ledger split with no downtime."
    )
    for name, score in zip(DIMENSIONS, MANAGER_SCORES, strict=True):
        _rate(manager, name, score, f"Manager view of {name.lower()}." if name == "Communication" else None)
    expected = sum(Decimal(w * s) for w, s in zip(WEIGHTS, MANAGER_SCORES, strict=True)) / 100
    assert expected == Decimal("3.40")

    # "Explain this score": the contributions add up to the weighted score, updated without a reload.
    card = manager.locator("#score-manager")
    card.get_by_text("Explain this score").click()
    rows = card.locator("tbody tr")
    expect(rows).to_have_count(7)
    contributions = [Decimal(rows.nth(i).locator("td").nth(3).inner_text()) for i in range(7)]
    products = [rows.nth(i).locator("td").nth(2).inner_text() for i in range(7)]
    assert products == [str(w * s) for w, s in zip(WEIGHTS, MANAGER_SCORES, strict=True)]
    assert sum(contributions) == expected
    expect(card.locator("[data-weighted-score]")).to_have_text("3.40")
    expect(card).to_contain_text("340 ÷ 100 = 3.40")
    manager.screenshot(path=str(SHOTS / "manager-explain.png"), full_page=False)

    potential = manager.get_by_role("group", name="Potential")
    potential.get_by_label("High").check()
    expect(potential.locator(".field-state__text")).to_contain_text("Saved at")
    manager.get_by_role("button", name="Submit review").click()
    expect(manager.get_by_role("status").filter(has_text="Submitted your review.")).to_be_visible()

    # HR accepts the weighted score as the final rating.
    hr = _login(browser, base, "hr")
    hr.goto(f"{base}{url}")
    hr.get_by_role("button", name="Accept 3 as the final rating").click()
    expect(
        hr.get_by_role("status").filter(has_text="Calibrated: the final rating is 3 (Meets the bar).")
    ).to_be_visible()

    # The engineer does not see the manager's view before it is shared.
    engineer.goto(f"{base}{url}")
    expect(engineer.get_by_text("Manager view of communication.")).to_have_count(0)
    expect(engineer.get_by_text("once the review is shared")).to_be_visible()

    manager.goto(f"{base}{url}")
    manager.get_by_role("button", name="Share with Eli Engineer").click()
    expect(manager.get_by_role("status").filter(has_text="Shared the review with Eli Engineer.")).to_be_visible()

    # The engineer reads the manager's ratings and acknowledges, recording where they disagree.
    engineer.goto(f"{base}{url}")
    expect(_dimension(engineer, "Communication").locator(".rating-field--read").nth(1)).to_contain_text(
        "Manager view of communication."
    )
    expect(engineer.locator("#score-manager-value")).to_contain_text("3.40")
    expect(engineer.locator(".score-card--final")).to_contain_text("3")
    engineer.get_by_label("Comment (optional)").fill("I see operational excellence higher: two incident reviews led.")
    engineer.get_by_role("button", name="Acknowledge the review").click()
    expect(engineer.get_by_role("status").filter(has_text="Acknowledged the review.")).to_be_visible()
    expect(engineer.locator(".step--current")).to_contain_text("Acknowledged")
    history = engineer.locator("#history")
    expect(history).to_contain_text("Acknowledged the review")
    expect(history).to_contain_text("Comment: I see operational excellence higher")
    expect(history).to_contain_text("Calibrated the review")
    expect(history).not_to_contain_text("Set the potential")
    engineer.screenshot(path=str(SHOTS / "engineer-acknowledged.png"), full_page=True)
