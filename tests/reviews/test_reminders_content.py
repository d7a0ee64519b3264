from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from org.models import Employee
from reviews.models import FeedbackRequest
from reviews.reminders import reminders_send
from tests.reviews.cycle_support import deadlines_from, demo_org, move, new_cycle, opened, review_of  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_org")]


def _send(today, capture):
    with capture(execute=True):
        return reminders_send(today=today)


def _email_to(mailoutbox, username):
    found = [m for m in mailoutbox if m.to == [f"{username}@demo.staffrole.test"]]
    assert len(found) == 1, [m.to for m in mailoutbox]
    return found[0]


def test_it_reminds_the_engineer_of_their_self_assessment_with_a_link(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://staffrole.example.com/"
    today = timezone.localdate()
    cycle = opened(new_cycle(deadlines=deadlines_from(today, 2, 20, 30, 40)))
    _send(today, django_capture_on_commit_callbacks)
    email = _email_to(mailoutbox, "engineer")
    review = review_of(cycle, "engineer")
    assert email.subject.startswith("staffrole · 1 review task due by")
    assert "Submit your self-assessment (2026 Q4)" in email.body
    assert f"https://staffrole.example.com/reviews/{review.pk}/" in email.body
    assert "https://staffrole.example.com/" in email.body


def test_it_lists_every_pending_item_in_one_email(mailoutbox, django_capture_on_commit_callbacks):
    """manager2 is a reviewer with a review to write (engineer2) and a peer asked for feedback."""
    today = timezone.localdate()
    cycle = opened(new_cycle(deadlines=deadlines_from(today, -3, 1, 10, 20)))
    move(review_of(cycle, "engineer2"), "self_submitted")
    FeedbackRequest.objects.create(
        review=review_of(cycle, "engineer"),
        peer=Employee.objects.get(user__username="manager2"),
        requested_by=User.objects.get(username="manager"),
        due=today + timedelta(days=2),
    )
    _send(today, django_capture_on_commit_callbacks)
    email = _email_to(mailoutbox, "manager2")
    assert "2 review tasks due by" in email.subject
    assert "Write Emery Engineer's manager review" in email.body
    assert "Give your feedback on Eli Engineer's review" in email.body
    assert "/feedback/" in email.body
    # manager's reviews to write: engineer's and newhire's, both still drafts.
    manager = _email_to(mailoutbox, "manager").body
    assert "Write Eli Engineer's manager review (their self-assessment is not in yet)" in manager


def test_it_gives_a_manager_their_teams_status(mailoutbox, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    cycle = opened(new_cycle(deadlines=deadlines_from(today, 1, 20, 30, 40)))
    move(review_of(cycle, "engineer"), "self_submitted")
    _send(today, django_capture_on_commit_callbacks)
    body = _email_to(mailoutbox, "manager").body
    assert "Where your people's reviews stand (1 with work due soon):" in body
    assert "- Eli Engineer (2026 Q4): self-assessment submitted" in body
    assert "- Noor Newhire (2026 Q4): draft; self-assessment due by" in body
    assert "Submit your self-assessment" not in body  # the manager's own list is empty
    assert "engineer" not in [m.to[0].split("@")[0] for m in mailoutbox]  # nothing pending for engineer


def test_it_reminds_of_sharing_and_acknowledging_before_sign_off(mailoutbox, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    cycle = opened(new_cycle(deadlines=deadlines_from(today, -20, -10, -5, 0)))
    move(review_of(cycle, "engineer"), "calibrated")
    move(review_of(cycle, "engineer2"), "shared")
    _send(today, django_capture_on_commit_callbacks)
    assert "Share Eli Engineer's calibrated review with them" in _email_to(mailoutbox, "manager").body
    engineer2 = _email_to(mailoutbox, "engineer2").body
    assert "Read and acknowledge your review (2026 Q4)" in engineer2 and "Due today" in engineer2


def test_it_skips_people_who_have_left(mailoutbox, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    opened(new_cycle(deadlines=deadlines_from(today, 1, 20, 30, 40)))
    Employee.objects.filter(user__username="newhire").update(active=False, deactivated_at=timezone.now())
    run = _send(today, django_capture_on_commit_callbacks)
    assert "newhire" not in run.sent
    assert "Noor Newhire" not in _email_to(mailoutbox, "manager").body
