"""/metrics: request latency by URL pattern, method and status; Celery task durations and failures by task;
jobs by kind and state, counted by the database at scrape time in one query."""

from collections.abc import Iterator

import pytest
from django.db.models import Count
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from jobs.models import Job
from staffrole.celery import app as celery_app

pytestmark = pytest.mark.django_db

HOST = {"HTTP_HOST": "localhost"}


@celery_app.task(name="tests.observability.fails")
def fails() -> None:
    raise RuntimeError("this task always fails")


@celery_app.task(name="tests.observability.succeeds")
def succeeds() -> int:
    return 1


def scrape(client) -> dict[str, dict[tuple[tuple[str, str], ...], float]]:
    response = client.get("/metrics", **HOST)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    samples: dict[str, dict[tuple[tuple[str, str], ...], float]] = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples.setdefault(sample.name, {})[tuple(sorted(sample.labels.items()))] = sample.value
    return samples


def requests_counted(route: str, method: str, status: str) -> float:
    labels = {"route": route, "method": method, "status": status}
    return REGISTRY.get_sample_value("staffrole_http_request_duration_seconds_count", labels) or 0.0


def test_it_labels_request_latency_by_the_url_pattern_not_the_path(client):
    before = requests_counted("roles/<slug:slug>/", "GET", "302")

    client.get("/roles/staff-software-engineer/", **HOST)
    client.get("/roles/another-role/", **HOST)

    assert requests_counted("roles/<slug:slug>/", "GET", "302") == before + 2
    body = client.get("/metrics", **HOST).content.decode()
    assert 'route="roles/<slug:slug>/"' in body
    assert "staff-software-engineer" not in body
    assert "another-role" not in body


def test_it_puts_unmatched_paths_and_odd_methods_under_one_label_each(client):
    unmatched = requests_counted("<unmatched>", "GET", "404")
    odd = requests_counted("healthz", "other", "405")

    # A path of letters: a number could turn up in a sample's value (a byte count, a duration) by chance.
    client.get("/no/such/page/zxqvj/", **HOST)
    client.generic("PROPFIND", "/healthz", **HOST)

    assert requests_counted("<unmatched>", "GET", "404") == unmatched + 1
    assert requests_counted("healthz", "other", "405") == odd + 1
    body = client.get("/metrics", **HOST).content.decode()
    assert "zxqvj" not in body
    assert "PROPFIND" not in body


def test_it_times_tasks_and_counts_their_failures_by_task_name(client):
    labels = {"task": "tests.observability.fails"}
    failures = REGISTRY.get_sample_value("staffrole_celery_task_failures_total", labels) or 0.0
    ran = REGISTRY.get_sample_value("staffrole_celery_task_duration_seconds_count", labels) or 0.0
    succeeded = REGISTRY.get_sample_value(
        "staffrole_celery_task_failures_total", {"task": "tests.observability.succeeds"}
    )

    fails.delay()
    succeeds.delay()

    samples = scrape(client)
    assert samples["staffrole_celery_task_failures_total"][(("task", "tests.observability.fails"),)] == failures + 1
    assert samples["staffrole_celery_task_duration_seconds_count"][(("task", "tests.observability.fails"),)] == ran + 1
    assert samples["staffrole_celery_task_duration_seconds_count"][(("task", "tests.observability.succeeds"),)] >= 1
    assert succeeded is None
    assert (("task", "tests.observability.succeeds"),) not in samples["staffrole_celery_task_failures_total"]


@pytest.fixture
def jobs(engineer_user, hr_user) -> Iterator[None]:
    states = [Job.State.QUEUED, Job.State.QUEUED, Job.State.RUNNING, Job.State.FAILED, Job.State.SUCCEEDED]
    for state in states:
        Job.objects.create(kind=Job.Kind.ROLE_PDF, requester=engineer_user, state=state)
    Job.objects.create(kind=Job.Kind.CALIBRATION_PACK, requester=hr_user, state=Job.State.RUNNING)
    yield


def test_it_counts_jobs_by_kind_and_state_as_the_database_does(client, jobs):
    samples = scrape(client)["staffrole_jobs"]

    in_database = {
        (row["kind"], row["state"]): row["n"] for row in Job.objects.values("kind", "state").annotate(n=Count("pk"))
    }
    reported = {(dict(labels)["kind"], dict(labels)["state"]): value for labels, value in samples.items()}
    assert len(reported) == len(Job.Kind.values) * len(Job.State.values)
    assert {key: value for key, value in reported.items() if value} == in_database
    assert reported[("role_pdf", "queued")] == 2
    assert reported[("calibration_pack", "running")] == 1
    assert reported[("review_packet", "failed")] == 0


def test_it_answers_a_scrape_with_one_query(client, jobs, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/metrics", **HOST)

    assert response.status_code == 200


def test_it_keeps_the_label_sets_small(client, jobs):
    client.get("/roles/staff-software-engineer/", **HOST)
    allowed = {"route", "method", "status", "task", "kind", "state", "queue", "le"}

    for name, series in scrape(client).items():
        if name.startswith("staffrole_"):
            for labels in series:
                assert {key for key, _value in labels} <= allowed, name
