from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.models import FeedbackRequest
from tests.reviews.feedback_builders import open_feedback_cycle, review_of, user

pytestmark = pytest.mark.django_db


def test_it_names_unknown_usernames_and_refused_peers_in_the_form(client, staff_blueprint):
    review = review_of(open_feedback_cycle(), "engineer")
    page = reverse("feedback:review", kwargs={"review_id": review.pk})
    client.force_login(user("manager"))
    due = (timezone.localdate() + timedelta(days=2)).isoformat()

    response = client.post(page, {"peers": "engineer2 nobody", "due": due})
    assert response.status_code == 200
    assert "Nobody has the username &#x27;nobody&#x27;." in response.content.decode()

    response = client.post(page, {"peers": "engineer", "due": due})
    assert response.status_code == 200 and "is the person reviewed" in response.content.decode()
    assert not FeedbackRequest.objects.exists()


def test_it_suggests_teammates_not_yet_asked(client, staff_blueprint):
    review = review_of(open_feedback_cycle(), "engineer")
    client.force_login(user("engineer"))
    page = client.get(reverse("feedback:review", kwargs={"review_id": review.pk})).content.decode()
    assert '<option value="newhire">' in page
    assert '<option value="engineer">' not in page and '<option value="manager">' not in page
    assert "approves each request before the peer is told" in page
