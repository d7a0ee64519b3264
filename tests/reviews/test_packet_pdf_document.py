"""review_packet_pdf names the file after the person and the cycle and prints an A4 document whose every
page carries the running header (person - cycle - Confidential) and "Page X of Y"."""

import io

import pytest
from pypdf import PdfReader

from reviews.packets import review_packet_pdf
from tests.reviews.page_helpers import engineer_review, user, walk

pytestmark = pytest.mark.django_db

A4_POINTS = (595, 842)


def test_it_prints_running_headers_and_page_numbers_on_every_page(open_cycle):
    review = walk(engineer_review(open_cycle), "calibrated")
    filename, content = review_packet_pdf(review_id=review.pk, requester=user("hr"))

    assert filename == "review-packet-engineer-2026-q4.pdf"
    reader = PdfReader(io.BytesIO(content))
    pages = reader.pages
    assert len(pages) >= 5  # cover, expectations, scorecard, KPIs, comments at least
    for number, page in enumerate(pages, start=1):
        text = " ".join(page.extract_text().split())
        assert f"Page {number} of {len(pages)}" in text
        assert "Eli Engineer - 2026 Q4 - CONFIDENTIAL" in text.replace("Confidential", "CONFIDENTIAL")
        assert tuple(round(float(x)) for x in page.mediabox[2:]) == A4_POINTS
    assert reader.metadata.title == "Review packet: Eli Engineer, 2026 Q4"
