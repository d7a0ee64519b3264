"""The Celery app `staffrole`: `celery -A staffrole worker` / `celery -A staffrole beat`.

Configuration comes from Django settings (CELERY_* names); see
docs/adr/0002-task-queue-and-embedded-broker.md. Tasks take ids and JSON only, and are
dispatched after the surrounding transaction commits (`delay_on_commit`).

Workers log through Django's LOGGING (JSON lines by default), and the signals below carry a request's
id from the process that publishes a task to the worker that runs it and count each task's duration
and failures for /metrics (staffrole/observability.py, staffrole/metrics.py).
"""

import logging
import os
from typing import Any

from celery import Celery, signals
from celery.schedules import crontab

from staffrole import metrics, observability

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "staffrole.settings.local")

app = Celery("staffrole", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

signals.before_task_publish.connect(observability.task_publish_tag, dispatch_uid="staffrole.request_id.publish")
signals.task_prerun.connect(observability.task_context_enter, dispatch_uid="staffrole.request_id.enter")
signals.task_postrun.connect(observability.task_context_exit, dispatch_uid="staffrole.request_id.exit")
signals.task_prerun.connect(metrics.task_started, dispatch_uid="staffrole.metrics.task_started")
signals.task_postrun.connect(metrics.task_finished, dispatch_uid="staffrole.metrics.task_finished")
signals.task_failure.connect(metrics.task_failed, dispatch_uid="staffrole.metrics.task_failed")


@signals.setup_logging.connect
def logging_from_django_settings(loglevel: Any = None, **kwargs: Any) -> None:
    """Keep Django's LOGGING (JSON lines with request and task ids) instead of Celery's own format."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
    if loglevel:
        logging.getLogger().setLevel(loglevel)


@signals.worker_init.connect
def metrics_files_sweep(**kwargs: Any) -> None:
    """Before the pool starts: forget the metrics files of this host's processes that have ended."""
    metrics.metrics_files_sweep()


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
