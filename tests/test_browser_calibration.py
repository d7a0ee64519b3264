"""The calibration journey of issue 6 in a real browser: HR opens the cycle's calibration, sees the
flagged manager, moves a rating with a justification, exports the calibration pack, watches the
progress bar while a real worker renders it, and downloads the PDF, which holds every person, the
adjustment and its justification."""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

JUSTIFICATION = "Carried the ledger migration alone for a quarter; the weighted score misses it."


@pytest.fixture
def calibration(transactional_db, staff_blueprint):  # type: ignore[no-untyped-def]
    """The demo organisation with 24 synthetic engineers: the demo cycle has manager-submitted
    reviews, and one synthetic manager rates clearly above the rest."""
    from django.contrib.auth.models import User

    from reviews.calibration import CalibrationFilters, calibration_overview
    from reviews.demo import demo_seed
    from reviews.models import Cycle, Review

    demo_seed(engineers=24)
    cycle = Cycle.objects.get()
    overview = calibration_overview(user=User.objects.get(username="hr"), cycle=cycle, filters=CalibrationFilters())
    flagged = [skew for skew in overview.skews if skew.flagged and skew.difference and skew.difference > 0]
    assert flagged, "the demo data should have a lenient manager"
    row = next(
        row
        for row in overview.rows
        if row.state == Review.State.MANAGER_SUBMITTED and row.proposed is not None and row.proposed < 5
    )
    names = list(Review.objects.filter(cycle=cycle).values_list("employee__name", flat=True))
    return {"cycle": cycle.pk, "flagged": flagged[0].name, "row": row, "names": names}


@pytest.mark.browser
@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_hr_calibrates_and_downloads_the_pack(live_server, calibration, worker, browser_page, tmp_path):
    # Data first, browser last: inside Playwright's sync API the ORM would open a second connection.
    page = browser_page
    row = calibration["row"]
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "hr")
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/cycles/{calibration['cycle']}/calibration/")
    flagged_row = page.locator("tr.calibration-skew--flagged", has_text=calibration["flagged"])
    expect(flagged_row).to_contain_text("Lenient")

    calibrated = page.locator("#calibration-figures li", has_text="with a final rating")
    before = int(calibrated.locator("strong").inner_text())
    person = page.locator(f"#row-{row.review_id}")
    person.get_by_text("Set the final rating").click()
    person.get_by_label("Final rating").select_option(str(row.proposed + 1))
    person.get_by_role("button", name="Save the final rating").click()
    # Without a justification nothing is saved and the field says why.
    expect(page.locator(f"#row-{row.review_id}")).to_contain_text("Say why")
    person = page.locator(f"#row-{row.review_id}")
    person.get_by_label("Final rating").select_option(str(row.proposed + 1))
    person.get_by_label("Justification").fill(JUSTIFICATION)
    person.get_by_role("button", name="Save the final rating").click()
    expect(page.locator(f"#row-{row.review_id}")).to_contain_text(f"Saved: final rating {row.proposed + 1}")
    expect(page.locator(f"#row-{row.review_id}")).to_contain_text(f"proposed {row.proposed}")
    # The summary counted the new final rating without a reload.
    expect(calibrated.locator("strong")).to_have_text(str(before + 1))

    page.get_by_role("button", name="Export calibration pack (PDF)").click()
    progress = page.locator("#calibration-export-progress")
    expect(progress.locator("progress")).to_be_attached()
    download_link = progress.get_by_role("link", name="Download")
    download_link.wait_for(timeout=90_000)
    people = len(calibration["names"])
    expect(progress).to_contain_text(f"{people} of {people} people rendered")
    with page.expect_download() as download_info:
        download_link.click()
    target = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(target)

    assert target.name.startswith("calibration-pack-") and target.suffix == ".pdf"
    reader = PdfReader(io.BytesIO(target.read_bytes()))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    for name in calibration["names"]:
        assert name in text, name
    assert JUSTIFICATION in text
    assert calibration["flagged"] in text
    assert "jobs.tasks.job_part_render" in worker["log"].read_text(errors="replace")
