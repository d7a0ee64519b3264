"""Background work on the KPIs: trends recomputed after an ingest, and all of them nightly."""

from celery import shared_task

from kpis.trends import trends_recompute


@shared_task(ignore_result=True, acks_late=True)
def trends_recompute_series(series_ids: list[int]) -> int:
    """The trends of the series a batch of measurements changed; returns how many have one now."""
    return trends_recompute(series_ids).series


@shared_task(ignore_result=True, acks_late=True)
def trends_recompute_all() -> int:
    """Every trend from scratch: catches up with anything a dispatch after an ingest missed."""
    return trends_recompute().series
