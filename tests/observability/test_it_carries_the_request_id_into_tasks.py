"""A task published while a request runs carries the request's id across the broker, and the worker logs
every line of that task with the same id, the task's name and its id."""

import io
import json
import logging
import re
import time
from typing import Any

import pytest

from jobs.models import Job
from staffrole.celery import app as celery_app
from staffrole.observability import (
    TASK_REQUEST_ID_HEADER,
    JsonFormatter,
    RequestIdFilter,
    current_request_id,
    current_task,
)

ROLE_EXPORT = "/roles/staff-software-engineer/export/"
TIMEOUT_SECONDS = 60


def _take_message(queue: str) -> Any:
    """The next message waiting in the queue, as the broker holds it (headers included)."""
    with celery_app.connection_for_read() as conn:
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            message = conn.default_channel.basic_get(queue, no_ack=True)
            if message is not None:
                return message
            time.sleep(0.05)
    pytest.fail(f"no message arrived in {queue}")


# Transactional, so that the job's task is published when the service commits, inside the request, as in production.
@pytest.mark.django_db(transaction=True)
def test_it_puts_the_request_id_in_the_message_headers(private_queue, client, engineer_user, staff_blueprint):
    client.force_login(engineer_user)

    response = client.post(ROLE_EXPORT, headers={"X-Request-ID": "edge-42.export"})

    assert response.status_code == 302
    message = _take_message(private_queue["queue"])
    assert message.headers["task"] == "scorecards.tasks.role_pdf_render"
    assert message.headers[TASK_REQUEST_ID_HEADER] == "edge-42.export"


@pytest.mark.django_db
def test_it_gives_a_task_published_outside_a_request_an_id_of_its_own(private_queue):
    celery_app.send_task("jobs.tasks.jobs_fail_stale")
    celery_app.send_task("jobs.tasks.jobs_fail_stale")

    first = _take_message(private_queue["queue"]).headers[TASK_REQUEST_ID_HEADER]
    second = _take_message(private_queue["queue"]).headers[TASK_REQUEST_ID_HEADER]
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert re.fullmatch(r"[0-9a-f]{32}", second)
    assert first != second


def _log_entries(path: Any) -> list[dict[str, Any]]:
    entries = []
    for line in path.read_text(errors="replace").splitlines():
        if line.startswith("{"):
            entries.append(json.loads(line))
    return entries


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_it_logs_the_request_id_on_every_line_of_the_task_in_the_worker(worker, client, engineer_user, staff_blueprint):
    client.force_login(engineer_user)

    response = client.post(ROLE_EXPORT, headers={"X-Request-ID": "edge-77.worker"})

    assert response.status_code == 302
    job = Job.objects.get()
    deadline = time.monotonic() + TIMEOUT_SECONDS
    while not job.is_finished and time.monotonic() < deadline:
        if worker["process"].poll() is not None:
            pytest.fail(f"the worker exited:\n{worker['log'].read_text(errors='replace')[-3000:]}")
        time.sleep(0.2)
        job.refresh_from_db()
    log = worker["log"].read_text(errors="replace")
    assert job.state == Job.State.SUCCEEDED, f"{job.error}\n{log[-3000:]}"
    task_lines = [entry for entry in _log_entries(worker["log"]) if entry.get("task_name")]
    assert task_lines, f"no line of the worker names a task:\n{log[-3000:]}"
    assert {entry["task_name"] for entry in task_lines} == {"scorecards.tasks.role_pdf_render"}
    assert {entry["request_id"] for entry in task_lines} == {"edge-77.worker"}
    (task_id,) = {entry["task_id"] for entry in task_lines}
    assert any("succeeded" in entry["message"] and task_id in entry["message"] for entry in task_lines), log[-3000:]
    job.result_file.delete(save=False)


@celery_app.task(name="tests.observability.logs")
def logs_a_line() -> None:
    logging.getLogger("tests.observability").warning("inside the task")


def test_it_tags_the_lines_of_a_task_run_in_place_and_restores_the_request_after():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("tests.observability")
    logger.addHandler(handler)
    token = current_request_id.set("req-in-place")
    try:
        result = logs_a_line.delay()
        logger.warning("after the task")
    finally:
        current_request_id.reset(token)
        logger.removeHandler(handler)

    inside, after = (json.loads(line) for line in stream.getvalue().splitlines())
    assert inside["request_id"] == "req-in-place"
    assert inside["task_name"] == "tests.observability.logs"
    assert inside["task_id"] == result.id
    assert after["request_id"] == "req-in-place"
    assert "task_name" not in after
    assert current_task.get() is None
