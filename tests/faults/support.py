"""Pointing the app in this process at a Redis (cache and broker) of the test's choosing, and free ports."""

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.test import override_settings

from staffrole.celery import app as celery_app

# Short timeouts: a Redis that is down must cost a test a fraction of a second, not the production seconds.
TIMEOUTS = {"socket_connect_timeout": 1, "socket_timeout": 1}


def free_port() -> int:
    """A port nothing listens on right now (bound, then let go)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _reset_producer_pools() -> None:
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextmanager
def redis_at(url: str) -> Iterator[None]:
    """The cache and the Celery broker on `url`, tasks sent for real (not run eagerly), as with REDIS_URL."""
    caches = {"default": {"BACKEND": "staffrole.cache.FailOpenRedisCache", "LOCATION": url, "OPTIONS": TIMEOUTS}}
    # Raw values (conf.get): the read and write URLs answer broker_url when unset, and must stay unset.
    saved: dict[str, Any] = {
        name: celery_app.conf.get(name)
        for name in (
            "broker_url",
            "broker_read_url",
            "broker_write_url",
            "task_always_eager",
            "broker_transport_options",
            "task_default_queue",
        )
    }
    celery_app.conf.broker_url = url
    celery_app.conf.broker_read_url = None
    celery_app.conf.broker_write_url = None
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_transport_options = {"visibility_timeout": 600, **TIMEOUTS}
    celery_app.conf.task_default_queue = "faults"
    _reset_producer_pools()
    try:
        with override_settings(CACHES=caches):
            yield
    finally:
        for name, value in saved.items():
            setattr(celery_app.conf, name, value)
        _reset_producer_pools()
