import pytest
from django.utils import timezone

from org.models import Employee
from reviews.reminders import reminders_send
from reviews.tasks import reminders_send_daily
from staffrole.celery import app
from tests.org_builders import person
from tests.reviews.cycle_support import deadlines_from, demo_org, new_cycle, opened  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_org")]


def test_it_runs_every_morning_from_the_beat_schedule():
    entries = {entry["task"]: entry["schedule"] for entry in app.conf.beat_schedule.values()}
    schedule = entries["reviews.tasks.reminders_send_daily"]
    assert schedule.hour == {7} and schedule.minute == {0}


def test_the_task_reminds_everyone_due_today(mailoutbox, django_capture_on_commit_callbacks):
    opened(new_cycle(deadlines=deadlines_from(timezone.localdate(), 0, 20, 30, 40)))
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send_daily.delay().get() == 5
    assert len(mailoutbox) == 5


def test_it_sends_the_batch_over_one_connection(monkeypatch, django_capture_on_commit_callbacks):
    from django.core import mail

    opened(new_cycle(deadlines=deadlines_from(timezone.localdate(), 0, 20, 30, 40)))
    opened_connections = []
    real = mail.get_connection

    def counting(*args, **kwargs):
        connection = real(*args, **kwargs)
        opened_connections.append(connection)
        return connection

    monkeypatch.setattr("reviews.reminders.get_connection", counting)
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(today=timezone.localdate())
    assert len(opened_connections) == 1


@pytest.mark.parametrize("extra_engineers", [1, 30])
def test_it_reads_in_a_fixed_number_of_queries(staff_blueprint, extra_engineers, django_assert_max_num_queries):
    manager = Employee.objects.get(user__username="manager")
    for n in range(extra_engineers):
        person(f"extra{n}", manager=manager, team=manager.team)
    Employee.objects.filter(user__username__startswith="extra").update(role=staff_blueprint.role)
    opened(new_cycle(deadlines=deadlines_from(timezone.localdate(), 0, 20, 30, 40)))
    # cycles, reviews, feedback requests, 30/60/90 plan goals, today's log, the log insert, and the savepoint
    with django_assert_max_num_queries(8):
        run = reminders_send(today=timezone.localdate())
    assert len(run.sent) == 5 + extra_engineers
