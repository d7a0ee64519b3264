"""Hostile text in names and comments prints as literal text in the packet's PDF, and rendering it
fetches nothing but the packet's own stylesheet."""

import pytest

from reviews.packets import review_packet_pdf
from staffrole import pdf
from tests.reviews.packet_support import HOSTILE, flat, hostile_review, pdf_text
from tests.reviews.page_helpers import user

pytestmark = pytest.mark.django_db


@pytest.fixture
def fetched(monkeypatch):
    """Every URL WeasyPrint asks the fetcher for, at both doors: the fetcher object and the function."""
    urls: list[str] = []
    real_fetch, real_function = pdf.StaticOnlyURLFetcher.fetch, pdf.static_only_url_fetcher

    def fetch(self, url, headers=None):
        urls.append(url)
        return real_fetch(self, url, headers)

    def function(url, *args, **kwargs):
        urls.append(url)
        return real_function(url, *args, **kwargs)

    monkeypatch.setattr(pdf.StaticOnlyURLFetcher, "fetch", fetch)
    monkeypatch.setattr(pdf, "static_only_url_fetcher", function)
    return urls


@pytest.mark.parametrize("reader", ["hr", "engineer"])
def test_it_prints_hostile_text_as_text_and_fetches_only_static_files(staff_blueprint, fetched, reader):
    review = hostile_review()
    filename, content = review_packet_pdf(review_id=review.pk, requester=user(reader))

    assert content.startswith(b"%PDF-")
    assert filename == "review-packet-engineer-q4-stylebodydisplaynonestyle.pdf"
    text = flat(pdf_text(content))
    assert flat(f"ack {' '.join(HOSTILE)}") in text
    for literal in HOSTILE:
        assert flat(literal) in text, literal
    assert flat(f"Confidential - Eli {HOSTILE[0]} and their management chain; HR") in text
    assert fetched and set(fetched) == {"staffrole-static:css/packet-print.css"}, fetched
