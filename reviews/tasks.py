"""Background tasks of the review cycle."""

from celery import shared_task
from django.utils import timezone

from reviews.reminders import reminders_send


@shared_task(ignore_result=True)
def reminders_send_daily() -> int:
    """Every morning: email each person their pending review items; returns how many were reminded."""
    return len(reminders_send(today=timezone.localdate()).sent)
