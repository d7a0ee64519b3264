"""Hostile text in names and comments reaches the packet's HTML escaped: it reads as the literal text
typed and never becomes markup (no script, image, link or style element of its own)."""

import pytest

from reviews.packets import review_packet_html
from tests.reviews.packet_support import HOSTILE, hostile_review, words
from tests.reviews.page_helpers import user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("reader", ["hr", "engineer", "manager"])
def test_it_escapes_every_hostile_text(staff_blueprint, reader):
    review = hostile_review()
    html = review_packet_html(review_id=review.pk, requester=user(reader))
    text = words(html)

    everything = " ".join(HOSTILE)
    for typed in (f"ack {everything}", f"self {everything}", f"manager {everything}", f"peer {everything}"):
        assert typed in text, typed
    for literal in HOSTILE:
        if literal.startswith("<"):
            assert literal not in html, literal
    for name in (f"Eli {HOSTILE[0]}", f"Morgan {HOSTILE[1]}", f"Platform {HOSTILE[2]}", f"Q4 {HOSTILE[3]}"):
        assert name in text, name
    assert f"why {everything}" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    lowered = html.lower()
    assert "<script" not in lowered and "<img" not in lowered and "<style" not in lowered
    assert lowered.count("<link") == 1 and 'href="staffrole-static:css/packet-print.css"' in html
    assert "style=" not in lowered
