"""The Celery app `staffrole`: `celery -A staffrole worker` / `celery -A staffrole beat`.

Configuration comes from Django settings (CELERY_* names); see
docs/adr/0002-task-queue-and-embedded-broker.md. Tasks take ids and JSON only, and are
dispatched after the surrounding transaction commits (`delay_on_commit`).
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "staffrole.settings.local")

app = Celery("staffrole", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "purge-expired-job-files": {
        "task": "jobs.tasks.jobs_purge_expired_files",
        "schedule": crontab(hour=3, minute=15),
    },
    "fail-stale-jobs": {
        "task": "jobs.tasks.jobs_fail_stale",
        "schedule": crontab(minute="*/10"),
    },
    # The engineering events as DORA KPI values, before the trends are recomputed.
    "refresh-dora-kpis": {
        "task": "kpis.tasks.dora_kpis_refresh_all",
        "schedule": crontab(hour=2, minute=10),
    },
    # After the day's measurements are in; catches up with any recompute an ingest could not dispatch.
    "recompute-kpi-trends": {
        "task": "kpis.tasks.trends_recompute_all",
        "schedule": crontab(hour=2, minute=30),
    },
    # Before the working day in Europe; at most one email per person per day, however often it runs.
    "send-review-reminders": {
        "task": "reviews.tasks.reminders_send_daily",
        "schedule": crontab(hour=7, minute=0),
    },
}
