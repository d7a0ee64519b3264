"""The Redis cache fails open: a Redis error is a miss (or a dropped write) with one warning, Redis is left
alone for a few seconds after it failed, and strict() (the health check's way) raises instead."""

import logging

import pytest
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError

from staffrole import cache as cache_module
from staffrole.cache import FailOpenRedisCache


@pytest.fixture
def failing(monkeypatch):  # type: ignore[no-untyped-def]
    """A fail-open cache whose Redis refuses every call; `calls` counts the calls that reached it."""
    calls: list[str] = []

    def refuse(name: str):  # type: ignore[no-untyped-def]
        def call(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            calls.append(name)
            raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6390. Connection refused.")

        return call

    for name in ("get", "set", "add", "incr", "get_many", "delete"):
        monkeypatch.setattr(RedisCache, name, refuse(name))
    clock = {"now": 1000.0}
    monkeypatch.setattr(cache_module.time, "monotonic", lambda: clock["now"])
    backend = FailOpenRedisCache("redis://127.0.0.1:6390/0", {})
    return backend, calls, clock


def test_a_refused_read_is_a_miss_and_a_refused_write_is_dropped(failing, caplog):
    backend, calls, _clock = failing
    caplog.set_level(logging.WARNING, logger="staffrole.cache")

    assert backend.get("key", "default") == "default"

    warnings = [record for record in caplog.records if getattr(record, "event", None) == "cache.unavailable"]
    assert len(warnings) == 1
    assert (warnings[0].operation, warnings[0].error) == ("get", "ConnectionError")
    assert calls == ["get"]


def test_redis_is_left_alone_for_a_while_after_a_failure(failing, caplog):
    backend, calls, clock = failing
    caplog.set_level(logging.WARNING, logger="staffrole.cache")

    assert backend.get("key") is None
    backend.set("key", "value")
    assert backend.add("key", "value") is False
    assert backend.incr("counter", 3) == 3
    assert backend.get_many(["a", "b"]) == {}
    assert calls == ["get"]
    assert len(caplog.records) == 1

    clock["now"] += FailOpenRedisCache.RETRY_SECONDS + 0.1
    assert backend.get("key") is None
    assert calls == ["get", "get"]


def test_strict_raises_for_the_health_check(failing):
    backend, calls, _clock = failing
    backend.get("key")  # opens the window in which calls are skipped: strict() still tries

    with pytest.raises(RedisConnectionError), backend.strict():
        backend.set("healthz", "ok")

    assert calls == ["get", "set"]
    assert backend.get("key", "after") == "after"  # back to failing open once strict() is over
