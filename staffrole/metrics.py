"""Prometheus metrics at /metrics: requests, Celery tasks, jobs and the task queue.

Request latency is labelled by the URL pattern that answered (`people/<str:username>/`), never the
raw path, so ids in URLs cannot grow the label set; methods outside the usual few count as `other`.
Job states and the queue depth are read when Prometheus scrapes, so they are never stale and cost
nothing between scrapes. With PROMETHEUS_MULTIPROC_DIR set (gunicorn with several workers, Celery's
prefork pool) every process writes its figures to files there and a scrape adds them up; see
docs/adr/0021-metrics-and-request-ids.md.
"""

import hmac
import ipaddress
import logging
import os
import socket
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
    values,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

logger = logging.getLogger(__name__)

MULTIPROCESS_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
# Web and worker containers may share the folder: process ids repeat across containers, host names do not.
HOST = socket.gethostname().replace("_", "-") or "host"


def process_identifier() -> str:
    return f"{HOST}-{os.getpid()}"


if MULTIPROCESS_DIR:
    Path(MULTIPROCESS_DIR).mkdir(parents=True, exist_ok=True)
    # Chosen before the first metric below is made; every value then lives in this process's own file.
    values.ValueClass = values.MultiProcessValue(process_identifier)

HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED_ROUTE = "<unmatched>"
QUEUE_TIMEOUT_SECONDS = 2

REQUEST_DURATION = Histogram(
    "staffrole_http_request_duration_seconds",
    "Time to answer a request, by URL pattern, method and status.",
    ["route", "method", "status"],
)
TASK_DURATION = Histogram(
    "staffrole_celery_task_duration_seconds",
    "Time a Celery task ran in a worker, by task name.",
    ["task"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300),
)
TASK_FAILURES = Counter("staffrole_celery_task_failures", "Celery tasks that raised, by task name.", ["task"])


def metrics_middleware(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """Near the top of MIDDLEWARE: times every request, labelled by the URL pattern that answered."""

    def middleware(request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        status = 500  # unless an answer comes back: an error page that itself failed still counts
        try:
            response = get_response(request)
            status = response.status_code
        finally:
            REQUEST_DURATION.labels(
                route=metrics_route(request),
                method=request.method if request.method in HTTP_METHODS else "other",
                status=str(status),
            ).observe(time.perf_counter() - started)
        return response

    return middleware


def metrics_route(request: HttpRequest) -> str:
    """The URL pattern that answered; one label for every path no pattern matched."""
    match = getattr(request, "resolver_match", None)
    return str(match.route) if match is not None and match.route else UNMATCHED_ROUTE


# Celery signal receivers (wired in staffrole/celery.py); they run in the worker process that runs the task.
_task_started: dict[str, float] = {}


def task_started(task_id: str | None = None, **kwargs: Any) -> None:
    if task_id is not None:
        _task_started[task_id] = time.perf_counter()


def task_finished(task_id: str | None = None, task: Any = None, **kwargs: Any) -> None:
    started = _task_started.pop(task_id, None) if task_id is not None else None
    if started is not None and task is not None:
        TASK_DURATION.labels(task=task.name).observe(time.perf_counter() - started)


def task_failed(sender: Any = None, **kwargs: Any) -> None:
    TASK_FAILURES.labels(task=getattr(sender, "name", None) or "unknown").inc()


class ScrapeTimeCollector(Collector):
    """Job counts per kind and state (one query) and the depth of the Celery queue, read at each scrape."""

    def collect(self) -> Iterable[GaugeMetricFamily]:
        yield job_states()
        yield from queue_depth()


def job_states() -> GaugeMetricFamily:
    from django.db.models import Count

    from jobs.models import Job

    counts = {
        (row["kind"], row["state"]): row["count"]
        for row in Job.objects.order_by().values("kind", "state").annotate(count=Count("pk"))
    }
    family = GaugeMetricFamily("staffrole_jobs", "Jobs by kind and state.", labels=["kind", "state"])
    # Every pair, zeros included, so a state that empties shows 0 rather than vanishing.
    for kind in Job.Kind.values:
        for state in Job.State.values:
            family.add_metric([kind, state], counts.get((kind, state), 0))
    return family


def queue_depth() -> Iterable[GaugeMetricFamily]:
    """Messages waiting in the Celery queue; a broker that cannot answer gives staffrole_queue_up 0, not an error."""
    from staffrole.celery import app as celery_app

    queue = celery_app.conf.task_default_queue
    up = GaugeMetricFamily("staffrole_queue_up", "1 when the broker answered the queue depth, else 0.")
    try:
        depth = _queue_depth(queue)
    except Exception as exc:
        logger.warning("Could not read the depth of queue %s: %r", queue, exc)
        up.add_metric([], 0)
        yield up
        return
    up.add_metric([], 1)
    yield up
    family = GaugeMetricFamily("staffrole_queue_depth", "Messages waiting in the Celery queue.", labels=["queue"])
    family.add_metric([queue], depth)
    yield family


def _queue_depth(queue: str) -> int:
    from kombu.exceptions import ChannelError

    from staffrole.celery import app as celery_app

    with celery_app.connection_for_read() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, timeout=QUEUE_TIMEOUT_SECONDS)
        channel: Any = conn.default_channel
        try:
            # Passive: only asks; Redis answers NOT_FOUND for a queue nobody has declared yet, so it is empty.
            return int(channel.queue_declare(queue=queue, passive=True).message_count)
        except ChannelError:
            return 0


class DefaultRegistryCollector(Collector):
    """The figures of this process (single-process mode), next to the scrape-time ones."""

    def collect(self) -> Iterable[Any]:
        return REGISTRY.collect()


def metrics_registry() -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    if MULTIPROCESS_DIR:
        multiprocess.MultiProcessCollector(registry, path=MULTIPROCESS_DIR)
    else:
        registry.register(DefaultRegistryCollector())
    registry.register(ScrapeTimeCollector())
    return registry


def scrape_allowed(request: HttpRequest) -> bool:
    """Open where METRICS_PUBLIC is set (local and test settings); otherwise a Bearer METRICS_TOKEN, compared in
    constant time, or a client address within METRICS_ALLOWED_IPS."""
    if settings.METRICS_PUBLIC:
        return True
    token = settings.METRICS_TOKEN
    scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
    if token and scheme.lower() == "bearer" and hmac.compare_digest(presented.strip().encode(), token.encode()):
        return True
    return _address_allowed(request.META.get("REMOTE_ADDR", ""), settings.METRICS_ALLOWED_IPS)


def _address_allowed(address: str, allowed: Iterable[str]) -> bool:
    try:
        client = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(client in ipaddress.ip_network(network, strict=False) for network in allowed)


@require_GET
@never_cache
def metrics_view(request: HttpRequest) -> HttpResponse:
    # A refused scrape looks like a page that does not exist; the refusal is a security event all the same.
    if not scrape_allowed(request):
        raise Http404
    return HttpResponse(generate_latest(metrics_registry()), content_type=CONTENT_TYPE_LATEST)


def metrics_files_sweep(directory: str = MULTIPROCESS_DIR) -> int:
    """Remove the files of this host's processes that are gone (a restart, a recycled worker); at start-up.

    Files of other hosts sharing the folder are left alone: their processes may be running.
    """
    removed = 0
    for path in Path(directory).glob(f"*_{HOST}-*.db") if directory else ():
        pid = path.stem.rsplit("-", 1)[-1]
        if pid.isdigit() and not _process_running(int(pid)):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def _process_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
