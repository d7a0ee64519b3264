"""The KPI panel in a real browser: the engineer attaches a KPI to a rating and takes it off, with htmx
(the panel and the rating update in place, and autosave goes on without a conflict) and without
JavaScript (the forms post and the page comes back)."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.reviews.kpi_support import dimensions, quarter_cycle, review_of, standard_kpis

SHOTS = Path("/tmp/review-kpi-shots")


@pytest.fixture
def review_url(transactional_db, staff_blueprint):
    from reviews.demo import demo_seed

    demo_seed(cycle=False, events=False)
    standard_kpis()
    review = review_of(quarter_cycle(), "engineer")
    return f"/reviews/{review.pk}/", dimensions(review)


def _page(browser, base_url, *, javascript=True):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", "engineer")
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")
    return page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_attaches_and_removes_a_kpi_in_place(live_server, review_url, browser_page):
    url, dims = review_url
    page = _page(browser_page.context.browser, live_server.url)
    page.goto(f"{live_server.url}{url}")
    panel = page.locator("#review-kpis")
    expect(panel.get_by_role("heading", name="KPIs for this period")).to_be_visible()
    row = panel.locator("tr", has_text="Flaky test rate")
    row.get_by_label("Dimension Flaky test rate of Platform is evidence for").select_option(str(dims[1].pk))
    row.get_by_role("button", name="Attach Flaky test rate of Platform").click()
    attached = f"Attached Flaky test rate of Platform to {dims[1].name} (self-assessment)."
    expect(panel.get_by_role("status")).to_have_text(attached)
    field = page.locator(f"#field-r-{dims[1].pk}-self")
    expect(field.locator(".kpi-evidence__item")).to_contain_text("Flaky test rate")
    expect(field.locator(".kpi-evidence__item")).to_contain_text("3.2%")
    SHOTS.mkdir(exist_ok=True)
    panel.screenshot(path=str(SHOTS / "panel-after-attach.png"))
    field.screenshot(path=str(SHOTS / "field-with-kpi.png"))
    # Autosave of the same rating goes on from the version the attach wrote: no conflict.
    with page.expect_response(lambda r: "/ratings/" in r.url and r.request.method == "POST") as saved:
        field.get_by_label("Comment").fill("Flakiness went down this quarter.")
    assert saved.value.status == 200
    expect(field.locator(".state-saved")).to_be_visible()
    field.get_by_role("button", name="Remove Flaky test rate of Platform").click()
    expect(panel.get_by_role("status")).to_contain_text("Removed the KPI")
    expect(field.locator(".kpi-evidence__item")).to_have_count(0)
    page.screenshot(path=str(SHOTS / "page.png"), full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_attaches_and_removes_a_kpi_without_javascript(live_server, review_url, browser_page):
    url, dims = review_url
    page = _page(browser_page.context.browser, live_server.url, javascript=False)
    page.goto(f"{live_server.url}{url}")
    row = page.locator("#review-kpis tr", has_text="SLO attainment")
    row.get_by_label("Dimension SLO attainment of billing-api is evidence for").select_option(str(dims[0].pk))
    row.get_by_role("button", name="Attach SLO attainment of billing-api").click()
    expect(page.locator(".message--success").first).to_contain_text("Attached SLO attainment of billing-api")
    field = page.locator(f"#field-r-{dims[0].pk}-self")
    expect(field.locator(".kpi-evidence__item")).to_contain_text("99.99%")
    field.get_by_role("button", name="Remove SLO attainment of billing-api").click()
    expect(page.locator(".message--success").first).to_contain_text("Removed the KPI")
    expect(field.locator(".kpi-evidence__item")).to_have_count(0)
