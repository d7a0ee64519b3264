"""A worker killed in the middle of a calibration pack: after a restart the job finishes, with one file.

Messages are acknowledged late, so the part the killed worker was rendering (and the one it had
prefetched) go back to the queue once the broker's visibility timeout passes; parts already
finished are not rendered again, and the merge runs once. Only Redis gives messages back: the
embedded filesystem broker hands a message out once, so there this test is skipped with a reason.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from jobs.models import Job, JobPart
from jobs.services import job_start
from tests.worker_process import PROJECT_ROOT, _database_url

TIMEOUT_SECONDS = 120
VISIBILITY_TIMEOUT = 6
PEOPLE = 12


def start_worker(private_queue: dict[str, Any], log_path: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "staffrole.settings.test",
        "DATABASE_URL": _database_url(),
        "CELERY_TASK_DEFAULT_QUEUE": private_queue["queue"],
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
        "JOB_PART_SIZE": "1",
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    command = [
        str(Path(sys.executable).parent / "celery"), "-A", "staffrole", "worker", "-P", "solo", "-c", "1",
        "--without-heartbeat", "--without-gossip", "--without-mingle",
        "-Q", private_queue["queue"], "-n", f"{private_queue['queue']}-{log_path.stem}@%h", "--loglevel=INFO",
    ]  # fmt: skip
    return subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log_path.open("wb"), stderr=subprocess.STDOUT)


def wait(condition: Any, what: str, logs: list[Path]) -> None:
    deadline = time.monotonic() + TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    tails = "\n".join(log.read_text(errors="replace")[-2500:] for log in logs)
    pytest.fail(f"timed out waiting for {what}:\n{tails}")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_leaves_the_pack_to_finish_after_a_restart(private_queue, tmp_path, staff_blueprint):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs Redis (REDIS_URL): the embedded filesystem broker never hands a message out twice")
    from django.contrib.auth.models import User

    from reviews.demo import demo_seed
    from reviews.models import Review
    from tests.reviews.cycle_support import move

    demo_seed(engineers=PEOPLE - 3)
    for review in Review.objects.filter(state=Review.State.DRAFT).select_related("employee__user", "reviewer__user"):
        if review.reviewer is not None:
            move(review, "manager_submitted")
    names = list(Review.objects.values_list("employee__name", flat=True))
    logs = [tmp_path / "first.log", tmp_path / "second.log"]

    first = start_worker(private_queue, logs[0])
    second = None
    try:
        job = job_start(
            kind=Job.Kind.CALIBRATION_PACK,
            requester=User.objects.get(username="hr"),
            params={"cycle": Review.objects.first().cycle_id, "filters": {}},
        )

        def some_parts_done() -> bool:
            job.refresh_from_db()
            return job.items_done >= 2

        wait(some_parts_done, "the first parts", logs)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        job.refresh_from_db()
        assert job.state == Job.State.RUNNING
        assert job.items_done < job.items_total, "the pack finished before the worker could be killed"

        second = start_worker(private_queue, logs[1])

        def finished() -> bool:
            job.refresh_from_db()
            return job.is_finished

        wait(finished, "the pack after the restart", logs)
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(timeout=15)

    assert job.state == Job.State.SUCCEEDED, job.error
    assert job.items_done == job.items_total == len(names)
    assert not JobPart.objects.filter(job=job).exists()
    folder = Path(settings.MEDIA_ROOT) / "jobs" / job.pk.hex
    files = [path for path in folder.rglob("*") if path.is_file()]
    try:
        assert files == [Path(job.result_file.path)]
        from tests.reviews.export_support import job_pdf_text

        text = job_pdf_text(job)
        for name in names:
            assert name in text
    finally:
        job.result_file.delete(save=False)
