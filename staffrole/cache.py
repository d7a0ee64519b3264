"""Redis as a cache that never takes a page down with it.

Nothing the app keeps in the cache is the only copy of anything, so when Redis does not answer, a read
is a miss and a write is dropped: pages and saves go on, a little slower, and a warning is logged
(`cache.unavailable`). After a failure the backend leaves Redis alone for `RETRY_SECONDS`, so a Redis
that hangs instead of refusing costs one socket timeout per process and window, not one per call.
The health check asks for the truth with `strict()`: there a failure raises.
See docs/adr/0022-service-failures.md.
"""

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

T = TypeVar("T")


class FailOpenRedisCache(RedisCache):
    RETRY_SECONDS = 5.0

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._resume_at = 0.0
        self._strict = False

    @contextmanager
    def strict(self) -> Iterator[None]:
        """Within: every call goes to Redis and a failure raises (for the health check)."""
        self._strict = True
        try:
            yield
        finally:
            self._strict = False

    def _guarded(self, operation: str, fallback: T, call: Callable[[], T]) -> T:
        if self._strict:
            result = call()
            self._resume_at = 0.0
            return result
        if time.monotonic() < self._resume_at:
            return fallback
        try:
            return call()
        except (RedisError, OSError) as exc:
            self._resume_at = time.monotonic() + self.RETRY_SECONDS
            logger.warning(
                "The cache is unavailable; serving without it for %.0f s.",
                self.RETRY_SECONDS,
                extra={"event": "cache.unavailable", "operation": operation, "error": type(exc).__name__},
            )
            return fallback

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._guarded("add", False, lambda: super(FailOpenRedisCache, self).add(key, value, timeout, version))

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._guarded("get", default, lambda: super(FailOpenRedisCache, self).get(key, default, version))

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        self._guarded("set", None, lambda: super(FailOpenRedisCache, self).set(key, value, timeout, version))

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._guarded("touch", False, lambda: super(FailOpenRedisCache, self).touch(key, timeout, version))

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._guarded("delete", False, lambda: super(FailOpenRedisCache, self).delete(key, version))

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        return self._guarded("get_many", {}, lambda: super(FailOpenRedisCache, self).get_many(keys, version))

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._guarded("has_key", False, lambda: super(FailOpenRedisCache, self).has_key(key, version))

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        # As if the counter had just started: a rate limit counted here lets the request through.
        return self._guarded("incr", delta, lambda: super(FailOpenRedisCache, self).incr(key, delta, version))

    def set_many(self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> list[Any]:
        return self._guarded(
            "set_many", list(data), lambda: super(FailOpenRedisCache, self).set_many(data, timeout, version)
        )

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        self._guarded("delete_many", None, lambda: super(FailOpenRedisCache, self).delete_many(keys, version))

    def clear(self) -> None:
        self._guarded("clear", None, lambda: super(FailOpenRedisCache, self).clear())
