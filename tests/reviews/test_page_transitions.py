"""Submitting lists exactly what is missing; sharing, calibrating, acknowledging and reopening from the page."""

import pytest
from django.urls import reverse

from reviews.models import Review
from tests.reviews.page_helpers import engineer_review, rate, user, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(open_cycle):
    return engineer_review(open_cycle)


def _move(client, review, action, **data):
    return client.post(reverse("reviews:transition", args=[review.pk]), {"action": action, **data})


def test_it_lists_exactly_the_unrated_dimensions_when_submitting_too_early(client, review):
    rate(user("engineer"), review, {"System design & architecture": 4, "Communication": 3, "Technical leadership": 2})
    client.force_login(user("engineer"))
    response = _move(client, review, "submit_self")
    assert response.status_code == 400
    html = response.content.decode()
    missing_box = html.split('id="missing"')[1].split("</div>")[0]
    expected = [
        "Hands-on coding &amp; debugging",
        "Operational excellence",
        "Security &amp; quality mindset",
        "Collaboration &amp; mentorship",
    ]
    assert missing_box.count("<li>") == 4
    for name in expected:
        assert name in missing_box
    assert "Communication" not in missing_box
    assert "4 dimensions of the self-assessment are not rated yet" in missing_box
    # Each unrated dimension is marked where it is rated.
    assert html.count('class="card dimension dimension--missing"') == 4
    assert html.count("Not rated yet: choose a score.</p>") == 7  # in each field; hidden where rated
    assert html.count('aria-invalid="true"') == 4
    review.refresh_from_db()
    assert review.state == "draft"


def test_it_walks_the_review_through_sign_off(client, review):
    review = walk(review, "manager_submitted")
    client.force_login(user("hr"))
    response = _move(client, review, "calibrate", version=review.version)
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.state, review.final_rating) == ("calibrated", 3)

    client.force_login(user("manager"))
    assert _move(client, review, "share", version=review.version).status_code == 302
    client.force_login(user("engineer"))
    response = _move(client, review, "acknowledge", version=review.version + 1, reason="I see it differently.")
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.state == "acknowledged" and review.acknowledgement_comment == "I see it differently."
    page = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert "Comment:</strong> I see it differently." in page


def test_it_calibrates_to_another_rating_only_with_a_justification(client, review):
    review = walk(review, "manager_submitted")
    client.force_login(user("hr"))
    refused = _move(client, review, "calibrate", version=review.version, final_rating="5")
    assert refused.status_code == 400 and "Say why the final rating differs" in refused.content.decode()
    done = _move(
        client, review, "calibrate", version=review.version, final_rating="5", justification="Led the migration."
    )
    assert done.status_code == 302
    review.refresh_from_db()
    assert (review.final_rating, review.calibration_justification) == (5, "Led the migration.")


def test_it_asks_why_a_review_is_reopened(client, review):
    review = walk(review, "shared")
    client.force_login(user("hr"))
    refused = _move(client, review, "reopen", version=review.version)
    assert refused.status_code == 400 and "Say why the review is reopened." in refused.content.decode()
    assert _move(client, review, "reopen", version=review.version, reason="Wrong dimension rated").status_code == 302
    review.refresh_from_db()
    assert review.state == "self_submitted" and review.final_rating is None
    history = client.get(reverse("reviews:detail", args=[review.pk])).content.decode().split('id="history"')[1]
    assert "Reopened the review" in history and "Reason:</strong> Wrong dimension rated" in history


def test_it_refuses_a_move_that_is_not_the_callers_and_says_whose_it_is(client, review):
    review = walk(review, "calibrated")
    client.force_login(user("engineer"))
    response = _move(client, review, "share", version=review.version)
    assert response.status_code == 403
    assert "share is for the reviewer, once it is calibrated" in response.content.decode()
    assert Review.objects.get(pk=review.pk).state == "calibrated"


def test_it_refuses_a_move_made_on_a_stale_page(client, review):
    review = walk(review, "calibrated")
    client.force_login(user("manager"))
    response = _move(client, review, "share", version=review.version - 1)
    assert response.status_code == 409 and "changed since you opened it" in response.content.decode()


def test_it_refuses_an_unknown_action(client, review):
    client.force_login(user("engineer"))
    response = _move(client, review, "approve")
    assert response.status_code == 400 and "Nothing was done" in response.content.decode()


def test_it_offers_each_person_only_their_own_moves(client, review):
    review = walk(review, "calibrated")
    pages = {}
    for username in ("engineer", "manager", "director", "hr"):
        client.force_login(user(username))
        pages[username] = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert "Share with Eli Engineer" in pages["manager"]
    assert "Accept 3 as the final rating" in pages["hr"] and "Reopen the review" in pages["hr"]
    for username in ("engineer", "director"):
        assert 'name="action"' not in pages[username]
