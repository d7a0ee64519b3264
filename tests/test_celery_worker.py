"""A real Celery worker process renders a role PDF job end to end.

The `worker` fixture (tests/worker_process.py) runs the worker on a queue of its own.
"""

import io
import time
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from jobs.models import Job
from jobs.services import job_start

PROJECT_ROOT = Path(__file__).resolve().parents[1]
BUNDLED_DOCUMENT = PROJECT_ROOT / "scorecards" / "blueprint_documents" / "staff-software-engineer.txt"
TIMEOUT_SECONDS = 60


def _worker_log(worker: dict[str, Any]) -> str:
    return worker["log"].read_text(errors="replace")[-4000:]


def _wait_until_finished(job: Job, worker: dict[str, Any]) -> Job:
    deadline = time.monotonic() + TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            return job
        if worker["process"].poll() is not None:
            pytest.fail(f"the worker exited with {worker['process'].returncode}:\n{_worker_log(worker)}")
        time.sleep(0.25)
    pytest.fail(f"job still {job.state} after {TIMEOUT_SECONDS}s; worker log:\n{_worker_log(worker)}")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_it_renders_a_role_pdf_in_a_real_worker(worker, engineer_user):
    from scorecards.blueprint_parser import parse_blueprint
    from scorecards.services import blueprint_import

    data = parse_blueprint(BUNDLED_DOCUMENT.read_text(encoding="utf-8"))
    version = blueprint_import(actor=None, data=data, source_name=BUNDLED_DOCUMENT.name, publish=True).version

    job = job_start(
        kind=Job.Kind.ROLE_PDF, requester=engineer_user, params={"role": version.role.slug, "version": version.number}
    )
    job = _wait_until_finished(job, worker)

    assert job.state == Job.State.SUCCEEDED, f"{job.error}\n{_worker_log(worker)}"
    assert job.progress == 100
    assert job.attempts == 1
    assert "scorecards.tasks.role_pdf_render" in _worker_log(worker), "the job ran outside the worker"
    try:
        with job.result_file.open("rb") as handle:
            reader = PdfReader(io.BytesIO(handle.read()))
        text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
        assert "Staff Software Engineer" in text
        assert "System design & architecture" in text
    finally:
        job.result_file.delete(save=False)
