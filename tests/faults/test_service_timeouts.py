"""With PostgreSQL and Redis configured, no service that stops answering can hold a request for long: the
database connection is checked before reuse and times out on connect, the cache and the broker time out
on connect and on every read, and the cache fails open."""

import json

from tests.test_settings import run_python

PRINT_TIMEOUTS = (
    "import json, django; from django.conf import settings; django.setup(); "
    "database = settings.DATABASES['default']; cache = settings.CACHES['default']; "
    "print(json.dumps({'health_checks': database['CONN_HEALTH_CHECKS'], 'max_age': database['CONN_MAX_AGE'], "
    "'connect_timeout': database['OPTIONS']['connect_timeout'], 'cache': cache['BACKEND'], "
    "'cache_options': cache['OPTIONS'], 'broker_options': settings.CELERY_BROKER_TRANSPORT_OPTIONS, "
    "'broker_connection_timeout': settings.CELERY_BROKER_CONNECTION_TIMEOUT}))"
)


def test_every_service_connection_is_bounded_in_time() -> None:
    result = run_python(
        "-c",
        PRINT_TIMEOUTS,
        DJANGO_SETTINGS_MODULE="staffrole.settings.local",
        DATABASE_URL="postgres://staffrole:pw@db.internal:5432/staffrole",
        REDIS_URL="redis://cache.internal:6379/2",
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.splitlines()[-1])

    assert found["health_checks"] is True
    assert found["max_age"] > 0
    assert 0 < found["connect_timeout"] <= 10
    assert found["cache"] == "staffrole.cache.FailOpenRedisCache"
    assert 0 < found["cache_options"]["socket_connect_timeout"] <= 5
    assert 0 < found["cache_options"]["socket_timeout"] <= 5
    assert 0 < found["broker_options"]["socket_connect_timeout"] <= 5
    # Above the worker's one-second BRPOP wait, which must not count as a timeout.
    assert 1 < found["broker_options"]["socket_timeout"] <= 5
    assert 0 < found["broker_connection_timeout"] <= 5
