"""A condensed calibration page holds one person's figures, the gaps of 2 or more between self and
manager, the calibration and the short manager comments, and prints as exactly one page."""

from decimal import Decimal

import pytest
from django.template import engines

from reviews.packets import SHORT_COMMENT, condensed_pages
from reviews.services import RatingInput, review_calibrate, review_rate, review_transition
from staffrole.pdf import render_pdf
from tests.reviews.packet_support import pdf_pages, pdf_text, words
from tests.reviews.page_helpers import dimension_names, engineer_review, rate, user, walk

pytestmark = pytest.mark.django_db

SELF = [4, 3, 4, 3, 3, 4, 5]
MANAGER = [2, 3, 4, 5, 3, 4, 3]  # gaps -2 on the first, +2 on the fourth, -2 on the last
LONG = "The ledger split slipped twice, " * 20
CALIBRATION_PACK = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Calibration pack</title>
<link rel="stylesheet" href="staffrole-static:css/packet-print.css"></head><body>
{% for person in people %}{% include "reviews/pdf/_condensed_person.html" %}{% endfor %}
</body></html>"""


@pytest.fixture
def calibrated(open_cycle):
    review = engineer_review(open_cycle)
    names = dimension_names(review)
    engineer, manager, hr = user("engineer"), user("manager"), user("hr")
    review = rate(engineer, review, dict(zip(names, SELF, strict=True)), "self words")
    review = review_transition(actor=engineer, review=review, action="submit_self")
    comments = [LONG, "Excellent debugging.", "", "Set direction for three teams.", "Late updates.", "Fine.", "Good."]
    ratings = [RatingInput(n, s, c) for n, s, c in zip(names, MANAGER, comments, strict=True)]
    review = review_rate(actor=manager, review=review, ratings=ratings, version=None, potential="high")
    review = review_transition(actor=manager, review=review, action="submit_manager")
    review.refresh_from_db()
    return review_calibrate(
        actor=hr, review=review, version=review.version, final_rating=4, justification="Cross-team impact."
    )


def test_it_holds_the_figures_gaps_and_comments_of_one_person(calibrated):
    [person] = condensed_pages(review_ids=[calibrated.pk], requester=user("hr"))
    names = dimension_names(calibrated)

    assert (person.name, person.username, person.role_title, person.blueprint_version) == (
        "Eli Engineer",
        "engineer",
        "Staff Software Engineer",
        1,
    )
    assert (person.level, person.team, person.manager, person.state) == (
        "Staff",
        "Platform",
        "Morgan Manager",
        "calibrated",
    )
    assert [(d.name, d.weight, d.self_score, d.manager_score) for d in person.dimensions] == [
        (name, weight, own, theirs)
        for name, weight, own, theirs in zip(
            names, [Decimal(w) for w in (25, 20, 15, 15, 10, 10, 5)], SELF, MANAGER, strict=True
        )
    ]
    # 50 + 60 + 60 + 75 + 30 + 40 + 15 = 330 -> 3.30; self 360 -> 3.60.
    assert [d.contribution for d in person.dimensions] == [
        Decimal(v) for v in ["0.50", "0.60", "0.60", "0.75", "0.30", "0.40", "0.15"]
    ]
    assert (person.weighted_self, person.weighted_manager, person.proposed_rating) == (
        Decimal("3.60"),
        Decimal("3.30"),
        3,
    )
    assert (person.final_rating, person.final_label, person.final_differs) == (4, "Exceeds", True)
    assert person.justification == "Cross-team impact."
    assert person.potential == "High"
    assert [(d.name, d.gap) for d in person.gaps] == [(names[0], -2), (names[3], 2), (names[6], -2)]
    assert [d.name for d in person.manager_comments] == [n for n in names if n != names[2]]
    assert len(person.manager_comments[0].manager_comment) <= SHORT_COMMENT
    assert person.manager_comments[0].manager_comment.endswith("\u2026")


def test_it_prints_each_person_on_exactly_one_page(calibrated, open_cycle):
    other = walk(engineer_review(open_cycle, "engineer2"), "manager_submitted")
    people = condensed_pages(review_ids=[calibrated.pk, other.pk], requester=user("hr"))
    html = engines["django"].from_string(CALIBRATION_PACK).render({"people": people})
    text = words(html)
    assert "Eli Engineer" in text and "Emery Engineer" in text
    assert "Final 4 differs from the proposed 3. Justification: Cross-team impact." in text

    content = render_pdf(html)
    assert pdf_pages(content) == 2
    pages = pdf_text(content).split("Page 1 of 2")
    assert "Eli Engineer" in pages[0] and "Emery Engineer" in pages[1]
