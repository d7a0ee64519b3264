"""/metrics reports how many messages wait in the Celery queue, in Redis or in the embedded broker's folder; a
broker that cannot answer turns into staffrole_queue_up 0, never a failed scrape."""

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from staffrole.celery import app as celery_app
from tests.observability.test_it_exports_prometheus_metrics import scrape
from tests.worker_process import _reset_producer_pools

pytestmark = pytest.mark.django_db


BROKER_SETTINGS = (
    "broker_url",
    "broker_read_url",
    "broker_write_url",
    "broker_transport_options",
    "task_always_eager",
    "task_default_queue",
)


@pytest.fixture
def broker() -> Iterator[Any]:
    """Celery's settings, for a test to point at another broker; put back (and the pools dropped) afterwards."""
    # The raw values: reading broker_read_url / broker_write_url answers broker_url when they are unset, and
    # putting that back would pin every later publish of this process to this broker.
    saved = {name: celery_app.conf.get(name) for name in BROKER_SETTINGS}
    _reset_producer_pools()
    try:
        yield celery_app.conf
    finally:
        for name, value in saved.items():
            setattr(celery_app.conf, name, value)
        _reset_producer_pools()


def test_it_reports_the_depth_of_the_redis_queue(private_queue, client):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is not set: no Redis broker to count messages in")
    before = scrape(client)
    assert before["staffrole_queue_up"][()] == 1
    assert before["staffrole_queue_depth"][(("queue", private_queue["queue"]),)] == 0

    celery_app.send_task("jobs.tasks.jobs_fail_stale")

    after = scrape(client)
    assert after["staffrole_queue_up"][()] == 1
    assert after["staffrole_queue_depth"][(("queue", private_queue["queue"]),)] == 1


def test_it_counts_the_messages_in_the_broker_folder(broker, client, tmp_path: Path):
    folders = {name: tmp_path / name for name in ("queue", "processed", "control")}
    for folder in folders.values():
        folder.mkdir()
    broker.broker_url = "filesystem://"
    broker.broker_read_url = None
    broker.broker_write_url = None
    broker.task_always_eager = False
    broker.task_default_queue = "depth-probe"
    broker.broker_transport_options = {
        "data_folder_in": str(folders["queue"]),
        "data_folder_out": str(folders["queue"]),
        "processed_folder": str(folders["processed"]),
        "control_folder": str(folders["control"]),
    }
    assert scrape(client)["staffrole_queue_depth"][(("queue", "depth-probe"),)] == 0

    celery_app.send_task("jobs.tasks.jobs_fail_stale")
    celery_app.send_task("jobs.tasks.jobs_fail_stale")

    samples = scrape(client)
    assert samples["staffrole_queue_up"][()] == 1
    assert samples["staffrole_queue_depth"][(("queue", "depth-probe"),)] == 2
    assert len(list(folders["queue"].iterdir())) == 2


def test_it_still_answers_when_redis_is_down(broker, client):
    # Nothing listens on port 1.
    broker.broker_url = "redis://127.0.0.1:1/0"
    broker.broker_read_url = None
    broker.broker_write_url = None
    broker.broker_transport_options = {}

    started = time.monotonic()
    samples = scrape(client)

    assert time.monotonic() - started < 5
    assert samples["staffrole_queue_up"][()] == 0
    assert "staffrole_queue_depth" not in samples
    assert "staffrole_jobs" in samples
