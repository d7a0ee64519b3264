import pytest
from django.core import mail
from django.urls import reverse

from tests.reviews.feedback_builders import ask, open_feedback_cycle, review_of, user

pytestmark = pytest.mark.django_db


def test_it_opens_the_reviewers_requests_and_emails_each_peer_on_commit(
    staff_blueprint, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://staffrole.example.test/"
    review = review_of(open_feedback_cycle(), "engineer")
    with django_capture_on_commit_callbacks() as callbacks:
        requests = ask("manager", review, ["engineer2", "newhire"], message="How is their design work?")
        assert mail.outbox == []  # nothing leaves before the transaction commits
    for callback in callbacks:
        callback()
    assert [r.state for r in requests] == ["open", "open"]
    assert {r.requested_by for r in requests} == {user("manager")}
    assert len(mail.outbox) == 2
    by_peer = {message.to[0]: message for message in mail.outbox}
    message = by_peer["engineer2@demo.staffrole.test"]
    link = "https://staffrole.example.test" + reverse("feedback:answer", kwargs={"request_id": requests[0].pk})
    assert link in message.body
    assert "Eli Engineer" in message.subject and "How is their design work?" in message.body
