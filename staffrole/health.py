"""The checks behind /healthz: database, cache, broker and migrations.

Each check catches its own exceptions, so one broken service never hides the state of the others.
The details are short and name only the kind of error: /healthz is public, the log has the rest.
"""

import logging
import os
import tempfile
import uuid
from contextlib import nullcontext
from pathlib import Path
from typing import TypedDict

from django.core.cache import caches
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from staffrole.celery import app as celery_app

logger = logging.getLogger(__name__)

BROKER_TIMEOUT_SECONDS = 2


class CheckResult(TypedDict):
    ok: bool
    detail: str


def _failed(name: str, exc: Exception) -> CheckResult:
    logger.warning("Health check %s failed", name, exc_info=exc, extra={"event": "health.check_failed", "check": name})
    return {"ok": False, "detail": f"unavailable ({type(exc).__name__})"}


def check_database() -> CheckResult:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return _failed("database", exc)
    return {"ok": True, "detail": connection.vendor}


def check_cache() -> CheckResult:
    key = f"healthz:{uuid.uuid4().hex}"
    cache = caches["default"]
    # A cache that fails open (staffrole.cache) would hide the outage from the very check meant to show it.
    strict = getattr(cache, "strict", None)
    try:
        with strict() if strict is not None else nullcontext():
            cache.set(key, "ok", timeout=10)
            value = cache.get(key)
            cache.delete(key)
    except Exception as exc:
        return _failed("cache", exc)
    if value != "ok":
        return {"ok": False, "detail": "a value written to the cache could not be read back"}
    return {"ok": True, "detail": type(cache).__name__}


def check_broker() -> CheckResult:
    try:
        with celery_app.connection_for_write() as conn:
            if conn.transport_cls == "filesystem":
                return _check_broker_folder(celery_app.conf.broker_transport_options or {})
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=BROKER_TIMEOUT_SECONDS)
            return {"ok": True, "detail": conn.transport_cls}
    except Exception as exc:
        return _failed("broker", exc)


def _check_broker_folder(options: dict[str, str]) -> CheckResult:
    for key in ("data_folder_in", "data_folder_out"):
        folder = Path(options.get(key, ""))
        if not options.get(key) or not folder.is_dir():
            return {"ok": False, "detail": f"broker folder {key} is missing"}
        # Create and remove a file: os.access can say yes on a read-only mount.
        handle, probe = tempfile.mkstemp(dir=folder, prefix=".healthz-")
        os.close(handle)
        os.unlink(probe)
    return {"ok": True, "detail": "filesystem"}


def check_migrations() -> CheckResult:
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:
        return _failed("migrations", exc)
    if plan:
        return {"ok": False, "detail": f"{len(plan)} unapplied migration(s)"}
    return {"ok": True, "detail": "all applied"}


def check_all() -> dict[str, CheckResult]:
    return {
        "database": check_database(),
        "cache": check_cache(),
        "broker": check_broker(),
        "migrations": check_migrations(),
    }
