"""HR's packet of a calibrated, shared and acknowledged review holds every section, and its scorecard
figures are those of a hand-computed example."""

import pytest

from reviews.packets import review_packet_html
from reviews.services import review_calibrate, review_transition
from tests.reviews.packet_support import table_rows, words
from tests.reviews.page_helpers import dimension_names, engineer_review, rate, user

pytestmark = pytest.mark.django_db

# The bundled scorecard's weights are 25, 20, 15, 15, 10, 10 and 5.
SELF = [4, 3, 4, 3, 3, 4, 5]  # 100 + 60 + 60 + 45 + 30 + 40 + 25 = 360 -> 3.60 -> 4
MANAGER = [3, 3, 4, 3, 3, 4, 3]  # 75 + 60 + 60 + 45 + 30 + 40 + 15 = 325 -> 3.25 -> 3
JUSTIFICATION = "Led the incident programme across three teams beyond the scorecard."


@pytest.fixture
def signed_off(open_cycle):
    review = engineer_review(open_cycle)
    names = dimension_names(review)
    engineer, manager, hr = user("engineer"), user("manager"), user("hr")
    review = rate(engineer, review, dict(zip(names, SELF, strict=True)), "self words")
    review = review_transition(actor=engineer, review=review, action="submit_self")
    review = rate(manager, review, dict(zip(names, MANAGER, strict=True)), "manager words")
    review = review_transition(actor=manager, review=review, action="submit_manager")
    review.refresh_from_db()
    review = review_calibrate(
        actor=hr, review=review, version=review.version, final_rating=4, justification=JUSTIFICATION
    )
    review = review_transition(actor=manager, review=review, action="share")
    return review_transition(actor=engineer, review=review, action="acknowledge", reason="Read and agreed.")


def test_it_holds_every_section_for_hr(signed_off):
    html = review_packet_html(review_id=signed_off.pk, requester=user("hr"))
    text = words(html)

    # Cover: person, role and version, level, team, reviewer, cycle and period, state, confidentiality.
    assert "Confidential - Eli Engineer and their management chain; HR" in text
    assert "Eli Engineer - 2026 Q4 - Confidential" in text  # the running header
    assert "Staff Software Engineer, version 1" in text
    for fact in ("Level Staff", "Team Platform", "Reviewer Morgan Manager", "Cycle 2026 Q4", "State Acknowledged"):
        assert fact in text, fact
    assert "Final rating 4 Exceeds" in text
    assert 'content="staffrole"' in html and "staffrole-static:css/packet-print.css" in html
    # The role's expectations: mission and each dimension's bar.
    assert "1 The role's expectations" in text and "Mission" in text
    bars = table_rows(html, "bar-table")
    assert [row[0] for row in bars] == dimension_names(signed_off)
    assert all(row[2] for row in bars)
    # KPI trends, peer feedback (names for HR), comments with potential, acknowledgement.
    assert "3 KPI trends" in text
    assert "4 Peer feedback" in text and "Nobody was asked for feedback on this review." in text
    assert "5 Comments" in text and "self words" in text and "manager words" in text
    assert "Potential" in text
    assert "6 Acknowledgement" in text
    assert "Acknowledged by Eli Engineer on" in text and "Read and agreed." in text
    # No plan model yet: no plan section.
    assert "30/60/90 plan" not in text


def test_it_prints_the_scorecard_figures_of_the_hand_computed_example(signed_off):
    html = review_packet_html(review_id=signed_off.pk, requester=user("hr"))
    text = words(html)

    rows = table_rows(html, "scorecard")
    # Dimension, weight, self score, manager score, self contribution, manager contribution (+ the final cell).
    assert [row[:6] for row in rows] == [
        ["System design & architecture", "25", "4 Exceeds", "3 Meets the bar", "1.00", "0.75"],
        ["Hands-on coding & debugging", "20", "3 Meets the bar", "3 Meets the bar", "0.60", "0.60"],
        ["Operational excellence", "15", "4 Exceeds", "4 Exceeds", "0.60", "0.60"],
        ["Technical leadership", "15", "3 Meets the bar", "3 Meets the bar", "0.45", "0.45"],
        ["Communication", "10", "3 Meets the bar", "3 Meets the bar", "0.30", "0.30"],
        ["Security & quality mindset", "10", "4 Exceeds", "4 Exceeds", "0.40", "0.40"],
        ["Collaboration & mentorship", "5", "5 Far exceeds", "3 Meets the bar", "0.25", "0.15"],
    ]
    final_cell = words(rows[0][6])
    assert final_cell.startswith("4 Exceeds Proposed 3 (Meets the bar)")
    assert JUSTIFICATION in final_cell
    assert "Sum of weight x score = 360, divided by the total weight 100 = 3.60, which rounds to 4 (Exceeds)." in text
    assert (
        "Sum of weight x score = 325, divided by the total weight 100 = 3.25, which rounds to 3 (Meets the bar)."
        in text
    )
