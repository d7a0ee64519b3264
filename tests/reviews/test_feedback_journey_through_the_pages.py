"""The whole of peer feedback through plain form posts, as a browser without JavaScript sends them."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from reviews.models import FeedbackRequest
from tests.reviews.feedback_builders import dimension_names, open_feedback_cycle, review_of, share, user

pytestmark = pytest.mark.django_db


def test_it_asks_answers_and_summarises_through_the_pages(
    client, staff_blueprint, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://staffrole.example.test"
    review = review_of(open_feedback_cycle(), "engineer")
    page = reverse("feedback:review", kwargs={"review_id": review.pk})
    due = timezone.localdate() + timedelta(days=3)

    client.force_login(user("manager"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page, {"peers": "engineer2, newhire", "due": due.isoformat(), "message": "Design docs?"})
    assert response.status_code == 302 and response["Location"] == page
    requests = {r.peer.user.username: r for r in FeedbackRequest.objects.select_related("peer__user")}
    assert {r.state for r in requests.values()} == {"open"}
    assert sorted(message.to[0] for message in mail.outbox) == [
        "engineer2@demo.staffrole.test",
        "newhire@demo.staffrole.test",
    ]
    link = "https://staffrole.example.test" + reverse(
        "feedback:answer", kwargs={"request_id": requests["engineer2"].pk}
    )
    assert any(link in message.body for message in mail.outbox)

    client.force_login(user("engineer2"))
    inbox = client.get(reverse("feedback:inbox")).content.decode()
    assert reverse("feedback:answer", kwargs={"request_id": requests["engineer2"].pk}) in inbox
    answer_page = reverse("feedback:answer", kwargs={"request_id": requests["engineer2"].pk})
    form = client.get(answer_page)
    assert form.status_code == 200 and "Design docs?" in form.content.decode()
    dimensions = list(review.blueprint_version.dimensions.order_by("position"))
    response = client.post(
        answer_page,
        {
            f"score_{dimensions[0].pk}": "4",
            f"comment_{dimensions[0].pk}": "Led the storage migration design.",
            f"comment_{dimensions[1].pk}": "Mentored two people through on-call.",
        },
    )
    assert response.status_code == 302
    done = client.get(answer_page).content.decode()
    assert "answers are final" in done and "Led the storage migration design." in done
    assert "<textarea" not in done

    share(review_of(review.cycle, "engineer"))
    client.force_login(user("engineer"))
    summary = client.get(page).content.decode()
    assert "Led the storage migration design." in summary
    assert "Mentored two people through on-call." in summary
    assert escape(dimension_names(review)[0]) in summary
    assert answer_page not in summary
