"""A real Celery worker process for tests: `worker` starts one on a queue (and broker folder) of its own.

The worker shares the test's database (a file for SQLite, the test database on PostgreSQL) and
broker (Redis when REDIS_URL is set, otherwise a private folder of the filesystem transport), so
parallel test runs and a developer's running worker never meet.
"""

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection

from staffrole import health
from staffrole.celery import app as celery_app

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def _database_url() -> str:
    """The URL of the database this test process uses, for the worker."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    if db["ENGINE"] == "django.db.backends.postgresql":
        credentials = quote(db["USER"] or "", safe="")
        if db.get("PASSWORD"):
            credentials += ":" + quote(db["PASSWORD"], safe="")
        host = db["HOST"] or "127.0.0.1"
        port = db["PORT"] or 5432
        return f"postgres://{credentials}@{host}:{port}/{db['NAME']}"
    pytest.skip(f"no worker database URL for {db['ENGINE']}")


def _reset_producer_pools() -> None:
    # Connections are pooled per broker settings; drop ours so the next publish uses the new ones.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def _forget_redis_queue(queue: str) -> None:
    """Remove the (empty) queue's list and binding keys, which kombu keeps after a worker stops."""
    import redis

    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    try:
        client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    finally:
        client.close()


@pytest.fixture
def private_queue(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """A queue (and, for the filesystem broker, a folder) of this test's own; sends go there un-eagerly."""
    queue = f"test-worker-{uuid.uuid4().hex[:12]}"
    broker_dir = tmp_path / "broker"
    for folder in ("queue", "processed", "control"):
        (broker_dir / folder).mkdir(parents=True)
    uses_redis = bool(os.environ.get("REDIS_URL"))
    saved = {
        "task_always_eager": celery_app.conf.task_always_eager,
        "task_default_queue": celery_app.conf.task_default_queue,
        "broker_transport_options": celery_app.conf.broker_transport_options,
    }
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    if not uses_redis:
        celery_app.conf.broker_transport_options = {
            "data_folder_in": str(broker_dir / "queue"),
            "data_folder_out": str(broker_dir / "queue"),
            "processed_folder": str(broker_dir / "processed"),
            "control_folder": str(broker_dir / "control"),
            "store_processed": False,
        }
    _reset_producer_pools()
    try:
        broker = health.check_broker()
        if not broker["ok"]:
            pytest.skip(f"the broker is not reachable: {broker['detail']}")
        yield {"queue": queue, "broker_dir": broker_dir}
    finally:
        if uses_redis:
            _forget_redis_queue(queue)
        for name, value in saved.items():
            setattr(celery_app.conf, name, value)
        _reset_producer_pools()


@pytest.fixture
def worker(private_queue: dict[str, Any], tmp_path: Path) -> Iterator[dict[str, Any]]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "staffrole.settings.test",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_DIR": str(private_queue["broker_dir"]),
        "CELERY_TASK_DEFAULT_QUEUE": private_queue["queue"],
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    log_path = tmp_path / "worker.log"
    celery = Path(sys.executable).parent / "celery"
    command = [
        str(celery), "-A", "staffrole", "worker", "-P", "solo", "-c", "1",
        "--without-heartbeat", "--without-gossip", "--without-mingle",
        "-Q", private_queue["queue"], "-n", f"{private_queue['queue']}@%h", "--loglevel=INFO",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            yield {"process": process, "log": log_path}
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
