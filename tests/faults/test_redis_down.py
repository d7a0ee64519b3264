"""Redis (the cache and the Celery broker) not answering: pages and saves go on, every export answers 503
with Retry-After and leaves its job failed with the reason (never stuck in queued), /healthz names both.

The app runs in this process with its cache and broker on a port nothing listens on.
"""

import json
import logging
import time
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from jobs.models import Job
from jobs.services import MESSAGE_QUEUE_UNAVAILABLE, QUEUE_RETRY_AFTER_SECONDS
from staffrole.celery import app as celery_app
from tests.faults.conftest import signed_in
from tests.faults.support import free_port, redis_at

# Transactional, except /healthz: a job's message is sent when the request's transaction commits.
pytestmark = pytest.mark.django_db(transaction=True)


def _forget_task_sender() -> None:
    # Celery reads the publish retry policy once, when it makes its task sender; make it read again.
    celery_app.amqp.__dict__.pop("send_task_message", None)


@pytest.fixture
def redis_down():  # type: ignore[no-untyped-def]
    # One quick retry instead of production's three spaced ones: the port refuses at once either way.
    saved = celery_app.conf.task_publish_retry_policy
    celery_app.conf.task_publish_retry_policy = {"max_retries": 1, "interval_start": 0}
    _forget_task_sender()
    try:
        with redis_at(f"redis://127.0.0.1:{free_port()}/0"):
            yield
    finally:
        celery_app.conf.task_publish_retry_policy = saved
        _forget_task_sender()


def page_exports(demo: dict[str, Any]) -> list[str]:
    return [
        f"/reviews/{demo['review']}/packet/",
        f"/cycles/{demo['cycle']}/calibration/export/",
        f"/cycles/{demo['cycle']}/calibration/packets/",
        "/roles/staff-software-engineer/export/",
        f"/ladder/assessments/{demo['assessment']}/pdf/",
        f"/hiring/candidates/{demo['candidate']}/debrief/pdf/",
    ]


def api_exports(demo: dict[str, Any]) -> list[str]:
    return [
        f"/api/v1/reviews/{demo['review']}/packet/",
        f"/api/v1/cycles/{demo['cycle']}/calibration-export/",
        f"/api/v1/cycles/{demo['cycle']}/packets-export/",
        f"/api/v1/ladder/assessments/{demo['assessment']}/pdf/",
        f"/api/v1/hiring/candidates/{demo['candidate']}/debrief/pdf/",
    ]


def assert_no_job_waits(expected_failed: int) -> None:
    assert not Job.objects.filter(state__in=Job.ACTIVE_STATES).exists()
    assert set(Job.objects.values_list("state", "error")) == {(Job.State.FAILED, MESSAGE_QUEUE_UNAVAILABLE)}
    assert Job.objects.count() == expected_failed


def test_an_export_page_answers_503_with_the_message(demo, redis_down):
    client = signed_in("hr")
    for url in page_exports(demo):
        response = client.post(url)

        assert response.status_code == 503, (url, response.status_code)
        assert response["Retry-After"] == str(QUEUE_RETRY_AFTER_SECONDS)
        html = response.content.decode()
        assert "<h1>Exports are paused</h1>" in html, url
        assert MESSAGE_QUEUE_UNAVAILABLE in html
    assert_no_job_waits(expected_failed=6)


def test_htmx_gets_the_message_as_a_partial_it_swaps_in(demo, redis_down):
    client = signed_in("hr")
    for url in page_exports(demo):
        response = client.post(url, headers={"HX-Request": "true"})

        assert response.status_code == 503, (url, response.status_code)
        assert response["Retry-After"] == str(QUEUE_RETRY_AFTER_SECONDS)
        assert response["X-Swap-Error"] == "true"
        html = response.content.decode()
        assert "<html" not in html
        assert f'data-unavailable="queue">{MESSAGE_QUEUE_UNAVAILABLE}</p>' in html, url
    assert_no_job_waits(expected_failed=6)


def test_the_api_answers_503_json_in_its_error_shape(demo, redis_down):
    client = signed_in("hr")
    for url in api_exports(demo):
        response = client.post(url)

        assert response.status_code == 503, (url, response.status_code)
        assert response["Content-Type"] == "application/json"
        assert response["Retry-After"] == str(QUEUE_RETRY_AFTER_SECONDS)
        assert response.json() == {"detail": MESSAGE_QUEUE_UNAVAILABLE}
    assert_no_job_waits(expected_failed=5)
    # A failed job is not the running job of its request: nothing stands in the way of asking again.
    assert client.post(api_exports(demo)[0]).status_code == 503
    assert_no_job_waits(expected_failed=6)


def test_pages_logins_and_saves_go_on(demo, redis_down, caplog):
    from tests.reviews.api_support import dimensions

    client = Client()
    caplog.set_level(logging.WARNING)
    started = time.monotonic()
    response = client.post("/accounts/login/", {"username": "manager", "password": "demo"})
    assert response.status_code == 302, response.content[:500]
    for url in ("/", "/roles/staff-software-engineer/", f"/reviews/{demo['review']}/", "/ladder/me/"):
        assert client.get(url).status_code == 200, url

    review = _review(demo)
    first = dimensions(review)[0]
    response = client.patch(
        f"/api/v1/reviews/{review.pk}/ratings/",
        json.dumps({"version": review.version, "ratings": [{"dimension": first, "score": 4, "comment": "Done."}]}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    # A save whose follow-up task cannot be queued (the DORA refresh) is still saved.
    deployment = {
        "deploy_id": "d-redis-down",
        "service": "billing-api",
        "team": "platform",
        "environment": "production",
        "succeeded": True,
        "deployed_at": "2024-05-02T10:00:00Z",
        "commit_times": ["2024-05-01T09:00:00Z"],
    }
    response = signed_in("hr").post("/api/v1/kpis/deployments/", [deployment], content_type="application/json")
    assert response.status_code in (200, 201), response.content
    # The cache answers misses and drops writes instead of raising, and says so in the log.
    cache.set("faults:probe", "stored")
    assert cache.get("faults:probe", "missing") == "missing"
    assert cache.incr("faults:counter") == 1

    assert time.monotonic() - started < 15
    events = [getattr(record, "event", None) for record in caplog.records]
    assert "cache.unavailable" in events


def _review(demo: dict[str, Any]) -> Any:
    from reviews.models import Review

    return Review.objects.select_related("blueprint_version").get(pk=demo["review"])


@pytest.mark.django_db(transaction=False)
def test_healthz_names_the_cache_and_the_broker_and_answers_503(redis_down):
    started = time.monotonic()
    response = Client().get("/healthz")
    elapsed = time.monotonic() - started

    body = response.json()
    assert response.status_code == 503, body
    assert body["status"] == "degraded"
    assert body["checks"]["cache"] == {"ok": False, "detail": "unavailable (ConnectionError)"}
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["broker"]["detail"].startswith("unavailable (")
    assert body["checks"]["database"]["ok"] is True
    assert elapsed < 10
