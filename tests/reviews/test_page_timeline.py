"""The review's history: who did what and when, old and new values, with autosave's many small saves
of one field shown as one change."""

from datetime import timedelta

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from reviews.selectors import review_timeline
from reviews.services import RatingInput, review_rate, review_transition
from tests.reviews.page_helpers import engineer_review, rate, user

pytestmark = pytest.mark.django_db


def _type(review, name, *texts):
    for text in texts:
        review_rate(actor=user("engineer"), review=review, ratings=[RatingInput(name, comment=text)], version=None)


def test_it_shows_one_persons_quick_edits_of_a_field_as_one_change(open_cycle):
    review = engineer_review(open_cycle)
    _type(review, "Communication", "W", "Wro", "Wrote the RFC")
    _type(review, "Technical leadership", "Led")
    _type(review, "Communication", "Wrote the RFC template")
    timeline = review_timeline(user=user("engineer"), review=review)
    assert [(e.dimension, e.edits) for e in timeline] == [("Communication", 4), ("Technical leadership", 1)]
    communication = timeline[0]
    assert (communication.before["comment"], communication.after["comment"]) == ("", "Wrote the RFC template")


def test_it_keeps_edits_apart_across_a_step_of_the_review_or_a_long_pause(open_cycle):
    review = engineer_review(open_cycle)
    _type(review, "Communication", "First draft")
    AuditEntry.objects.filter(target_id=str(review.pk)).update(created_at=review.created_at - timedelta(hours=1))
    _type(review, "Communication", "Second draft")
    rate(user("engineer"), review, 3)
    review_transition(actor=user("engineer"), review=review, action="submit_self")
    timeline = review_timeline(user=user("hr"), review=review)
    actions = [(e.action, e.dimension) for e in timeline]
    assert actions[0] == ("review.submit_self", "")
    communication = [e for e in timeline if e.dimension == "Communication"]
    assert [(e.before["comment"], e.after["comment"]) for e in communication] == [
        ("First draft", "ok"),
        ("", "First draft"),
    ]


def test_it_shows_who_when_old_new_and_why(client, open_cycle):
    review = engineer_review(open_cycle)
    rate(user("engineer"), review, {"Communication": 2}, "Terse")
    rate(user("engineer"), review, 3, "ok")
    review = review_transition(actor=user("engineer"), review=review, action="submit_self")
    review_transition(actor=user("hr"), review=review, action="reopen", reason="Rated the wrong quarter")
    client.force_login(user("engineer"))
    history = client.get(reverse("reviews:detail", args=[review.pk])).content.decode().split('id="history"')[1]
    items = history.split('<li class="history__item')[1:]
    assert "Harper Rivera</strong> · Reopened the review" in items[0]
    assert "self submitted</span>" in items[0] and "draft</span>" in items[0]
    assert "Reason:</strong> Rated the wrong quarter" in items[0]
    assert "Eli Engineer</strong> · Submitted the self-assessment" in items[1]
    communication = next(i for i in items if "Rated Communication" in i)
    # Two saves a moment apart: one change, from the first old value to the last new one.
    assert "2 saves since" in communication
    assert '<span class="history__old">—</span>' in communication and "3 (Meets the bar)" in communication
    assert "Terse" not in communication
    assert "<time" in communication
