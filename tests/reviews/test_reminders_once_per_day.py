from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from reviews import reminders
from reviews.models import ReminderLog
from reviews.reminders import reminders_send
from tests.reviews.cycle_support import deadlines_from, demo_org, new_cycle, opened  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_org")]


@pytest.fixture
def today():
    today = timezone.localdate()
    opened(new_cycle(deadlines=deadlines_from(today, 1, 20, 30, 40)))
    return today


def test_it_sends_one_email_per_person_however_often_it_runs(today, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = reminders_send(today=today)
    with django_capture_on_commit_callbacks(execute=True):
        second = reminders_send(today=today)
    assert first.sent == ["engineer", "engineer2", "manager", "manager2", "newhire"]
    assert second.sent == [] and second.already == first.sent
    assert sorted(message.to[0].split("@")[0] for message in mailoutbox) == first.sent
    assert ReminderLog.objects.filter(day=today).count() == 5


def test_it_reminds_again_the_next_day(today, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(today=today)
    with django_capture_on_commit_callbacks(execute=True):
        tomorrow = reminders_send(today=today + timedelta(days=1))
    assert "engineer" in tomorrow.sent
    assert len([m for m in mailoutbox if m.to == ["engineer@demo.staffrole.test"]]) == 2


def test_it_logs_what_each_reminder_held(today, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(today=today)
    log = ReminderLog.objects.get(user__username="engineer", day=today)
    assert [item["kind"] for item in log.items] == ["self_assessment"]
    manager = ReminderLog.objects.get(user__username="manager", day=today)
    assert manager.items == [{"kind": "team", "people": 2, "pending": 2}]


def test_it_skips_whoever_another_run_claimed_meanwhile(
    today, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    """Another worker claims `engineer` between this run's read and its write: the write fails on the
    unique (user, day) row, the run reads again and leaves `engineer` to the other worker."""
    ReminderLog.objects.create(user=User.objects.get(username="engineer"), day=today, items=[])
    real = reminders._reminded
    reads = []

    def stale_first_read(day):
        reads.append(day)
        return set() if len(reads) == 1 else real(day)

    monkeypatch.setattr(reminders, "_reminded", stale_first_read)
    with django_capture_on_commit_callbacks(execute=True):
        run = reminders_send(today=today)
    assert len(reads) == 2
    assert run.sent == ["engineer2", "manager", "manager2", "newhire"] and run.already == ["engineer"]
    assert "engineer@demo.staffrole.test" not in [message.to[0] for message in mailoutbox]
    assert len(mailoutbox) == 4


def test_it_sends_the_emails_only_once_the_claim_commits(today, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reminders_send(today=today)
    assert mailoutbox == [] and len(callbacks) == 1  # the emails wait for the commit
