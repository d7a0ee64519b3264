"""The ladder journey of issue 7 in a real browser: the engineer opens the ladder, starts a self-assessment,
rates every skill of their blueprint (a few with evidence), answers the promotion criteria, submits, and
reads where they stand: the gaps with the critical ones first, the suggestion labelled as one, and their
trend of two points (one earlier assessment made in the fixture)."""

from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

SHOTS = Path("/tmp/ladder-shots")


@pytest.fixture
def ladder_org(transactional_db, staff_blueprint):
    """The demo organisation with the IC track and an assessment engineer submitted a month ago."""
    from django.contrib.auth.models import User
    from django.utils import timezone

    from ladder import services
    from ladder.demo import _track_ensure
    from reviews.demo import demo_seed

    demo_seed(cycle=False, events=False, plans=False, ladder=False)
    _track_ensure()
    engineer = User.objects.get(username="engineer")
    earlier = timezone.now() - timedelta(days=30)
    assessment, _created = services.assessment_start(actor=engineer, now=earlier)
    services.assessment_save(
        actor=engineer,
        assessment=assessment,
        version=assessment.version,
        skills=[services.SkillInput(skill=row.skill_id, score=2) for row in assessment.skills.all()],
        criteria=[
            services.CriterionInput(criterion=c.criterion_id, status="not_yet") for c in assessment.criteria.all()
        ],
    )
    services.assessment_submit(actor=engineer, assessment=assessment, now=earlier)
    rows = assessment.skills.select_related("skill").order_by("skill__position")
    return [(row.skill.name, row.skill.importance) for row in rows]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_self_assesses_against_the_ladder_and_sees_the_gaps_and_the_trend(live_server, ladder_org, browser_page):
    # Data first, browser last: inside Playwright's sync API the ORM would open a second connection.
    skills = ladder_org
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    SHOTS.mkdir(exist_ok=True)
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "engineer")
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")

    page.get_by_role("link", name="Ladder", exact=True).click()
    expect(page.get_by_role("heading", name="Career ladder")).to_be_visible()
    expect(page.get_by_role("heading", name="Staff Software Engineer", exact=True)).to_be_visible()
    page.get_by_role("link", name="Where you stand against the ladder").first.click()
    page.get_by_role("button", name="Start a self-assessment").click()
    expect(page.get_by_role("status").filter(has_text="Started a self-assessment")).to_be_visible()
    expect(page.locator("#skills-progress")).to_contain_text(f"0 of {len(skills)}")

    # Critical skills below the bar, the rest at it; evidence on the first three.
    for index, (name, importance) in enumerate(skills):
        page.get_by_label(f"Score for {name}", exact=True).select_option("2" if importance == "critical" else "3")
        if index < 3:
            page.get_by_label(f"Evidence for {name}", exact=True).fill(
                f"Evidence for {name.lower()}: the ledger split."
            )
            page.get_by_label(f"Links for {name}", exact=True).fill("https://wiki.example.test/adr/7")
    page.get_by_role("button", name="Save", exact=True).last.click()
    expect(page.get_by_role("status").filter(has_text="Saved your self-assessment.")).to_be_visible()
    expect(page.locator("#skills-progress")).to_contain_text(f"{len(skills)} of {len(skills)}")

    criteria = page.locator(".ladder-criterion")
    for index in range(criteria.count()):
        criteria.nth(index).get_by_label("Partly").check()
    page.get_by_role("button", name="Submit self-assessment").click()
    expect(page.get_by_role("status").filter(has_text="Submitted your self-assessment.")).to_be_visible()
    expect(page.get_by_role("heading", name="Where you stand")).to_be_visible()

    gaps = page.locator("#gaps tbody tr")
    critical = sum(1 for _name, importance in skills if importance == "critical")
    expect(gaps).to_have_count(critical)
    expect(gaps.first).to_contain_text("Critical")
    expect(page.locator("#weighted-gap")).to_contain_text(str(3 * critical))
    expect(page.locator("#suggestion")).to_contain_text("Suggestion - your manager records the actual view")
    expect(page.locator("#by-group svg[role=img]")).to_have_count(1)

    trend = page.locator("#trend tbody tr")
    expect(trend).to_have_count(2)
    expect(trend.last).to_contain_text("(this one)")
    expect(page.locator("#trend svg .chart__point")).to_have_count(2)
    page.screenshot(path=str(SHOTS / "engineer-results.png"), full_page=True)
