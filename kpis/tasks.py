"""Background work on the KPIs: trends recomputed after an ingest, and all of them nightly."""

import datetime as dt

from celery import shared_task
from django.utils import timezone

from kpis.dora_kpis import dora_measurements_refresh, teams_with_events
from kpis.trends import trends_recompute


@shared_task(ignore_result=True, acks_late=True)
def trends_recompute_series(series_ids: list[int]) -> int:
    """The trends of the series a batch of measurements changed; returns how many have one now."""
    return trends_recompute(series_ids).series


@shared_task(ignore_result=True, acks_late=True)
def trends_recompute_all() -> int:
    """Every trend from scratch: catches up with anything a dispatch after an ingest missed."""
    return trends_recompute().series


def _utc_today() -> dt.date:
    return timezone.now().astimezone(dt.UTC).date()


@shared_task(ignore_result=True, acks_late=True)
def dora_kpis_refresh(team_ids: list[int]) -> int:
    """The DORA KPI values of the teams a batch of events touched; returns how many values changed."""
    result = dora_measurements_refresh(team_ids=team_ids, today=_utc_today())
    return result.created + result.updated + result.removed


@shared_task(ignore_result=True, acks_late=True)
def dora_kpis_refresh_all() -> int:
    """Nightly: every team with events, so the current month's values follow the calendar."""
    result = dora_measurements_refresh(team_ids=teams_with_events(), today=_utc_today())
    return result.created + result.updated + result.removed
