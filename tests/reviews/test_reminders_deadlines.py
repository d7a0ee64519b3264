import pytest
from django.utils import timezone

from reviews.reminders import reminders_send
from tests.reviews.cycle_support import deadlines_from, demo_org, new_cycle, opened  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_org")]


@pytest.mark.parametrize(
    ("days_left", "reminded"),
    [(4, False), (3, True), (2, True), (1, True), (0, True), (-1, False)],
)
def test_it_reminds_on_the_three_days_before_a_deadline_and_on_the_day(
    days_left, reminded, mailoutbox, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    opened(new_cycle(deadlines=deadlines_from(today, days_left, 30, 40, 50)))
    with django_capture_on_commit_callbacks(execute=True):
        run = reminders_send(today=today)
    engineers = {"engineer", "engineer2", "newhire"}
    assert (engineers <= set(run.sent)) is reminded
    assert bool(mailoutbox) is reminded


def test_it_reminds_nobody_when_no_deadline_is_near(mailoutbox, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    opened(new_cycle(deadlines=deadlines_from(today, 10, 20, 30, 40)))
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(today=today).sent == []
    assert mailoutbox == []


def test_it_leaves_planned_and_closed_cycles_alone(mailoutbox, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    new_cycle(deadlines=deadlines_from(today, 1, 2, 3, 4))
    closed = opened(new_cycle("Closed", deadlines=deadlines_from(today, 1, 2, 3, 4)))
    closed.state = "closed"
    closed.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(today=today).sent == []
    assert mailoutbox == []
