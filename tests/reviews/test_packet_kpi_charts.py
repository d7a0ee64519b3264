"""The packet's KPI trends are the review page's KPI panel as charts: one SVG trend per series with data
in the cycle, the words "no data collected" for a series without, and nothing the reader may not see."""

import pytest

from reviews.kpi_panel import review_kpi_panel
from reviews.packets import review_packet_html
from tests.reviews.packet_support import words
from tests.reviews.page_helpers import user

pytestmark = pytest.mark.django_db


def test_it_charts_the_panels_series_and_says_when_one_has_no_data(kpi_review):
    manager = user("manager")
    html = review_packet_html(review_id=kpi_review.pk, requester=manager)
    text = words(html)

    panel = review_kpi_panel(user=user("manager"), review=kpi_review)
    collected = [row for row in panel.rows if row.collected]
    empty = [row for row in panel.rows if not row.collected]
    assert collected and empty
    assert html.count('class="chart chart--trend"') == len(collected)
    for row in collected:
        assert row.name in text
        assert f"Latest {row.latest_text} ({row.latest_period})" in text
    assert "No data collected for Build pipeline duration of Platform in the 3 months of this cycle." in text
    # Payments' series and engineer2's are not on engineer's panel.
    assert "ledger-api" not in text and "Emery Engineer" not in text


def test_it_draws_a_gap_for_a_period_not_collected(kpi_review):
    html = review_packet_html(review_id=kpi_review.pk, requester=user("engineer"))
    # engineer's PR review turnaround has January and March, not February.
    assert "Feb 2026: not collected" in html
